import type { FactSql, RowFacts } from './row-facts';

/**
 * The one compiler from a CASL condition on Returnee (mongo dialect, as `rulesToCondition`
 * builds it from the policies) to a SQL boolean expression over a returnee row. Both the
 * MikroORM filters of the write paths (scope.ts) and the single-statement read of a page
 * (returnee/returnee-select.ts) use it, so "which rows" and "which fields on which rows" are
 * decided by the same SQL however the query around it is built.
 *
 * - A property is a column of the row: camelCase becomes snake_case, a many-to-one names its
 *   foreign key (`registeringAgency` → `registering_agency_id`).
 * - `$elemMatch` on a collection ("an active case access of my agency", "an active consent
 *   covering my sector and this section") is a correlated
 *   `EXISTS (select 1 from <child> x where x.returnee_id = <row>.id and …)`. Why not MikroORM's
 *   `$some`: it renders `id IN (select returnee.id from returnee join <child> …)`, an
 *   uncorrelated subquery over the whole returnee table, which PostgreSQL computed in full for
 *   every query inside the OR of the scope branches, so a page cost more the bigger the
 *   database (measured with `npm run bench`, see docs/bench.md). A correlated EXISTS is probed
 *   per row through the child's `returnee_id` index.
 * - `$all` on an array column is "contains" (`@>`).
 *
 * Only what the policies use is understood (equality, null, `$all`, `$in`, comparisons, `$or`,
 * `$and`, `$not`); anything else throws, so a new kind of rule cannot silently widen the scope.
 * Values are bound as `?` parameters (knex style), never spliced into the SQL.
 */
const COLLECTIONS: Readonly<Record<string, { table: string; foreignKey: string; rowKey?: string }>> = {
  caseAccesses: { table: 'case_access', foreignKey: 'returnee_id' },
  consents: { table: 'consent', foreignKey: 'returnee_id' },
  // Agreements belong to the agency that registered the record, not to the record (active-agreement.ts).
  sharingAgreements: { table: 'sharing_agreement', foreignKey: 'holder_id', rowKey: 'registering_agency_id' },
  // Open break-glass windows on the record: a view that compares expires_at with now() (access/break-glass-window.ts).
  breakGlassWindows: { table: 'break_glass_open', foreignKey: 'returnee_id' },
};

/** Many-to-one properties, by their column. */
const RELATION_COLUMNS: Readonly<Record<string, string>> = {
  agency: 'agency_id',
  registeringAgency: 'registering_agency_id',
  recipientAgency: 'recipient_agency_id',
};

const COMPARISONS: Readonly<Record<string, string>> = { $eq: '=', $ne: '<>', $lt: '<', $lte: '<=', $gt: '>', $gte: '>=' };

function columnOf(property: string): string {
  if (property in RELATION_COLUMNS) return RELATION_COLUMNS[property];
  if (!/^[a-z][a-zA-Z0-9]*$/.test(property)) throw new Error(`condition-sql: unsupported property "${property}" in a rule`);
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
  throw new Error(`condition-sql: unsupported value ${JSON.stringify(value)} in a rule`);
}

