import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLError, ValidationContext, ValidationRule } from 'graphql';
import { badInput } from '../errors';
import type { RequestContext } from '../request/context';
import type { QueryLimits } from './limits-config';
import { introspectionGuard, queryCostLimit } from './operation-guards';

/**
 * graphql-armor's rules report through the validation context instead of throwing (a throw
 * inside graphql-js validation would escape as a 500), with a message that names the limit
 * and what to do, under the code every client already handles.
 */
function reportAs(reason: string, limit: number, advice: string) {
  return (ctx: ValidationContext | null, error: GraphQLError) => {
    const found = /found (\d+)/.exec(error.message)?.[1];
    const what = error.message.replace(/^Syntax Error: /, '').replace(/\.$/, '');
    ctx?.reportError(badInput(`${what}: ${advice}`, { reason, limit, ...(found ? { found: Number(found) } : {}) }));
  };
}

/**
 * graphql-armor, configured rather than defaulted: depth, aliases and directives as
 * validation rules. Its cost rule is off (it only sees literal page sizes, so `first: $n`
 * slipped past it: see operation-guards.ts), as are its token count (an Apollo plugin that
 * throws from parsingDidStart, which Apollo 5 answers with a 500; graphql-js's own
 * maxTokens is used instead) and its suggestion masking (below, which also covers variables).
 */
function armorRules(limits: QueryLimits): ValidationRule[] {
  const common = { exposeLimits: true, propagateOnRejection: false };
  const { validationRules } = new ApolloArmor({
    // __schema is exempt: the standard introspection query nests 15 deep through ofType, and
    // introspection is for signed-in callers only, its size bounded by HUB_MAX_TOKENS.
    maxDepth: {
      ...common,
      n: limits.maxDepth,
      flattenFragments: true,
      ignoreIntrospection: true,
      onReject: [reportAs('MAX_DEPTH', limits.maxDepth, 'ask for less deeply nested fields')],
    },
    maxAliases: {
      ...common,
      n: limits.maxAliases,
      allowList: [],
      onReject: [reportAs('MAX_ALIASES', limits.maxAliases, 'use fewer aliases, or send several requests')],
    },
    maxDirectives: {
      ...common,
      n: limits.maxDirectives,
      onReject: [reportAs('MAX_DIRECTIVES', limits.maxDirectives, 'use fewer directives')],
    },
    costLimit: { enabled: false },
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  }).protect();
  return validationRules;
}

/**
 * Drops "Did you mean …?" from every error (validation and variable coercion alike), so a
 * guesser cannot spell the schema out of refusals. Apollo's own option covers validation only.
 */
function hideSuggestions(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) error.message = error.message.replace(/ ?Did you mean .+\?$/, '');
        },
      };
    },
  };
}

/** What the hub hands to `new ApolloServer(...)`: validation rules, parse options and plugins. */
export function apolloLimits(limits: QueryLimits, maxPageSize: number) {
  return {
    validationRules: armorRules(limits),
    // graphql-js stops lexing at the limit, before a huge document is built in memory.
    parseOptions: { maxTokens: limits.maxTokens },
    // One operation per request: one request id per operation in the audit trail, one fresh
    // entity manager per operation (a batch would share both). Arrays are refused earlier
    // with a clear message (request-guards.ts); Apollo's own refusal stays as the backstop.
    allowBatchedHttpRequests: false,
    // No automatic persisted queries: clients send documents, and nobody can fill the hub's
    // document cache with hashes of their choosing.
    persistedQueries: false as const,
    // Apollo would turn introspection off when NODE_ENV=production; introspectionGuard decides.
    introspection: true,
    plugins: [
      introspectionGuard(limits.introspection),
      queryCostLimit(limits.maxCost, maxPageSize),
      ...(limits.fieldSuggestions ? [] : [hideSuggestions()]),
    ],
  };
}
