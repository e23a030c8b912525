import type { Knex } from '@mikro-orm/postgresql';
import { inline, type Sql } from '../access/condition-sql';
import { redactedReturneeFields } from '../access/fields';
import type { Operation } from '../access/operation';
import { fieldCondition, readProjection, type ReadProjection } from '../access/projection';
import { badInput, forbidden } from '../errors';
import { decodeCursor, encodeCursor } from './cursor';
import type { ReturneeFilter, ReturneeOrder, ReturneeView } from './returnee.types';
import { ReturneeOrderField, SortDirection } from './returnee.types';
import { buildSelect, columnOf, type SelectPlan } from './returnee-select';
import { returneeView, VIEW_FIELDS } from './returnee.view';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ALWAYS_SHOWN = new Set(['id', 'caseNumber', 'version']);

export function uuidOrThrow(id: string, name = 'id'): string {
  if (!UUID.test(id)) throw badInput(`${name} must be a UUID, got "${id.slice(0, 40)}"`);
  return id.toLowerCase();
}

/**
 * Reads of the shared record. Rows come from a query scoped by the caller's policy; columns
 * are the requested fields the policy permits on each record (see access/projection.ts);
 * every record returned has a READ event that is durable before the data leaves (fail closed).
 */
async function projectionOrThrow(op: Operation): Promise<ReadProjection> {
  const projection = readProjection(op.ability);
  if (projection) return projection;
  return op.denyOrThrow({ entityType: 'Returnee' }, forbidden(`Your sector (${op.actor.sector}) may not read returnee records`));
}

function requestedFields(requested: Set<string>): string[] {
  return [...requested].filter((f) => f !== 'redactedFields' && f !== '__typename');
}

type Row = Record<string, unknown>;

/**
 * Runs a statement of returnee-select.ts with its values bound as parameters (`?` → `$n`), in
 * the operation's transaction when it has one. Through knex rather than `em.execute`, which
 * would splice the values into the text.
 */
async function rowsOf(op: Operation, sql: Sql): Promise<Row[]> {
  const query = op.em.getConnection().getKnex().raw(sql.text, sql.params as Knex.RawBinding[]);
  const trx = op.em.getTransactionContext<Knex.Transaction>();
  const result = (await (trx ? query.transacting(trx) : query)) as { rows: Row[] };
  return result.rows;
}

/**
 * What records with the same field groups holding share: what they show, what the policy lets
 * the caller read (the rest is redactedFields) and their READ event's field lists. A page has
 * a handful of these (consent or not, minor or not), so they are worked out once per page.
 */
interface Layout {
  /** Requested and permitted: returned and audited as read. */
  shown: Set<string>;
  /** Permitted on these records (what is not is listed in redactedFields). */
  readable: Set<string>;
  redacted: string[];
  /** Per VIEW_FIELDS entry: the column holding its value when shown, else undefined (null in the view). */
  columns: (string | undefined)[];
  fields: string[];
  deniedFields: string[];
}

function layoutOf(p: ReadProjection, plan: SelectPlan, holds: boolean[], wanted: string[]): Layout {
  const shown = new Set(wanted.filter((f) => p.base.has(f) || ALWAYS_SHOWN.has(f)));
  const readable = new Set(p.base);
  plan.groups.forEach((gi, k) => {
    if (!holds[k]) return;
    const group = p.groups[gi];
    for (const f of wanted) if (group.fields.has(f)) shown.add(f);
    for (const f of group.fields) readable.add(f);
  });
  return {
    shown,
    readable,
    redacted: redactedReturneeFields(readable),
    columns: VIEW_FIELDS.map((f) => (shown.has(f) ? plan.fieldColumns.get(f) : undefined)),
    fields: ['id', 'caseNumber', ...[...shown].filter((f) => !ALWAYS_SHOWN.has(f))],
    deniedFields: wanted.filter((f) => !shown.has(f) && !ALWAYS_SHOWN.has(f)),
  };
}

/** Layouts by which groups hold on a row (the g0, g1, … columns of the plan). */
function layouts(p: ReadProjection, plan: SelectPlan, wanted: string[]): (row: Row) => Layout {
  const known = new Map<string, Layout>();
  return (row) => {
    const holds = plan.groups.map((_, k) => row[`g${k}`] === true);
    const key = holds.map((h) => (h ? '1' : '0')).join('');
    let layout = known.get(key);
    if (!layout) known.set(key, (layout = layoutOf(p, plan, holds, wanted)));
    return layout;
  };
}

function viewAndEvent(row: Row, layout: Layout) {
  const view = returneeView({ id: row.id as string, caseNumber: row.case_number as string, version: row.version as number }, layout.redacted, layout.columns, row);
  return {
    view,
    event: {
      action: 'READ' as const,
      entityType: 'Returnee',
      entityId: view.id,
      returneeId: view.id,
      fields: layout.fields,
      deniedFields: layout.deniedFields,
      outcome: 'SUCCESS' as const,
    },
  };
}

