import { Reference, ReferenceKind, wrap } from '@mikro-orm/core';
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import type { EntryInput, Operation } from '../request/operation';
import { compileCondition, inline } from '../access/condition-sql';
import { fieldCondition, readProjection } from '../access/projection';
import { conditionTemplate } from '../access/scope';
import type { HubError } from '../errors';
import { Returnee } from './returnee.entity';
import { runSql } from './rows-of';

/**
 * A section write in ONE SQL statement (a data-modifying CTE), for the sections whose write is
 * "add a row to the section and/or set some of the record's columns" (health, psychosocial,
 * education, social support; documents and a measure's end have their own statements,
 * documents-write-sql.ts and end-measure-sql.ts, built from the same parts): one round trip
 * instead of the unit of work's dozen (docs/bench.md). The statement, in order of its CTEs:
 *
 * 1. `target`: the record, if the caller's UPDATE row scope holds it — the SQL compiled from the
 *    policies by access/condition-sql.ts, as every write path's scope — and whether the caller
 *    may read its date of birth (the read projection's condition, as readsFieldOn asks it);
 * 2. `checked`, `ok`: the dates that lie before the birth (only when that date is readable), the
 *    version the client sent; `ok` holds the record only when nothing refuses the write;
 * 3. `added`: the section row, when the write adds one (its columns from the ORM's metadata of the entity);
 * 4. `next`, `changed`: the record's columns that the write changes (none when a later row of
 *    the section exists, for sections whose flags follow the newest row);
 * 5. `revision`: their previous values (returnee_revision), `updated`: the change, under the
 *    version read in (1) — a concurrent write that committed since makes it update nothing;
 * 6. the audit events (the recorder's part, AuditRecorder.inStatement): the row's CREATE when
 *    `ok`, the record's UPDATE naming the changed fields when `changed` (or, for a section whose
 *    event always named every field sent — education —, naming those when `ok`);
 * 7. the answer, and `hub_write_check`: a lost race raises HW409 and undoes the whole statement.
 *
 * Without an Idempotency-Key the statement runs on its own (autocommit: no BEGIN/COMMIT); under
 * one it runs in op.once's transaction.
 */
export interface SectionStatement {
  /** The section row the write adds: a new entity, never persisted through the ORM (none: the write only sets record fields). */
  row?: object;
  /** Its CREATE event's entity type, when not the write's (education: the write is the Returnee's, the row a note). */
  rowEntityType?: string;
  /** Its CREATE event's field names. */
  rowFields: string[];
  /** Record fields (returnee columns) the write sets; only those that change are written and kept in history. */
  record?: Record<string, unknown>;
  /** The record follows the row only when no row of the section has a later `column` (a back-dated row changes nothing). */
  unlessLater?: { property: string; value: string };
  /** The record's UPDATE event before the row's CREATE (the order the section's events always had). */
  recordEventFirst?: boolean;
  /**
   * `sent`: the record's UPDATE event names every record field sent, whenever the write happens
   * (education's event always did); default `changed`: only when some change, naming those.
   */
  recordEvent?: 'changed' | 'sent';
}

export interface StatementOutcome {
  /** The record is in the caller's update scope. */
  found: boolean;
  /** Its version when read (before the write). */
  version?: number;
  /** Date fields that lie before the date of birth (only when the caller may read it), and that date. */
  early: string[];
  dateOfBirth?: string;
  /** The write happened. */
  written: boolean;
  /** Input the statement found wrong once it knew the stored rows (a document's carried dates out of order): nothing written. */
  refusal?: HubError;
}

export const LOST_RACE = 'HW409';
/** The reason hub_write_check gives when the row a write supersedes was superseded first (documents). */
export const SUPERSEDED_FIRST = 'SUPERSEDED_FIRST';

export function isLostRace(error: unknown): boolean {
  return (error as { code?: unknown })?.code === LOST_RACE;
}

export const quote = (column: string) => `"${column.replace(/"/g, '""')}"`;

/** The columns of a new entity and their values, by the ORM's metadata (references as their keys). */
export function columnsOf(em: EntityManager, entity: object): { table: string; values: Record<string, unknown> } {
  const meta = em.getMetadata().get(entity.constructor.name);
  const values: Record<string, unknown> = {};
  for (const prop of meta.props) {
    if (prop.persist === false || !prop.fieldNames?.length) continue;
    if (prop.kind !== ReferenceKind.SCALAR && prop.kind !== ReferenceKind.MANY_TO_ONE) continue;
    let value = (entity as Record<string, unknown>)[prop.name];
    if (value === undefined) continue;
    if (prop.kind === ReferenceKind.MANY_TO_ONE && value !== null)
      value = wrap(Reference.unwrapReference(value as object), true).getPrimaryKey();
    values[prop.fieldNames[0]] = value;
  }
  return { table: meta.tableName, values };
}

