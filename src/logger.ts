import pino, { type Logger } from 'pino';

/**
 * Structured logs. They carry request ids, actor ids, operation names and timings, never
 * personal data: names, document numbers and notes must not be logged anywhere.
 *
 * Two guards back that up wherever a log call is written carelessly:
 * - `err` goes through `safeError`: database errors carry the failed SQL with its values
 *   inlined (knex puts it in the message) and PostgreSQL's DETAIL quotes the offending
 *   value; only the error's type, codes, constraint/table names, a scrubbed message and the
 *   stack frames are kept;
 * - request headers, variables, arguments and bodies are redacted by path.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'hub' },
    serializers: { err: safeError, error: safeError },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
export type { Logger };

const REDACTED_PATHS = [
  'authorization',
  'cookie',
  'password',
  'token',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.body',
  'res.body',
  'variables',
  'args',
  'input',
  'body',
  'query',
  '*.authorization',
  '*.password',
  '*.token',
  '*.variables',
  '*.args',
  '*.input',
  '*.body',
];

/** SQL the drivers prepend to a message ("insert into … values (…) - <reason>"). */
const SQL_PREFIX =
  /^\s*(select|insert|update|delete|with|begin|commit|rollback|savepoint|release|create|alter|drop|grant|revoke|set|copy)\b[\s\S]*? - /i;

/** Quoted literals and identifiers, and PostgreSQL's "Key (…)=(…)" detail: where values show up. */
export function scrubMessage(message: string): string {
  return message
    .replace(SQL_PREFIX, '<sql> - ')
    .replace(/\(([^()]*)\)=\(([^()]*|\([^()]*\))*\)/g, '(…)=(…)')
    .replace(/"[^"\n]*"/g, '"…"')
    .replace(/'[^'\n]*'/g, "'…'")
    .slice(0, 500);
}

const SAFE_PROPS = [
  'code',
  'sqlState',
  'errno',
  'severity',
  'routine',
  'constraint',
  'table',
  'column',
  'schema',
  'dataType',
  'syscall',
] as const;

/** What of an error is safe to log: see the module comment. */
export function safeError(error: unknown, depth = 0): Record<string, unknown> | undefined {
  if (error === undefined || error === null) return undefined;
  if (typeof error !== 'object') return { type: typeof error, message: scrubMessage(String(error)) };
  const e = error as Record<string, unknown> & { name?: unknown; message?: unknown; stack?: unknown; cause?: unknown };
  const out: Record<string, unknown> = { type: typeof e.name === 'string' ? e.name : (e.constructor?.name ?? 'Error') };
  if (typeof e.message === 'string') out.message = scrubMessage(e.message);
  for (const p of SAFE_PROPS) {
    if (typeof e[p] === 'string' || typeof e[p] === 'number') out[p] = e[p];
  }
  if (typeof e.stack === 'string') {
    out.stack = e.stack
      .split('\n')
      .filter((l) => /^\s+at /.test(l))
      .slice(0, 15)
      .join('\n');
  }
  if (e.cause !== undefined && depth < 3) out.cause = safeError(e.cause, depth + 1);
  return out;
}