/**
 * Views of the rows of one statement and their READ events, durable before return. `alsoRead`
 * names fields the operation used on a record without showing them (a duplicate check compares
 * them): they are listed in the record's one event too.
 */
async function projectRows(
  op: Operation, p: ReadProjection, plan: SelectPlan, rows: Row[], wanted: string[], alsoRead?: (id: string) => readonly string[],
): Promise<ReturneeView[]> {
  const layoutFor = layouts(p, plan, wanted);
  const out = rows.map((row) => viewAndEvent(row, layoutFor(row)));
  const events = out.map((o) => (alsoRead ? { ...o.event, fields: [...new Set([...o.event.fields, ...alsoRead(o.view.id)])] } : o.event));
  await op.recordDurably(events);
  return out.map((o) => o.view);
}

/** `r.id = ? and <scope>`: one record, if the caller's row scope holds it. */
function byIdWhere(p: ReadProjection, id: string): Sql {
  const params: unknown[] = [id];
  return { text: `r.id = ? and ${inline(p.scopeSql, params)}`, params };
}

/** The keys a client selected inside a section field (e.g. which assessment fields), when known. */
export type Subfields = (field: string) => ReadonlySet<string> | undefined;

export async function readReturneeOrThrow(op: Operation, id: string, requested: Set<string>, subfields?: Subfields): Promise<ReturneeView> {
  const returneeId = uuidOrThrow(id);
  const p = await projectionOrThrow(op);
  const wanted = requestedFields(requested);
  const plan = buildSelect({ projection: p, fields: wanted, allGroups: requested.has('redactedFields'), subfields, where: byIdWhere(p, returneeId) });
  const rows = await rowsOf(op, plan.sql);
  if (rows.length === 0) return op.notFoundOrThrow('READ', 'Returnee', returneeId, returneeId);
  const [view] = await projectRows(op, p, plan, rows, wanted);
  return view;
}

/**
 * Records in the caller's scope by id, in the order given; an id out of scope (or gone) is left
 * out, never an error: callers pass ids a scoped query of theirs just returned.
 */
export async function readReturneesByIdOrThrow(
  op: Operation, ids: readonly string[], requested: Set<string>, subfields?: Subfields, alsoRead?: (id: string) => readonly string[],
): Promise<ReturneeView[]> {
  if (ids.length === 0) return [];
  const p = await projectionOrThrow(op);
  const wanted = requestedFields(requested);
  const params: unknown[] = [`{${ids.map((id) => uuidOrThrow(id)).join(',')}}`];
  const where = { text: `r.id = any(?::uuid[]) and ${inline(p.scopeSql, params)}`, params };
  const plan = buildSelect({ projection: p, fields: wanted, allGroups: requested.has('redactedFields'), subfields, where });
  const rows = await rowsOf(op, plan.sql);
  const order = new Map(ids.map((id, i) => [id.toLowerCase(), i]));
  rows.sort((a, b) => order.get(a.id as string)! - order.get(b.id as string)!);
  return projectRows(op, p, plan, rows, wanted, alsoRead);
}

/** The fields the caller may read on one record in scope (for history), or NOT_FOUND. */
export async function readableFieldsOrThrow(op: Operation, returneeId: string, entityType: string): Promise<Set<string>> {
  const p = await projectionOrThrow(op);
  const plan = buildSelect({ projection: p, fields: [], allGroups: true, where: byIdWhere(p, returneeId) });
  const [row] = await rowsOf(op, plan.sql);
  if (!row) return op.notFoundOrThrow('READ', entityType, returneeId, returneeId);
  return layouts(p, plan, [])(row).readable;
}

export interface ListArgs {
  filter?: ReturneeFilter;
  orderBy?: ReturneeOrder;
  first: number;
  after?: string;
}

export interface ListResult {
  views: ReturneeView[];
  cursors: string[];
  hasNextPage: boolean;
  totalCount?: number;
}

/** A WHERE fragment over the returnee row `r`, appending its values to `params`. */
type Clause = (params: unknown[]) => string;

/** Filter clauses with the fields each one reads. */
function filterClauses(filter: ReturneeFilter | undefined): { arg: string; fields: string[]; clause: Clause }[] {
  const out: { arg: string; fields: string[]; clause: Clause }[] = [];
  if (!filter) return out;
  const equals = (column: string, value: unknown): Clause => (params) => {
    params.push(value);
    return `${column} = ?`;
  };
  if (filter.search !== undefined) {
    const like = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    out.push({ arg: 'search', fields: ['givenName', 'familyName', 'otherNames'], clause: (params) => {
      // Other spellings live in a text[]; match inside any element.
      params.push(like, like, like);
      return "(r.given_name ilike ? or r.family_name ilike ? or array_to_string(r.other_names, ' ') ilike ?)";
    } });
  }
  if (filter.status !== undefined) out.push({ arg: 'status', fields: ['status'], clause: equals('r.status', filter.status) });
  if (filter.isMinor !== undefined) {
    const cutoff = new Date();
    cutoff.setUTCFullYear(cutoff.getUTCFullYear() - 18);
    const day = cutoff.toISOString().slice(0, 10);
    out.push({ arg: 'isMinor', fields: ['isMinor'], clause: (params) => {
      params.push(day);
      return filter.isMinor ? 'r.date_of_birth > ?' : 'r.date_of_birth <= ?';
    } });
  }
  if (filter.region !== undefined) out.push({ arg: 'region', fields: ['region'], clause: equals('r.region', filter.region) });
  if (filter.followUpNeeded !== undefined) {
    out.push({ arg: 'followUpNeeded', fields: ['followUpNeeded'], clause: equals('r.follow_up_needed', filter.followUpNeeded) });
  }
  return out;
}

