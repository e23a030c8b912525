import type { ApolloServerPlugin } from '@apollo/server';

/** Seconds a client should wait before retrying while the database is away. */
export const RETRY_AFTER_S = 2;

/**
 * A request that failed only because the database is away answers HTTP 503 with
 * `Retry-After`, like /healthz, so load balancers and clients back off instead of treating it
 * as a bug. A response that still carries data keeps its status (GraphQL partial results).
 */
export function unavailableStatusPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { errors, data } = response.body.singleResult;
          if (!errors?.some((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE')) return;
          if (data && Object.values(data).some((v) => v !== null)) return;
          response.http.status = 503;
          response.http.headers.set('retry-after', String(RETRY_AFTER_S));
        },
      };
    },
  };
}
