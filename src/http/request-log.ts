import type { ApolloServerPlugin } from '@apollo/server';
import type { OperationDefinitionNode } from 'graphql';
import { isDatabaseUnavailable } from '../db/unavailable';
import { HubError } from '../errors';
import type { RequestContext } from '../request/context';
import type { Logger } from '../logger';

/**
 * The operation as the audit trail names it: the root field(s), e.g. `updateReturnee`. These
 * are schema names, safe to log; the client's own operation name and the arguments are not
 * (a client may put anything in them).
 */
function operationOf(operation: OperationDefinitionNode | undefined | null): string | undefined {
  const fields = operation?.selectionSet.selections.flatMap((s) => (s.kind === 'Field' ? [s.name.value] : []));
  return fields?.length ? [...new Set(fields)].join(',') : undefined;
}

/**
 * One structured line per GraphQL request: request id, the client's correlation id (when it
 * sent one), actor (staff id), operation (root fields), HTTP status, error codes and time taken. Never arguments, variables, results or
 * headers: they hold names, document numbers and notes. Unexpected errors are logged with the
 * error serializer of `src/logger.ts`, which strips SQL, bound values and quoted text.
 */
export function requestLogPlugin(log: Logger): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      return {
        async didEncounterErrors({ errors, operation }) {
          for (const error of errors) {
            const original = error.originalError;
            const code = error.extensions?.code;
            if (original instanceof HubError || (code && code !== 'INTERNAL_SERVER_ERROR')) continue;
            // An outage fails every request alike: the per-request line carries the code, the cause is logged by the pool's users.
            if (isDatabaseUnavailable(original)) continue;
            log.error(
              {
                err: original ?? error,
                requestId: contextValue.requestId,
                correlationId: contextValue.correlationId,
                actor: contextValue.actor?.staffId,
                operation: operationOf(operation),
              },
              'request failed',
            );
          }
        },
        async willSendResponse({ operation, response }) {
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const codes = body?.errors?.map((e) => String(e.extensions?.code ?? 'UNKNOWN'));
          log.info(
            {
              requestId: contextValue.requestId,
              ...(contextValue.correlationId ? { correlationId: contextValue.correlationId } : {}),
              actor: contextValue.actor?.staffId,
              operation: operationOf(operation),
              status: response.http.status ?? 200,
              ...(codes?.length ? { errors: [...new Set(codes)] } : {}),
              ms: Math.round(ms * 10) / 10,
            },
            'graphql',
          );
        },
      };
    },
  };
}
