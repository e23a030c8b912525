import type { TypedDocumentString } from './generated/graphql';

/**
 * A minimal typed client for the hub: one POST per operation with the bearer token and the
 * purpose of use, the result typed by the generated document, and every GraphQL error turned
 * into a HubRequestError carrying the hub's `extensions.code` (see docs/errors.md).
 * No GraphQL library is needed at run time: the documents are plain strings.
 */
export interface HubClientOptions {
  /** Base URL of the hub, e.g. http://127.0.0.1:4000 */
  url: string;
  /** A bearer token: `npx hub token <username>`, or one from the OIDC issuer the hub trusts. */
  token: string;
  /** Why you are reading; stored on every audit event of each request (X-Purpose-Of-Use). */
  purpose: string;
}

export class HubRequestError extends Error {
  constructor(
    message: string,
    /** UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, NOT_FOUND, CONFLICT, INTERNAL_SERVER_ERROR, or HTTP_ERROR */
    readonly code: string,
    readonly status: number,
    /** Quote it to an operator when the hub fails (it is in the hub's logs too). */
    readonly requestId: string | null,
    /** The rest of `extensions`, e.g. `fields` of a FORBIDDEN write or `currentVersion` of a CONFLICT. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'HubRequestError';
  }
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; [key: string]: unknown } }[];
}

/** Operations without variables take none; the others require theirs. */
type VariablesArg<V> = V extends Record<string, never> ? [] : [V];

export type HubRequest = <TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  ...variables: VariablesArg<TVariables>
) => Promise<TResult>;

export function createHubClient(options: HubClientOptions): HubRequest {
  const endpoint = new URL('/graphql', options.url).toString();
  return async (document, ...[variables]) => {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        authorization: `Bearer ${options.token}`,
        'x-purpose-of-use': options.purpose,
      },
      body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
    });
    const requestId = res.headers.get('x-request-id');
    const body = (await res.json().catch(() => undefined)) as GraphQLResponse<never> | undefined;
    const [error] = body?.errors ?? [];
    if (error) {
      const { code = 'INTERNAL_SERVER_ERROR', ...details } = error.extensions ?? {};
      throw new HubRequestError(error.message, code, res.status, requestId, details);
    }
    if (!body?.data) throw new HubRequestError(`The hub answered HTTP ${res.status} without data`, 'HTTP_ERROR', res.status, requestId);
    return body.data;
  };
}
