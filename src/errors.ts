import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { isDatabaseUnavailable } from './db/unavailable';

/**
 * The one error vocabulary. Every error a client sees carries one of these codes in
 * `extensions.code`; anything else is masked as INTERNAL_SERVER_ERROR by `formatError`,
 * so stack traces, SQL and driver messages never reach a client.
 */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'TIMEOUT'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

const HTTP_STATUS: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TIMEOUT: 504,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_SERVER_ERROR: 500,
};

export class HubError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(message, { extensions: { code, ...details } });
  }
  get httpStatus(): number {
    return HTTP_STATUS[this.code];
  }
}

export const unauthenticated = (message = 'Sign in: send a valid bearer token in the Authorization header') =>
  new HubError('UNAUTHENTICATED', message);

export const forbidden = (message: string, details: Record<string, unknown> = {}) => new HubError('FORBIDDEN', message, details);

export const badInput = (message: string, details: Record<string, unknown> = {}) => new HubError('BAD_USER_INPUT', message, details);

/**
 * Out-of-scope records use this too, with the same words: existence must not leak. The message
 * names the kind of thing only, never an id: an id in it could be one the hub looked up on the
 * way (a consent's returnee) rather than the one the client sent, and even the one sent would
 * make "missing" and "out of scope" differ byte for byte. `_id` is accepted so call sites read
 * naturally and is deliberately never shown.
 */
export const notFound = (what: string, _id?: string, details: Record<string, unknown> = {}) =>
  new HubError('NOT_FOUND', `No ${what} with this id exists in your scope: it does not exist, or your agency has no access to it`, details);

export const conflict = (message: string, details: Record<string, unknown> = {}) => new HubError('CONFLICT', message, details);

/** A statement ran past HUB_STATEMENT_TIMEOUT_MS and PostgreSQL cancelled it (its transaction rolled back). */
export const timedOut = () =>
  new HubError(
    'TIMEOUT',
    'The database took too long and the request was stopped; nothing was changed. Ask for fewer records or fields, or try again later.',
  );

/** PostgreSQL's query_canceled (57014): what statement_timeout raises, wrapped or not by the ORM. */
export function isStatementTimeout(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e.code === '57014') return true;
  }
  return false;
}

export const internal = (requestId?: string) =>
  new HubError(
    'INTERNAL_SERVER_ERROR',
    `The hub could not complete the request; nothing was changed. Quote request id ${requestId ?? 'from the X-Request-Id response header'} to an operator.`,
  );

/**
 * The database is away (stopped, restarting, unreachable) or has no connection free: retry
 * later. A write that failed this way was not applied, or was applied whole if the outage
 * struck during its commit; retrying it with the same Idempotency-Key applies it at most once.
 */
export const unavailable = () =>
  new HubError(
    'SERVICE_UNAVAILABLE',
    'The hub cannot reach its database right now; no data was returned. Retry in a few seconds ' +
      '(retry writes with the same Idempotency-Key header so they apply at most once).',
  );

/** Apollo's own codes for documents that do not parse or validate are bad input to a client. */
const APOLLO_INPUT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

export const KNOWN_CODES: ReadonlySet<string> = new Set(Object.keys(HTTP_STATUS));

/** Turns class-validator failures (type-graphql's ArgumentValidationError) into one message. */
function validationMessage(error: unknown): { message: string; fields: string[] } | undefined {
  const errors = (error as { extensions?: { validationErrors?: unknown } })?.extensions?.validationErrors;
  if (!Array.isArray(errors)) return undefined;
  const parts: string[] = [];
  const fields: string[] = [];
  const walk = (list: unknown[], prefix: string) => {
    for (const e of list as { property: string; constraints?: Record<string, string>; children?: unknown[] }[]) {
      const name = prefix ? `${prefix}.${e.property}` : e.property;
      if (e.constraints) {
        fields.push(name);
        parts.push(...Object.values(e.constraints).map((c) => c.replace(e.property, name)));
      }
      if (e.children?.length) walk(e.children, name);
    }
  };
  walk(errors, '');
  return { message: `Invalid input: ${parts.join('; ')}`, fields };
}

/**
 * The single formatter handed to Apollo. Known errors pass with their code and message;
 * input errors from GraphQL itself become BAD_USER_INPUT; everything else is masked.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown, requestId?: string): GraphQLFormattedError {
  const unwrapped = unwrapResolverError(error);
  // A HubError reported by a validation rule reaches here inside Apollo's ValidationError.
  const original = unwrapped instanceof GraphQLError && unwrapped.originalError instanceof HubError ? unwrapped.originalError : unwrapped;
  if (original instanceof HubError) {
    const { code, http: _http, ...rest } = original.extensions as Record<string, unknown>;
    return { message: original.message, path: formatted.path, locations: formatted.locations, extensions: { code, ...rest } };
  }
  if (isStatementTimeout(original)) {
    return { message: timedOut().message, path: formatted.path, extensions: { code: 'TIMEOUT' } };
  }
  if (isDatabaseUnavailable(original)) {
    return { message: unavailable().message, path: formatted.path, extensions: { code: 'SERVICE_UNAVAILABLE' } };
  }
  const validation = validationMessage(original);
  if (validation) {
    return { message: validation.message, path: formatted.path, extensions: { code: 'BAD_USER_INPUT', fields: validation.fields } };
  }
  const code = formatted.extensions?.code;
  // Errors the hub raised while building the request context (bad token, bad header).
  if (original instanceof GraphQLError && typeof code === 'string' && KNOWN_CODES.has(code) && code !== 'INTERNAL_SERVER_ERROR') {
    return { message: formatted.message, extensions: { ...formatted.extensions, code } };
  }
  if (typeof code === 'string' && APOLLO_INPUT_CODES.has(code)) {
    return { message: formatted.message, locations: formatted.locations, extensions: { code: 'BAD_USER_INPUT', reason: code } };
  }
  // A GraphQLError raised by graphql-js during coercion of variables/arguments (no original error).
  if (original instanceof GraphQLError && !original.originalError && !formatted.path) {
    return { message: formatted.message, locations: formatted.locations, extensions: { code: 'BAD_USER_INPUT' } };
  }
  return { message: internal(requestId).message, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
