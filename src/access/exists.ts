import { raw } from '@mikro-orm/core';

/**
 * A CASL `$elemMatch` on one of the returnee's collections ("an active case access of my
 * agency", "an active consent covering my sector and this section") as a correlated
 * `EXISTS (select 1 from <child> where <child>.returnee_id = <row>.id and …)`.
 *
 * Why not MikroORM's `$some`: it renders `id IN (select returnee.id from returnee join <child> …)`,
 * an uncorrelated subquery over the whole returnee table. Inside the OR of the scope branches
 * PostgreSQL cannot turn it into a semi-join and computes it in full for every query, so the
 * cost of a page grew with the database (measured with `npm run bench`, see docs/bench.md).
 * A correlated EXISTS is probed per row through the child's `returnee_id` index, or hashed
 * over the child table alone when the planner prefers that.
 *
 * Only what the policies use is understood (equality, null, `$all`, comparisons, `$or`,
 * `$and`); anything else throws, so a new kind of rule cannot silently widen the scope.
 * Values are bound as parameters, never spliced into the SQL.
 */
const COLLECTIONS: Readonly<Record<string, { table: string; foreignKey: string }>> = {
  caseAccesses: { table: 'case_access', foreignKey: 'returnee_id' },
  consents: { table: 'consent', foreignKey: 'returnee_id' },
};

/** Many-to-one properties of the child entities, by their column. */
const RELATION_COLUMNS: Readonly<Record<string, string>> = { agency: 'agency_id' };

const COMPARISONS: Readonly<Record<string, string>> = { $eq: '=', $ne: '<>', $lt: '<', $lte: '<=', $gt: '>', $gte: '>=' };

export function isExistsCollection(key: string): boolean {
  return key in COLLECTIONS;
}

function columnOf(property: string): string {
  if (property in RELATION_COLUMNS) return RELATION_COLUMNS[property];
  if (!/^[a-z][a-zA-Z0-9]*$/.test(property)) throw new Error(`exists: unsupported property "${property}" in a collection rule`);
  return property.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
}

function scalar(value: unknown, params: unknown[]): string {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) {
    params.push(value);
    return '?';
  }
  throw new Error(`exists: unsupported value ${JSON.stringify(value)} in a collection rule`);
}

function operator(column: string, op: string, value: unknown, params: unknown[]): string {
  if (op === '$all') {
    if (!Array.isArray(value) || value.length === 0) throw new Error('exists: $all takes a non-empty array');
    return `${column} @> array[${value.map((v) => scalar(v, params)).join(', ')}]::text[]`;
  }
  if (op === '$in') {
    if (!Array.isArray(value) || value.length === 0) return 'false';
    return `${column} in (${value.map((v) => scalar(v, params)).join(', ')})`;
  }
  if (op in COMPARISONS) {
    if (value === null) return op === '$ne' ? `${column} is not null` : op === '$eq' ? `${column} is null` : 'false';
    return `${column} ${COMPARISONS[op]} ${scalar(value, params)}`;
  }
  throw new Error(`exists: unsupported operator ${op} in a collection rule`);
}

function render(condition: Record<string, unknown>, alias: string, params: unknown[]): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(condition)) {
    if (key === '$or' || key === '$and') {
      if (!Array.isArray(value) || value.length === 0) throw new Error(`exists: ${key} takes a non-empty array`);
      parts.push(`(${value.map((v) => render(v as Record<string, unknown>, alias, params)).join(key === '$or' ? ' or ' : ' and ')})`);
      continue;
    }
    if (key === '$not') {
      parts.push(`not (${render(value as Record<string, unknown>, alias, params)})`);
      continue;
    }
    const column = `${alias}.${columnOf(key)}`;
    if (value === null) parts.push(`${column} is null`);
    else if (isPlainObject(value)) for (const [op, v] of Object.entries(value)) parts.push(operator(column, op, v, params));
    else parts.push(`${column} = ${scalar(value, params)}`);
  }
  return parts.length > 0 ? `(${parts.join(' and ')})` : 'true';
}

/** `{ [raw EXISTS]: true }`: a fresh raw fragment each call (MikroORM uses a fragment once). */
export function existsFilter(collection: string, condition: Record<string, unknown>): Record<string, unknown> {
  const { table, foreignKey } = COLLECTIONS[collection];
  const params: unknown[] = [];
  const where = render(condition, 'x', params);
  const key = raw((alias: string) => `exists (select 1 from ${table} x where x.${foreignKey} = ${alias}.id and ${where})`, params) as unknown as string;
  return { [key]: true };
}
