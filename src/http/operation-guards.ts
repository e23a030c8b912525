import type { ApolloServerPlugin } from '@apollo/server';
import { getVariableValues, GraphQLError, Kind, type DocumentNode, type SelectionSetNode } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import type { RequestContext } from '../request/context';

/**
 * Checks on a parsed, validated operation that need the request: who is asking (introspection)
 * or the variables' values (cost). They run in Apollo's didResolveOperation, before any
 * resolver, and refuse with a coded error and an HTTP status (Apollo's default here is 500).
 */
function refusal(code: 'BAD_USER_INPUT' | 'UNAUTHENTICATED', message: string, extensions: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions, http: { status: code === 'UNAUTHENTICATED' ? 401 : 400 } } });
}

const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

/** True when the selection (through fragments too) asks for __schema or __type. */
function introspects(document: DocumentNode, selectionSet: SelectionSetNode, seen = new Set<string>()): boolean {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (INTROSPECTION_FIELDS.has(selection.name.value)) return true;
      if (selection.selectionSet && introspects(document, selection.selectionSet, seen)) return true;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (introspects(document, selection.selectionSet, seen)) return true;
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = document.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value);
      if (fragment?.kind === Kind.FRAGMENT_DEFINITION && introspects(document, fragment.selectionSet, seen)) return true;
    }
  }
  return false;
}

/**
 * The schema is for integrators with an account: an anonymous caller cannot read it (and,
 * with HUB_INTROSPECTION=off, nobody can). `__typename` stays available to everyone.
 */
export function introspectionGuard(mode: 'authenticated' | 'off'): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, contextValue }) {
          if (!operation || !introspects(document, operation.selectionSet)) return;
          if (mode === 'off') {
            throw refusal('BAD_USER_INPUT', 'Introspection is turned off on this hub: use the published schema (schema/schema.graphql)', {
              reason: 'INTROSPECTION_DISABLED',
            });
          }
          if (!contextValue.actor) {
            throw refusal(
              'UNAUTHENTICATED',
              'Introspection needs a signed-in caller: send a valid bearer token in the Authorization header',
              { reason: 'INTROSPECTION_REQUIRES_AUTH' },
            );
          }
        },
      };
    },
  };
}

/**
 * Cost = the worst-case number of field values an operation can return: every field counts 1,
 * and a paged field multiplies what is under it by its page size (`first`, with the
 * schema's default when omitted). It is computed per request with the variables' values
 * (graphql-query-complexity), so `first: $n` cannot slip past a check that only sees
 * literals. A page size above HUB_MAX_PAGE_SIZE counts as the maximum: the page-size check
 * refuses it with its own, more precise message.
 */
export function pagedCostEstimator(maxPageSize: number): ComplexityEstimator {
  return ({ args, childComplexity }) => {
    const first = typeof args.first === 'number' ? Math.min(Math.max(args.first, 1), maxPageSize) : 1;
    return 1 + first * childComplexity;
  };
}

export function queryCostLimit(maxCost: number, maxPageSize: number): ApolloServerPlugin<RequestContext> {
  const estimators = [pagedCostEstimator(maxPageSize)];
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, operationName, request }) {
          // Variables that do not coerce are left to execution, which refuses them precisely.
          if (!operation || getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {}).errors) return;
          let cost: number;
          try {
            cost = getComplexity({
              schema,
              query: document,
              variables: request.variables ?? {},
              operationName: operationName ?? undefined,
              estimators,
            });
          } catch (error) {
            // Fragments that expand past the cost walk's node limit are too costly to count;
            // anything else it trips on is left to validation and execution, which say why.
            if (!/maximum allowed number of nodes/.test((error as Error).message)) return;
            cost = Infinity;
          }
          if (cost > maxCost) {
            throw refusal(
              'BAD_USER_INPUT',
              `Query cost limit of ${maxCost} exceeded, found ${Number.isFinite(cost) ? cost : 'more than can be counted'}: ask for fewer fields or smaller pages (cost counts every value a response can hold)`,
              {
                reason: 'MAX_COST',
                limit: maxCost,
                ...(Number.isFinite(cost) ? { found: cost } : {}),
              },
            );
          }
        },
      };
    },
  };
}
