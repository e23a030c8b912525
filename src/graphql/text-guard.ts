import { defaultFieldResolver, isObjectType, type GraphQLSchema } from 'graphql';
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

/** Throws BAD_USER_INPUT naming the first argument path that holds bad text. */
export function rejectControlCharacters(args: Record<string, unknown> | undefined): void {
  for (const [name, value] of Object.entries(args ?? {})) {
    const bad = badTextAt(value, name);
    if (bad)
      throw badInput(`${bad.path} contains ${bad.what}: send printable text (tabs and line breaks are fine)`, { fields: [bad.path] });
  }
}

/**
 * Puts the check in front of the resolver of every field that takes arguments (every query
 * and mutation, and any object field with arguments), in place, once when the schema is built.
 * Why not a type-graphql global middleware: that wraps every field of every object in an
 * async middleware chain, so a page of 50 records resolved thousands of promises for fields
 * that have no arguments at all (measured with `npm run bench`, see docs/bench.md).
 */
export function guardTextArguments(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.args.length === 0) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context: { actor?: unknown } | undefined, info) => {
        // Signed-out callers get UNAUTHENTICATED from the resolver's guard, as before, not a verdict on their input.
        if (context?.actor) rejectControlCharacters(args);
        return resolve(source, args, context, info);
      };
    }
  }
  return schema;
}