function operator(column: string, op: string, value: unknown, params: unknown[]): string {
  if (op === '$all') {
    if (!Array.isArray(value) || value.length === 0) throw new Error('condition-sql: $all takes a non-empty array');
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
  throw new Error(`condition-sql: unsupported operator ${op} in a rule`);
}

/**
 * For a subject other than Returnee: each property a rule may name, as a SQL expression over the
 * row at hand. Only these properties are understood and collection rules are refused, so a rule
 * naming anything else throws instead of widening the scope.
 */
export type FieldMap = Readonly<Record<string, string>>;

/** Collection rules as facts of the row (row-facts.ts) instead of subqueries: the facts, and the columns used. */
interface Hoist {
  facts: RowFacts;
  used: string[];
}

/** The collection's table, foreign key and the returnee column it matches. */
export function collectionOf(collection: keyof typeof COLLECTIONS): { table: string; foreignKey: string; rowKey: string } {
  const { table, foreignKey, rowKey = 'id' } = COLLECTIONS[collection];
  return { table, foreignKey, rowKey };
}

function exists(collection: string, value: unknown, alias: string, params: unknown[], nested: boolean, hoist?: Hoist): string {
  const elemMatch = isPlainObject(value) && Object.keys(value).length === 1 ? value.$elemMatch : undefined;
  if (!isPlainObject(elemMatch)) throw new Error(`condition-sql: ${collection} takes only $elemMatch`);
  if (nested) throw new Error('condition-sql: a collection rule inside a collection rule is not supported');
  const { table, foreignKey, rowKey } = collectionOf(collection);
  if (hoist) {
    const column = hoist.facts.firstId({ table, foreignKey, rowKey }, conjunctsOf(elemMatch, 'x'));
    hoist.used.push(column);
    return `${alias}.${column} is not null`;
  }
  const child = alias === 'x' ? 'x1' : 'x';
  return `exists (select 1 from ${table} ${child} where ${child}.${foreignKey} = ${alias}.${rowKey} and ${render(elemMatch, child, params, true)})`;
}

function render(
  condition: Record<string, unknown>,
  alias: string,
  params: unknown[],
  nested = false,
  fields?: FieldMap,
  hoist?: Hoist,
): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(condition)) {
    if (key === '$or' || key === '$and') {
      if (!Array.isArray(value) || value.length === 0) throw new Error(`condition-sql: ${key} takes a non-empty array`);
      parts.push(
        `(${value.map((v) => render(v as Record<string, unknown>, alias, params, nested, fields, hoist)).join(key === '$or' ? ' or ' : ' and ')})`,
      );
      continue;
    }
    if (key === '$not') {
      parts.push(`not (${render(value as Record<string, unknown>, alias, params, nested, fields, hoist)})`);
      continue;
    }
    if (fields && !Object.hasOwn(fields, key)) throw new Error(`condition-sql: unsupported property "${key}" in a rule`);
    if (!fields && key in COLLECTIONS) {
      parts.push(exists(key, value, alias, params, nested, hoist));
      continue;
    }
    const column = fields ? fields[key] : `${alias}.${columnOf(key)}`;
    if (value === null) parts.push(`${column} is null`);
    else if (isPlainObject(value)) for (const [op, v] of Object.entries(value)) parts.push(operator(column, op, v, params));
    else parts.push(`${column} = ${scalar(value, params)}`);
  }
  return parts.length > 0 ? `(${parts.join(' and ')})` : 'true';
}

/** A SQL boolean over the returnee row `alias`; its values are appended to `params` in order. */
export function conditionSql(template: Record<string, unknown>, alias: string, params: unknown[]): string {
  // An alias of ours, or MikroORM's placeholder for the alias it substitutes later ([::alias::]).
  if (!/^[a-z][a-z0-9_]*$|^\[::alias::\]$/.test(alias)) throw new Error(`condition-sql: unexpected alias "${alias}"`);
  return render(template, alias, params);
}

/** A SQL boolean over another subject's row, through its field map; values appended to `params` in order. */
export function conditionSqlOver(template: Record<string, unknown>, fields: FieldMap, params: unknown[]): string {
  return render(template, '', params, false, fields);
}

/** A piece of SQL with its `?` parameters, in text order. */
export interface Sql {
  text: string;
  params: readonly unknown[];
}

/** A condition over the returnee row `r`, compiled once (projection.ts keeps these per ability). */
export function compileCondition(template: Record<string, unknown>): Sql {
  const params: unknown[] = [];
  return { text: conditionSql(template, 'r', params), params };
}

/**
 * The same condition over `r` with every collection rule read from a fact of the row (row-facts.ts)
 * rather than its own subquery: valid only where the statement computes those facts for `r`
 * (returnee-select.ts). The facts named are listed with it.
 */
export function compileOverFacts(template: Record<string, unknown>, facts: RowFacts): FactSql {
  const params: unknown[] = [];
  const hoist: Hoist = { facts, used: [] };
  const text = render(template, 'r', params, false, undefined, hoist);
  return { text, params, facts: [...new Set(hoist.used)] };
}

/**
 * A condition on a collection's row `alias` (the inside of an `$elemMatch`) as its conjuncts, each
 * compiled with its own values: row-facts.ts filters a scan once by the conjuncts its facts share.
 */
export function conjunctsOf(condition: Record<string, unknown>, alias: string): Sql[] {
  return Object.entries(condition).map(([key, value]) => {
    const params: unknown[] = [];
    return { text: render({ [key]: value }, alias, params, true), params };
  });
}

/** Splices compiled SQL into a statement being built: its text, its values appended to `params`. */
export function inline(sql: Sql, params: unknown[]): string {
  params.push(...sql.params);
  return sql.text;
}
