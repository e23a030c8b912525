import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler } from 'express';

/**
 * Every request gets a request id the hub generates (a UUID), echoed in `X-Request-Id` and
 * stored on its audit events and log lines. A client's id is never used as the request id:
 * clients reuse and share ids (two staff members once shared one in the trail), and an audit
 * trail keyed by an id the caller picked can be made to lie.
 *
 * What a client sends in `X-Correlation-Id` (or, failing that, `X-Request-Id`) is kept beside
 * it as the correlation id, to tie the hub's records to the client's own logs: only the
 * characters of a token (letters, digits and `._~:@/+=-`) are kept, at most 128 of them, and
 * it is echoed back in `X-Correlation-Id`. It is not unique and proves nothing.
 */
export type IdentifiedRequest = Request & { requestId?: string; correlationId?: string };

export const MAX_CORRELATION_ID = 128;

export function correlationIdFrom(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const kept = raw.replace(/[^A-Za-z0-9._~:@/+=-]/g, '').slice(0, MAX_CORRELATION_ID);
  return kept === '' ? undefined : kept;
}

export const requestIds: RequestHandler = (req: IdentifiedRequest, res, next) => {
  req.requestId = randomUUID();
  req.correlationId = correlationIdFrom(req.header('x-correlation-id') || req.header('x-request-id'));
  res.setHeader('X-Request-Id', req.requestId);
  if (req.correlationId) res.setHeader('X-Correlation-Id', req.correlationId);
  next();
};