/** A property's column and its SQL type, by the ORM's metadata. */
function columnOf(em: EntityManager, entity: string, property: string): { name: string; type: string } {
  const prop = em.getMetadata().get(entity).properties[property as never] as { fieldNames: string[]; columnTypes: string[] } | undefined;
  if (!prop) throw new Error(`section-write-sql: ${entity} has no property ${property}`);
  return { name: quote(prop.fieldNames[0]), type: prop.columnTypes[0] };
}

/** Whether the caller may read the date of birth on the record `r`: the condition a read of it has. */
export function dateOfBirthReadable(op: Operation, params: unknown[]): string {
  const p = readProjection(op.ability);
  if (!p?.readable.has('dateOfBirth')) return 'false';
  const group = fieldCondition(p, 'dateOfBirth');
  return `(${inline(p.scopeSql, params)}${group ? ` and ${inline(group.sql, params)}` : ''})`;
}

interface Built {
  text: string;
  params: unknown[];
  stored(ok: boolean, changed: boolean): void;
}

function build(op: Operation, returneeId: string, w: StatementWrite, s: SectionStatement, scope: Record<string, unknown>): Built {
  const params: unknown[] = [];
  const bind = (value: unknown, cast = '') => (params.push(value), `?${cast}`);
  const record = Object.entries(s.record ?? {}).map(([field, value]) => ({
    field,
    column: columnOf(op.em, Returnee.name, field).name,
    value,
  }));
  const row = s.row && columnsOf(op.em, s.row);
  const dates = Object.entries(w.notBeforeBirth ?? {}).filter((d): d is [string, string] => typeof d[1] === 'string');

  const cte: string[] = [];
  cte.push(`target as (select r.id, r.version, r.date_of_birth, ${dateOfBirthReadable(op, params)} as dob_readable
    ${record.map((c) => `, r.${c.column}`).join('')}
    from returnee r where r.id = ${bind(returneeId)} and ${inline(compileCondition(scope), params)})`);
  const early = dates.map(([f, v]) => `case when t.dob_readable and ${bind(v, '::date')} < t.date_of_birth then ${bind(f, '::text')} end`);
  cte.push(`checked as (select t.*, array_remove(array[${early.join(', ')}]::text[], null) as early from target t)`);
  const version = w.expectedVersion === undefined ? '' : ` and version = ${bind(w.expectedVersion, '::int')}`;
  cte.push(`ok as (select * from checked where cardinality(early) = 0${version})`);
  if (row) cte.push(insertRow('added', row.table, Object.keys(row.values), bind(JSON.stringify(row.values), '::jsonb'), 'ok'));
  if (record.length > 0) {
    const newValues = Object.fromEntries(record.map((c) => [c.column.slice(1, -1), c.value]));
    const later = s.unlessLater && s.row && columnOf(op.em, s.row.constructor.name, s.unlessLater.property);
    // A function: its value is bound where its text goes (parameters are in text order).
    const unlessLater = () =>
      later
        ? ` where not exists (select 1 from ${quote(row!.table)} s where s.returnee_id = ok.id and s.${later.name} > ${bind(s.unlessLater!.value, `::${later.type}`)})`
        : '';
    cte.push(`next as (select ok.id, ok.version${record.map((c, i) => `, n.${c.column} as n${i}`).join('')},
      array_remove(array[${record.map((c) => `case when ok.${c.column} is distinct from n.${c.column} then ${bind(c.field, '::text')} end`).join(', ')}]::text[], null) as fields,
      jsonb_build_object(${record.map((c) => `${bind(c.field, '::text')}, ok.${c.column}`).join(', ')}) as previous
      from ok cross join jsonb_populate_record(null::returnee, ${bind(JSON.stringify(newValues), '::jsonb')}) n${unlessLater()})`);
    cte.push(`changed as (select * from next where cardinality(fields) > 0)`);
    cte.push(`revision as (insert into returnee_revision (returnee_id, version, fields, previous, staff_id, agency_id, changed_at)
      select c.id, c.version, c.fields, (select jsonb_object_agg(e.key, e.value) from jsonb_each(c.previous) e where e.key = any(c.fields)),
        ${bind(op.actor.staffId, '::uuid')}, ${bind(op.actor.agencyId, '::uuid')}, now() from changed c returning 1)`);
    cte.push(`updated as (update returnee r set ${record.map((c, i) => `${c.column} = c.n${i}`).join(', ')}, version = r.version + 1, updated_at = now()
      from changed c where r.id = c.id and r.version = c.version returning r.version)`);
  }
  const groups = eventGroups(w, s, returneeId, Object.keys(s.record ?? {}));
  const events = op.eventsInStatement(groups);
  if (events.text) {
    cte.push(`events as (${events.text})`);
    params.push(...events.params);
  }
  const race = record.length > 0 ? `, hub_write_check((select count(*) from updated) = (select count(*) from changed), 'LOST_RACE')` : '';
  const text = `with ${cte.join(',\n')}
    select (select count(*)::int from target) as found, (select version from target) as version,
      (select early from checked) as early, (select date_of_birth::text from checked where cardinality(early) > 0) as date_of_birth,
      (select count(*)::int from ok) as ok, ${record.length > 0 ? '(select count(*)::int from changed)' : '0'} as changed${race}`;
  // Which groups the statement stored: those from `ok` with it, the UPDATE from `changed` with it.
  return { text, params, stored: (ok, changed) => events.stored(groups.map((g) => (g.from === 'ok' ? ok : changed))) };
}

