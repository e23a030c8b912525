import type { GraphQLSchema } from 'graphql';

/**
 * Descriptions of the root types, which type-graphql builds without a way to describe them.
 * They are the first thing an integrator reads in the SDL or an explorer, so they state the
 * rules every root field shares (DESIGN.md §3-§5).
 */
const ROOTS = {
  query:
    'Reads. Every call needs Authorization: Bearer <JWT> and an X-Purpose-Of-Use header (required in production except for me); each record read is written to the audit trail ' +
    '(field names, never values) before the answer leaves. A record outside your scope is NOT_FOUND, exactly like one that does not exist; ' +
    'a field your sector may not read comes back null and is listed in redactedFields.',
  mutation:
    'Writes. Each sector writes only its own sections; a write touching a field you may not write is refused whole (FORBIDDEN, naming the ' +
    'fields) and nothing is written. Updates carry the version you read (a stale one is CONFLICT). Send an Idempotency-Key header to retry ' +
    'safely. Every write and its audit events commit together.',
};

export function describeRoots(schema: GraphQLSchema): GraphQLSchema {
  const query = schema.getQueryType();
  const mutation = schema.getMutationType();
  if (query) query.description ??= ROOTS.query;
  if (mutation) mutation.description ??= ROOTS.mutation;
  return schema;
}
