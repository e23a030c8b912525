import pino, { type Logger } from 'pino';

/**
 * Structured logs. They carry request ids, actor ids, operation names and timings, never
 * personal data: names, document numbers and notes must not be logged anywhere.
 */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'hub' }, redact: ['req.headers.authorization', 'authorization'] });
}
export type { Logger };