/** `insert into <table>` of one row whose values are the jsonb `values` (which may refer to `from`), once per row of `from`. */
export function insertRow(name: string, table: string, columns: string[], values: string, from: string, where = ''): string {
  const quoted = columns.map(quote);
  return `${name} as (insert into ${quote(table)} (${quoted.join(', ')})
    select ${quoted.map((c) => `v.${c}`).join(', ')} from ${from}
    cross join jsonb_populate_record(null::${quote(table)}, ${values}) v${where} returning 1)`;
}

function eventGroups(w: StatementWrite, s: SectionStatement, returneeId: string, recordFields: string[]) {
  const groups: { entries: EntryInput[]; from: string; fields?: string }[] = [];
  if (s.row) {
    const id = String((s.row as { id: unknown }).id);
    const entityType = s.rowEntityType ?? w.entityType;
    groups.push({
      entries: [{ action: 'CREATE', entityType, entityId: id, returneeId, fields: s.rowFields, outcome: 'SUCCESS' }],
      from: 'ok',
    });
  }
  if (recordFields.length === 0) return groups;
  const update: EntryInput = { action: 'UPDATE', entityType: 'Returnee', entityId: returneeId, returneeId, fields: [], outcome: 'SUCCESS' };
  const group =
    s.recordEvent === 'sent'
      ? { entries: [{ ...update, fields: recordFields }], from: 'ok' }
      : { entries: [update], from: 'changed', fields: 'changed.fields' };
  return s.recordEventFirst ? [group, ...groups] : [...groups, group];
}

/** What of the section write the statement needs. */
export interface StatementWrite {
  entityType: string;
  expectedVersion?: number;
  notBeforeBirth?: Record<string, string | null | undefined>;
}

/**
 * Runs the write; throws the database's HW409 on a lost race (isLostRace), with nothing written.
 * The refusals that need no rollback (out of scope, stale version, dates before birth) come back
 * in the outcome, nothing having been written: the caller audits and words them.
 */
export async function runSectionStatement(
  op: Operation,
  returneeId: string,
  w: StatementWrite,
  s: SectionStatement,
): Promise<StatementOutcome> {
  const scope = conditionTemplate(op.ability, 'update');
  if (scope === null) return { found: false, early: [], written: false };
  const built = build(op, returneeId, w, s, scope);
  const [r] = await runStatement<{
    found: number;
    version: number | null;
    early: string[] | null;
    date_of_birth: string | null;
    ok: number;
    changed: number;
  }>(op, built.text, built.params);
  const written = r.ok > 0;
  if (written) built.stored(true, r.changed > 0);
  return { found: r.found > 0, version: r.version ?? undefined, early: r.early ?? [], dateOfBirth: r.date_of_birth ?? undefined, written };
}

/**
 * Sends one statement on its own (autocommit), or in op.once's transaction when there is one; its
 * rows. As a named (prepared) statement (db/statement-name.ts): PostgreSQL plans it once per
 * connection and then only executes it — planning this CTE cost as much as running it (about
 * 1 ms each, EXPLAIN ANALYZE; docs/bench.md).
 */
export function runStatement<Row>(op: Operation, text: string, params: unknown[]): Promise<Row[]> {
  return runSql<Row>(op, text, params, 'hub_write');
}
