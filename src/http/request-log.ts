import type { ApolloServerPlugin } from '@apollo/server';
import type { OperationDefinitionNode } from 'graphql';
import { isDatabaseUnavailable } from '../db/unavailable';
import { HubError } from '../errors';
import type { RequestContext } from '../graphql/context';
import type { Logger } from '../logger';

/** Client-chosen operation names are logged only when they look like code identifiers. */
const SAFE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** The root fields of the operation (schema names: safe to log, unlike arguments). */
function rootFields(operation: OperationDefinitionNode | undefined): string[] | undefined {
  return operation?.selectionSet.selections.flatMap((s) => (s.kind === 'Field' ? [s.name.value] : []));
}

/**
 * One structured line per GraphQL request: request id, actor (staff id), operation name and
 * root fields, status, error codes and time taken. Never arguments, variables, results or
 * headers: they hold names, document numbers and notes. Unexpected errors are logged with the
 * error serializer of `src/logger.ts`, which strips SQL, bound values and quoted text.
 */
export function requestLogPlugin(log: Logger): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      return {
        async didEncounterErrors({ errors, operationName }) {
          for (const error of errors) {
            const original = error.originalError;
            const code = error.extensions?.code;
            if (original instanceof HubError || (code && code !== 'INTERNAL_SERVER_ERROR')) continue;
            // An outage fails every request alike: the per-request line carries the code, the cause is logged by the pool's users.
            if (isDatabaseUnavailable(original)) continue;
            log.error({ err: original ?? error, requestId: contextValue.requestId, operationName: safeName(operationName) }, 'request failed');
          }
        },
        async willSendResponse({ operationName, operation, response }) {
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const codes = body?.errors?.map((e) => String(e.extensions?.code ?? 'UNKNOWN'));
          log.info({
            requestId: contextValue.requestId,
            actor: contextValue.actor?.staffId,
            operationName: safeName(operationName),
            fields: rootFields(operation),
            status: response.http.status ?? 200,
            ...(codes?.length ? { errors: [...new Set(codes)] } : {}),
            ms: Math.round(ms * 10) / 10,
          }, 'graphql');
        },
      };
    },
  };
}

function safeName(name: string | null | undefined): string | undefined {
  return name && SAFE_NAME.test(name) ? name : undefined;
}
