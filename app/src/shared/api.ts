import type { TypedDocumentString } from '../api/generated';

/**
 * One POST /graphql per operation, typed by the generated document (the same shape as
 * examples/typed-client/hub-client.ts): the bearer token, the purpose of use
 * (X-Purpose-Of-Use, recorded on every audit event) and, for a mutation, an Idempotency-Key
 * so that a retry after a lost answer never applies twice. Every GraphQL error becomes a
 * HubError carrying the hub's extensions.code; nothing else is parsed from messages.
 */
export interface Credentials {
  token: string;
  purpose: string;
}

export class HubError extends Error {
  constructor(
    message: string,
    /** extensions.code, or NETWORK / HTTP when the hub could not answer in GraphQL */
    readonly code: string,
    /** extensions.fields: the input fields at fault */
    readonly fields: string[] = [],
    readonly extensions: Record<string, unknown> = {},
    readonly requestId: string | null = null,
  ) {
    super(message);
    this.name = 'HubError';
  }
}

type VariablesArg<V> = V extends Record<string, never> ? [] : [V];

export interface RequestOptions {
  idempotencyKey?: string;
}

export type Gql = <R, V>(doc: TypedDocumentString<R, V>, ...rest: [...VariablesArg<V>, RequestOptions?]) => Promise<R>;

/** Counts requests per screen (shown in the perf note; read by the browser tests). */
export const requestLog: { operation: string; at: number }[] = [];

export function createGql(creds: () => Credentials | null, onUnauthenticated: (message: string) => void): Gql {
  return (async (doc: TypedDocumentString<unknown, unknown>, variables?: unknown, options?: RequestOptions) => {
    const c = creds();
    if (!c) throw new HubError('Sign in first.', 'UNAUTHENTICATED');
    const query = doc.toString();
    const operation = /(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? 'anonymous';
    requestLog.push({ operation, at: Date.now() });
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
      authorization: `Bearer ${c.token}`,
    };
    if (c.purpose) headers['x-purpose-of-use'] = c.purpose;
    if (options?.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    let res: Response;
    try {
      res = await fetch('/graphql', {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables: variables ?? {} }),
        credentials: 'omit',
      });
    } catch {
      throw new HubError('', 'NETWORK');
    }
    const requestId = res.headers.get('x-request-id');
    let body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
    try {
      body = await res.json();
    } catch {
      throw new HubError(String(res.status), 'HTTP', [], {}, requestId);
    }
    const [error] = body.errors ?? [];
    if (error) {
      const ext = error.extensions ?? {};
      const code = typeof ext.code === 'string' ? ext.code : 'INTERNAL_SERVER_ERROR';
      const fields = Array.isArray(ext.fields) ? ext.fields.map(String) : [];
      if (code === 'UNAUTHENTICATED') onUnauthenticated(error.message);
      throw new HubError(error.message, code, fields, ext, requestId);
    }
    if (!body.data) throw new HubError(String(res.status), 'HTTP', [], {}, requestId);
    return body.data;
  }) as Gql;
}

/** A fresh key per intended change; the same key is sent again when the user retries that change. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
