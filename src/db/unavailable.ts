/**
 * Tells "the database is away" (stopped, restarting, unreachable, out of connections) apart
 * from every other failure, so a request that meets an outage answers SERVICE_UNAVAILABLE
 * (HTTP 503: retry later) instead of INTERNAL_SERVER_ERROR (a bug to report).
 *
 * Drivers report an outage in several shapes: a socket error code while connecting, a
 * PostgreSQL SQLSTATE of class 08 (connection) or 57P (operator intervention) when the server
 * ends a session, node-postgres' own "Connection terminated" messages, and knex's timeout when
 * no connection could be acquired. MikroORM wraps them (copying `code`), knex may wrap them in
 * `cause`; the whole chain is searched.
 *
 * One more shape: when the BEGIN of a transaction fails on a connection the server just closed,
 * knex swallows that error, hands out the transaction anyway, and its first statement fails
 * with "Transaction query already complete". The hub never issues a statement on a finished
 * transaction otherwise (a failed statement ends the transaction's callback), so that message
 * means a lost connection too.
 */
const UNAVAILABLE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006', // connection exceptions
  '57P01',
  '57P02',
  '57P03', // admin shutdown, crash shutdown, cannot connect now (starting or stopping)
  '53300', // too many connections
]);

const UNAVAILABLE_MESSAGE =
  /Connection terminated|Transaction query already complete|Connection ended unexpectedly|Timeout acquiring a connection|timeout expired|the database system is (starting up|shutting down|in recovery|not yet accepting)|terminating connection due to administrator command|Client has encountered a connection error|Client was closed and is not queryable/i;

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  const e = error as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown; originalError?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
  if (e.name === 'KnexTimeoutError') return true;
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGE.test(e.message)) return true;
  // AggregateError (a host name resolving to several addresses, all refused)
  if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1) || isDatabaseUnavailable(e.originalError, depth + 1);
}
