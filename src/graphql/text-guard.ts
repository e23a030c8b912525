import type { MiddlewareFn } from 'type-graphql';
import { badInput } from '../errors';

/**
 * Text in any argument must be well-formed Unicode without control characters other than
 * tab, line feed and carriage return. PostgreSQL cannot store U+0000 (the write would fail
 * as an internal error), a lone surrogate would be stored as U+FFFD (not what was sent), and
 * the other C0 controls and DEL only ever arrive to break a log line, a CSV export or a
 * terminal. Everything else — quotes, `<script>`, `'; DROP TABLE` — is ordinary text to the
 * hub: bound as a parameter, stored and returned verbatim.
 */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function badTextAt(value: unknown, path: string, depth = 0): { path: string; what: string } | undefined {
  if (typeof value === 'string') {
    const control = CONTROL.exec(value);
    if (control) return { path, what: `a control character (U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})` };
    if (LONE_SURROGATE.test(value)) return { path, what: 'a lone UTF-16 surrogate (not well-formed Unicode)' };
    return undefined;
  }
  if (depth > 10 || value === null || typeof value !== 'object' || value instanceof Date) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = badTextAt(item, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

export const rejectControlCharacters: MiddlewareFn = ({ args }, next) => {
  for (const [name, value] of Object.entries(args ?? {})) {
    const bad = badTextAt(value, name);
    if (bad) throw badInput(`${bad.path} contains ${bad.what}: send printable text (tabs and line breaks are fine)`, { fields: [bad.path] });
  }
  return next();
};