/**
 * Filters and sort keys obey the read rules, or they would leak values: a filter on a field
 * the caller never reads is refused; on a field readable only under a condition (consent) the
 * condition is added, so records whose value is hidden never match. A sort key must be
 * readable on every record in scope.
 */
async function whereOrThrow(op: Operation, p: ReadProjection, filter: ReturneeFilter | undefined, order: ReturneeOrder): Promise<Clause> {
  const clauses = filterClauses(filter);
  const sortField = order.field === ReturneeOrderField.CREATED_AT ? 'createdAt' : (order.field as string);
  const refused = clauses.filter((c) => c.fields.some((f) => !p.readable.has(f)));
  const badSort = !p.base.has(sortField);
  if (refused.length > 0 || badSort) {
    const fields = [...new Set([...refused.flatMap((c) => c.fields.filter((f) => !p.readable.has(f))), ...(badSort ? [sortField] : [])])];
    const args = [...refused.map((c) => c.arg), ...(badSort ? [`orderBy ${order.field}`] : [])];
    await op.denyOrThrow(
      { entityType: 'Returnee', fields },
      forbidden(`You may not filter or sort by fields your sector cannot read on every record: ${args.join(', ')}`, { fields }),
    );
  }
  return (params) => [
    inline(p.scopeSql, params),
    ...clauses.map((c) => {
      const gated = [...new Set(c.fields.map((f) => fieldCondition(p, f)).filter((g) => g !== undefined))];
      return [c.clause(params), ...gated.map((g) => inline(g.sql, params))].join(' and ');
    }),
  ].join(' and ');
}

function sql(clause: Clause, extra?: Clause): Sql {
  const params: unknown[] = [];
  const text = extra ? `${clause(params)} and ${extra(params)}` : clause(params);
  return { text, params };
}

export async function listReturneesOrThrow(
  op: Operation, args: ListArgs, requested: Set<string>, wantTotal: boolean, maxPage: number, subfields?: Subfields,
): Promise<ListResult> {
  if (!Number.isInteger(args.first) || args.first < 1 || args.first > maxPage) {
    throw badInput(`first must be between 1 and ${maxPage}`);
  }
  const order = args.orderBy ?? { field: ReturneeOrderField.CASE_NUMBER, direction: SortDirection.ASC };
  const p = await projectionOrThrow(op);
  const where = await whereOrThrow(op, p, args.filter, order);
  const key = order.field as string;
  const column = columnOf(key);
  const direction = order.direction === SortDirection.ASC ? 'asc' : 'desc';
  const cursor = args.after ? afterCursor(key, column, direction, args.after) : undefined;
  const wanted = requestedFields(requested);
  const plan = buildSelect({
    projection: p, fields: wanted, allGroups: requested.has('redactedFields'), subfields, where: sql(where, cursor), orderBy: { column, direction }, limit: args.first + 1,
  });
  const rows = await rowsOf(op, plan.sql);
  const page = rows.slice(0, args.first);
  const totalCount = wantTotal ? await countOf(op, sql(where)) : undefined;
  return {
    views: await projectRows(op, p, plan, page, wanted),
    cursors: page.map((r) => encodeCursor(sortValue(r.sort_key, key), r.id as string)),
    hasNextPage: rows.length > args.first,
    totalCount,
  };
}

async function countOf(op: Operation, where: Sql): Promise<number> {
  const [row] = await rowsOf(op, { text: `select count(*)::int as n from returnee r where ${where.text}`, params: where.params });
  return row.n as number;
}

function sortValue(v: unknown, key: string): string {
  if (key === 'createdAt') return new Date(v as Date | string).toISOString();
  return String(v);
}

function afterCursor(key: string, column: string, direction: 'asc' | 'desc', cursor: string): Clause {
  const { value, id } = decodeCursor(cursor, key === 'createdAt' ? 'timestamp' : key === 'dateOfBirth' ? 'date' : 'text');
  const cmp = direction === 'asc' ? '>' : '<';
  const v = key === 'createdAt' ? new Date(value) : value;
  return (params) => {
    params.push(v, v, id);
    return `(${column} ${cmp} ? or (${column} = ? and r.id ${cmp} ?))`;
  };
}
