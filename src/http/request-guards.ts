import express, { type ErrorRequestHandler, type RequestHandler, type Response } from 'express';
import type { Logger } from '../logger';

/**
 * The HTTP layer in front of Apollo on /graphql. Everything it refuses gets the same JSON
 * shape as a GraphQL error (`errors[0].extensions.code`), never Express's HTML page (which
 * carries a stack trace outside production):
 * - a body over HUB_MAX_BODY_BYTES: 413;
 * - a POST that is not application/json (what a cross-site form or text/plain post looks
 *   like): 415; Apollo's CSRF prevention still guards GET;
 * - JSON that does not parse, or a batch (an array of operations): 400;
 * - methods other than GET and POST: 405.
 */
type Reason = 'BODY_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE' | 'MALFORMED_JSON' | 'BATCH_NOT_ALLOWED' | 'METHOD_NOT_ALLOWED' | 'BAD_REQUEST';

export function refuse(res: Response, status: number, reason: Reason, message: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code: 'BAD_USER_INPUT', reason } }] });
}

const methodAndType: RequestHandler = (req, res, next) => {
  if (req.method !== 'GET' && req.method !== 'POST') {
    res.setHeader('Allow', 'GET, POST');
    return refuse(
      res,
      405,
      'METHOD_NOT_ALLOWED',
      `${req.method} is not supported on /graphql: POST an operation as JSON (GET only for queries)`,
    );
  }
  if (req.method === 'POST' && !req.is('application/json')) {
    return refuse(
      res,
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'POST /graphql needs Content-Type: application/json (form and text/plain posts are refused: they are what cross-site requests look like)',
    );
  }
  next();
};

const oneOperation: RequestHandler = (req, res, next) => {
  // Express 5 leaves req.body unset without a parsed body (GET); Apollo's adapter needs the key.
  if (req.body === undefined) req.body = {};
  if (Array.isArray(req.body)) {
    return refuse(res, 400, 'BATCH_NOT_ALLOWED', 'Batched operations are not accepted: send one operation per request');
  }
  next();
};

function bodyErrors(maxBodyBytes: number): ErrorRequestHandler {
  return (error: { type?: string; status?: number }, _req, res, next) => {
    if (res.headersSent) return next(error);
    switch (error.type) {
      case 'entity.too.large':
        return refuse(
          res,
          413,
          'BODY_TOO_LARGE',
          `The request body is larger than ${maxBodyBytes} bytes: send a smaller document or fewer variables`,
        );
      case 'entity.parse.failed':
        return refuse(res, 400, 'MALFORMED_JSON', 'The request body is not valid JSON: send {"query": "...", "variables": {...}}');
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return refuse(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'The request body must be UTF-8 JSON without content encoding');
      default:
        if (typeof error.status === 'number' && error.status >= 400 && error.status < 500) {
          return refuse(res, error.status, 'BAD_REQUEST', 'The request could not be read: send a complete JSON body');
        }
        return next(error);
    }
  };
}

/** Last resort for /graphql: an unexpected failure answers with a code, never a page with a stack. */
function lastResort(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    const { requestId, correlationId } = req as { requestId?: string; correlationId?: string };
    log.error({ err: error, requestId, correlationId }, 'request failed outside GraphQL');
    res.status(500).json({
      errors: [
        {
          message: 'The hub could not complete the request; nothing was changed. Quote the X-Request-Id response header to an operator.',
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        },
      ],
    });
  };
}

/** Mounted before Apollo's middleware on /graphql. */
export function requestGuards(maxBodyBytes: number): (RequestHandler | ErrorRequestHandler)[] {
  // inflate: false: a compressed body is refused (415), so no gzip bomb is ever expanded.
  return [methodAndType, express.json({ limit: maxBodyBytes, inflate: false }), bodyErrors(maxBodyBytes), oneOperation];
}

/** Mounted after Apollo's middleware on /graphql. */
export function requestFailures(log: Logger): ErrorRequestHandler {
  return lastResort(log);
}
