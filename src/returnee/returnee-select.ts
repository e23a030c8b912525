import { conditionSql, inline, type Sql } from '../access/condition-sql';
import type { SectionWitness } from '../access/basis';
import { RowFacts, type FactSql } from '../access/row-facts';
import type { ReadProjection } from '../access/projection';
import type { RowTable } from '../sections/declaration';
import { rowTableOf, shownColumns } from '../sections/registry';

/**
 * One SQL statement for a page (or one record) of returnees as one caller may see them:
 *
 *   select <reference columns>, <one boolean per consent-gated field group>,
 *          <each requested field: its column, or CASE WHEN <its group holds> THEN column END>,
 *          <each requested section: CASE WHEN … THEN (json_agg of its rows, newest first) END>
 *   from (select r.*, <group conditions> from (<rows in scope, filtered, sorted, limited>) r offset 0) r
 *
 * Every condition is SQL from the caller's CASL rules (access/condition-sql.ts): the row scope
 * in the innermost WHERE, each field group's condition once per row of the page (`offset 0`
 * keeps PostgreSQL from copying it into every CASE). A value the caller may not see never
 * leaves the database, and the statement count does not grow with the page: one statement
 * instead of one per field group and one per section, and no ORM entities to hydrate (see
 * docs/bench.md for what that changed).
 */

const AGENCY = (a: string) =>
  `json_build_object('id', ${a}.id, 'code', ${a}.code, 'name', ${a}.name, 'sector', ${a}.sector, 'country', ${a}.country, 'createdAt', ${a}.created_at)`;

/**
 * A section's rows as a JSON array in the shape of its GraphQL type, ordered as the UI shows
 * it, with only the keys the client selected (all when `keys` is undefined): the agency is
 * joined only when asked for. Table, columns and order come from the section's declaration
 * (src/sections/).
 */
function sectionSql(spec: RowTable, keys?: ReadonlySet<string>): string {
  const picked = Object.entries(shownColumns(spec)).filter(([key]) => !keys || keys.has(key));
  const object = picked.map(([key, column]) => `'${key}', ${key === 'agency' ? AGENCY('a') : `s.${column}`}`).join(', ');
  const join = picked.some(([key]) => key === 'agency') ? ' join agency a on a.id = s.agency_id' : '';
  return (
    `(select coalesce(json_agg(json_build_object(${object}) order by ${spec.orderBy}), '[]'::json) from ${spec.table} s${join}` +
    ` where s.returnee_id = r.id${spec.shown ? ` and ${spec.shown}` : ''})`
  );
}

/**
 * The SQL of each readable field that is not simply its own column (fields kept in rows: sectionSql).
 * `documentStatuses` derives from the current civil documents (status and date, never numbers);
 * `isMinor` is computed from the column named here (returnee.view.ts); `household` needs the
 * caller's scope (householdSql).
 */
const FIELD_SQL: Readonly<Record<string, string>> = {
  // text[] as JSON: the driver parses JSON natively, PostgreSQL's array text form in JavaScript.
  otherNames: 'to_json(r.other_names)',
  languages: 'to_json(r.languages)',
  specialClasses: 'to_json(r.special_classes)',
  isMinor: 'r.date_of_birth',
  registeringAgency: `(select ${AGENCY('a')} from agency a where a.id = r.registering_agency_id)`,
  documentStatuses:
    `(select coalesce(json_agg(json_build_object('type', d.type, 'status', d.status, 'recordedAt', d.recorded_at)), '[]'::json)` +
    ' from civil_document d where d.returnee_id = r.id and d.superseded_at is null)',
};

const PROPERTY = /^[a-z][a-zA-Z0-9]*$/;

