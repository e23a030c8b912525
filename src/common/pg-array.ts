/**
 * A PostgreSQL array literal bound as one text parameter (`?::uuid[]`, `?::text[]`): the query
 * builder would spread a JS array into a list. Elements are quoted and escaped, so a value with
 * a comma, a quote or a brace stays one element.
 */
export function pgArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}
