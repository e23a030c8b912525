import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode } from 'graphql';
import type { RequestContext } from '../request/context';
import { fieldsAtLevel } from '../graphql/selection';

/**
 * With HUB_REQUIRE_PURPOSE (on in production), a signed-in caller's operation needs an
 * X-Purpose-Of-Use header unless every root field it runs is exempt:
 * - `me`: the caller's own account and permissions, what a client reads at sign-in, before
 *   the user has picked a task a purpose could name; it touches no returnee;
 * - introspection (`__schema`, `__type`, `__typename`): the schema, no records at all.
 * Everything else (returnees, referrals, consents, the audit trail, agencies and staff
 * administration) is audited under the declared purpose, so it is refused without one,
 * before any resolver runs: nothing is read, nothing recorded. Root fields hidden in fragments
 * count; a root field removed by @skip/@include is not run and does not.
 *
 * A caller without a token is left to the resolvers, which answer UNAUTHENTICATED: that is
 * the first thing such a caller must fix.
 */
const EXEMPT = new Set(['me', '__schema', '__type', '__typename']);

function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const out: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) out[d.name.value] = d;
  return out;
}

export function purposeGuard(required: boolean): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      if (!required) return;
      return {
        async didResolveOperation({ document, operation, contextValue, request }) {
          if (contextValue.purpose || !contextValue.actor || !operation) return;
          const roots = fieldsAtLevel(operation.selectionSet, fragmentsOf(document), request.variables ?? {});
          const needing = [...roots].filter((f) => !EXEMPT.has(f));
          if (needing.length === 0) return;
          throw new GraphQLError(
            `Send an X-Purpose-Of-Use header saying why you are accessing the records (e.g. "Follow-up of screening results"): this hub requires one for ${needing.join(', ')}, so nothing was read or changed. Only me and introspection work without it.`,
            { extensions: { code: 'BAD_USER_INPUT', reason: 'PURPOSE_REQUIRED', http: { status: 400 } } },
          );
        },
      };
    },
  };
}