/** The column of a plain field (`familyName` → `r.family_name`); field names come from the schema, checked anyway. */
export function columnOf(field: string): string {
  if (!PROPERTY.test(field)) throw new Error(`returnee-select: unexpected field "${field}"`);
  return `r.${field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
}

/**
 * Family links as a unit: the record's guardian and wards that are in the caller's own row scope
 * (the scope compiled again over the member `m`), named by id and case number only; their
 * contents come from reading them.
 */
function householdSql(p: ReadProjection, params: unknown[]): string {
  return (
    `(select coalesce(json_agg(json_build_object('id', m.id, 'caseNumber', m.case_number, 'relation', rel.relation)` +
    " order by m.case_number, rel.relation), '[]'::json) from returnee m" +
    " cross join lateral (values ('GUARDIAN', m.id = r.guardian_returnee_id), ('WARD', m.guardian_returnee_id = r.id)) rel(relation, holds)" +
    ` where (m.id = r.guardian_returnee_id or m.guardian_returnee_id = r.id) and rel.holds and ${conditionSql(p.scopeTemplate, 'm', params)})`
  );
}

function fieldSql(p: ReadProjection, field: string, keys: ReadonlySet<string> | undefined, params: unknown[]): string {
  const rows = rowTableOf(field);
  if (rows) return sectionSql(rows, keys);
  if (field === 'household') return householdSql(p, params);
  return FIELD_SQL[field] ?? columnOf(field);
}

export interface SelectSpec {
  projection: ReadProjection;
  /** Requested fields the policy may permit (not id, caseNumber, version, redactedFields, __typename). */
  fields: string[];
  /** Evaluate every field group (for redactedFields), not only those of requested fields. */
  allGroups: boolean;
  /** The keys selected inside a section field (all when undefined). */
  subfields?: (field: string) => ReadonlySet<string> | undefined;
  /** Over the returnee row `r`: scope, filters, cursor (or `byIds`). */
  where?: Sql;
  /**
   * Instead of `where`, for records named by id: the key condition over `r` (`r.id = ?`). The
   * rows are looked up by key and the row scope is checked over their facts (row-facts.ts), which
   * the statement computes for them anyway, instead of by subqueries of its own.
   */
  byIds?: Sql;
  /**
   * `where` split along the branches of the row scope (each: one branch, the filters, the
   * cursor), whose OR is `where`. With `orderBy` and `limit`, each branch is read in index
   * order with its own limit and the branches merged, instead of sorting the whole scope.
   */
  branches?: Sql[];
  /**
   * `where` over `r` and its facts (the row scope as `projection.scopeOverFacts`), to check the
   * merged rows of the branches with; without it the branches are not split.
   */
  recheck?: FactSql;
  /** `r.<column> asc|desc` terms; also returned as column `sort_key` (the first term's column). */
  orderBy?: { column: string; direction: 'asc' | 'desc' };
  limit?: number;
  /**
   * The basis of each shared section shown (access/basis.ts): per field group, the sections it
   * discloses and the SQL naming the basis on a row where the group holds.
   */
  witnesses?: (group: number) => readonly SectionWitness[];
  /** Ask the basis of every evaluated group, shown or not (history discloses fields it does not select). */
  witnessAll?: boolean;
}

/** How to read the answer: which group index gates which field, and the column alias of each field. */
export interface SelectPlan {
  sql: Sql;
  /** Index into projection.groups of each evaluated group, in the order of columns g0, g1, … */
  groups: number[];
  /** Column alias per requested field (f0, f1, …). */
  fieldColumns: Map<string, string>;
  /** Per evaluated group (as in `groups`): the column alias of each shown section's basis. */
  basisColumns: Map<number, { section: string; column: string }[]>;
}

export function buildSelect(spec: SelectSpec): SelectPlan {
  const { projection: p } = spec;
  const groupOf = new Map<string, number>();
  p.groups.forEach((g, i) => g.fields.forEach((f) => groupOf.set(f, i)));
  // The facts of the row (row-facts.ts) the groups and bases of this statement read.
  const used: string[] = [];

  const groups = p.groups.map((_, i) => i).filter((i) => spec.allGroups || spec.fields.some((f) => groupOf.get(f) === i));
  const groupParams: unknown[] = [];
  const groupColumns = groups.map((gi, k) => {
    used.push(...p.groups[gi].overFacts.facts);
    return `${inline(p.groups[gi].overFacts, groupParams)} as g${k}`;
  });
  const outputParams: unknown[] = [];

  const fieldColumns = new Map<string, string>();
  const outputs = ['r.id', 'r.case_number', 'r.version'];
  if (spec.orderBy) outputs.push(`${spec.orderBy.column} as sort_key`);
  groups.forEach((_, k) => outputs.push(`r.g${k}`));
  spec.fields.forEach((field, i) => {
    const gi = groupOf.get(field);
    if (gi === undefined && !p.base.has(field)) return; // not readable at all: stays null, listed as denied
    const alias = `f${i}`;
    fieldColumns.set(field, alias);
    const value = fieldSql(p, field, spec.subfields?.(field), outputParams);
    outputs.push(gi === undefined ? `${value} as ${alias}` : `case when r.g${groups.indexOf(gi)} then ${value} end as ${alias}`);
  });
  // Why each shared section shown is disclosed, where its group holds: one column per section.
  const basisColumns = new Map<number, { section: string; column: string }[]>();
  groups.forEach((gi, k) => {
    if (!spec.witnesses || !(spec.witnessAll || spec.fields.some((f) => groupOf.get(f) === gi))) return;
    const columns = spec.witnesses(gi).map((w, i) => {
      const column = `b${k}_${i}`;
      used.push(...w.sql.facts);
      outputs.push(`case when r.g${k} then ${inline(w.sql, outputParams)} end as ${column}`);
      return { section: w.section, column };
    });
    basisColumns.set(k, columns);
  });
  // Break-glass: on a record only an open window of the caller brought into scope, the basis of
  // what every record in scope shows (access/basis.ts breakGlassBaseWitness); null elsewhere.
  if (p.baseWitness) {
    used.push(...p.baseWitness.facts);
    outputs.push(`${inline(p.baseWitness, outputParams)} as bg_base`);
  }

  const order = spec.orderBy ? ` order by ${spec.orderBy.column} ${spec.orderBy.direction}, r.id ${spec.orderBy.direction}` : '';
  const source = rowsSql(spec, order, used);
  // `source`: each row with its facts, each computed once (one scan per collection); then the
  // groups over them (`offset 0`: once per row, not copied into every CASE); then the columns.
  const gated = `select r.*${groupColumns.map((c) => `, ${c}`).join('')} from (${source.text}) r offset 0`;
  return {
    sql: {
      text: `select ${outputs.join(', ')} from (${gated}) r${order}`,
      params: [...outputParams, ...groupParams, ...source.params],
    },
    groups,
    fieldColumns,
    basisColumns,
  };
}

/**
 * The returnee rows of the statement, with the facts `used` (row-facts.ts) as columns.
 *
 * - Records named by id (`byIds`): looked up by key, the row scope checked over their facts.
 * - A scope split in branches with an order and a limit: each branch's first `limit` rows in
 *   index order (the index on the branch's column and the sort key:
 *   migrations/Migration20261213070100.ts), merged; the page is among them, since each of its
 *   rows is among the first `limit` of its own branch. Then the rows themselves, with the whole
 *   condition checked again on them over their facts (`recheck`: the split can only narrow,
 *   never widen, what a page holds).
 * - Otherwise one scan of the scope, sorted; the facts computed for the rows it keeps.
 */
function rowsSql(spec: SelectSpec, order: string, used: string[]): Sql {
  const p = spec.projection;
  const check = spec.byIds
    ? p.scopeOverFacts
    : spec.branches?.length && spec.orderBy && spec.limit !== undefined
      ? spec.recheck
      : undefined;
  if (check) used.push(...check.facts);
  const laterals = p.facts.laterals(used);
  const factColumns = RowFacts.columns(used)
    .map((c) => `, ${c}`)
    .join('');
  // Rows (by key) with their facts, then the condition over them.
  const checked = (from: Sql, condition: Sql): Sql => ({
    text: `select r.* from (select r.*${factColumns} from ${from.text}${laterals.text}) r where ${condition.text}`,
    params: [...from.params, ...laterals.params, ...condition.params],
  });
  if (spec.byIds) {
    const keyed = `(select r.* from returnee r where ${spec.byIds.text}) r`;
    return checked({ text: keyed, params: spec.byIds.params }, p.scopeOverFacts);
  }
  if (!spec.where) throw new Error('returnee-select: a read needs `where` or `byIds`');
  const where = spec.where;
  if (!check || !spec.orderBy || spec.limit === undefined) {
    const limit = spec.limit !== undefined ? ' limit ?' : '';
    const rows = {
      text: `select r.* from returnee r where ${where.text}${order}${limit}`,
      params: [...where.params, ...(spec.limit !== undefined ? [spec.limit] : [])],
    };
    if (!laterals.text) return rows;
    return { text: `select r.*${factColumns} from (${rows.text}) r${laterals.text}`, params: [...rows.params, ...laterals.params] };
  }
  const { column, direction } = spec.orderBy;
  const params: unknown[] = [];
  const firsts = spec.branches!.map((b) => {
    params.push(...b.params, spec.limit);
    return `(select r.id, ${column} as k from returnee r where ${b.text}${order} limit ?)`;
  });
  params.push(spec.limit);
  const merged = `select m.id from (${firsts.join(' union ')}) m order by m.k ${direction}, m.id ${direction} limit ?`;
  return checked({ text: `(${merged}) m join returnee r on r.id = m.id`, params }, check);
}
