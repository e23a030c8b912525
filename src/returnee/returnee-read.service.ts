import { raw, type FilterQuery } from '@mikro-orm/core';
import type { Operation } from '../access/operation';
import { fieldCondition, readProjection, type ReadProjection } from '../access/projection';
import { badInput, forbidden } from '../errors';
import { decodeCursor, encodeCursor } from './cursor';
import { Returnee } from './returnee.entity';
import { HouseholdRelation, type HouseholdMemberType, type ReturneeFilter, type ReturneeOrder, type ReturneeView } from './returnee.types';
import { ReturneeOrderField, SortDirection } from './returnee.types';
import { columnsFor, populateFor, returneeView } from './returnee.view';

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

function findOptions(fields: Iterable<string>) {
  const populate = populateFor(fields).map((p) => (p === 'healthAssessments' ? 'healthAssessments.agency' : p));
  return {
    fields: columnsFor(fields) as never,
    populate: populate as never,
    populateOrderBy: { healthAssessments: { assessedOn: 'desc', createdAt: 'desc' } } as never,
  };
}

/**
 * Loads the conditional field groups for rows already loaded with their base fields. Entities
 * are merged by the request's identity map. Returns, per row id, the fields it may show.
 */
interface RecordFields {
  /** Requested and permitted on this record: loaded, returned and audited as read. */
  shown: Set<string>;
  /** Permitted on this record (what is not is listed in redactedFields). */
  readable: Set<string>;
}

async function loadConditionalFields(op: Operation, p: ReadProjection, rows: Returnee[], wanted: string[], needReadable: boolean): Promise<Map<string, RecordFields>> {
  const out = new Map<string, RecordFields>(rows.map((r) => [r.id, {
    shown: new Set(wanted.filter((f) => p.base.has(f) || ALWAYS_SHOWN.has(f))),
    readable: new Set(p.base),
  }]));
  if (rows.length === 0) return out;
  const ids = rows.map((r) => r.id);
  for (const group of p.groups) {
    const fields = wanted.filter((f) => group.fields.has(f));
    if (fields.length === 0 && !needReadable) continue;
    const matched: Returnee[] = fields.length > 0
      ? ((await op.em.find(Returnee, { $and: [{ id: { $in: ids } }, group.condition()] }, findOptions(fields))) as Returnee[])
      : ((await op.em.find(Returnee, { $and: [{ id: { $in: ids } }, group.condition()] }, { fields: ['id'] as never })) as Returnee[]);
    for (const r of matched) {
      const record = out.get(r.id)!;
      for (const f of fields) record.shown.add(f);
      for (const f of group.fields) record.readable.add(f);
    }
  }
  return out;
}

function viewAndEvent(r: Returnee, { shown, readable }: RecordFields, wanted: string[]) {
  return {
    view: returneeView(r, shown, readable),
    event: {
      action: 'READ' as const,
      entityType: 'Returnee',
      entityId: r.id,
      returneeId: r.id,
      fields: ['id', 'caseNumber', ...[...shown].filter((f) => !['id', 'caseNumber', 'version'].includes(f))],
      deniedFields: wanted.filter((f) => !shown.has(f) && !ALWAYS_SHOWN.has(f)),
      outcome: 'SUCCESS' as const,
    },
  };
}

/**
 * Family links as a unit: for each row whose household the caller may read, its guardian and
 * wards that are in the caller's own scope (one scoped query for the page; members are named
 * by id and case number only, their contents come from reading them).
 */
async function loadHouseholds(op: Operation, p: ReadProjection, rows: Returnee[], fields: Map<string, RecordFields>): Promise<Map<string, HouseholdMemberType[]>> {
  const out = new Map<string, HouseholdMemberType[]>();
  const ids = rows.filter((r) => fields.get(r.id)?.shown.has('household')).map((r) => r.id);
  if (ids.length === 0) return out;
  const guardians = rows.filter((r) => ids.includes(r.id) && r.guardianReturneeId).map((r) => r.guardianReturneeId!);
  const members = (await op.em.find(Returnee, { $and: [p.scope(), { $or: [{ id: { $in: guardians } }, { guardianReturneeId: { $in: ids } }] }] },
    { fields: ['id', 'caseNumber', 'guardianReturneeId'] as never, orderBy: { caseNumber: 'asc' } })) as Returnee[];
  for (const id of ids) out.set(id, []);
  for (const r of rows.filter((row) => ids.includes(row.id))) {
    for (const m of members) {
      if (m.id === r.guardianReturneeId) out.get(r.id)!.push({ id: m.id, caseNumber: m.caseNumber, relation: HouseholdRelation.GUARDIAN });
      if (m.guardianReturneeId === r.id) out.get(r.id)!.push({ id: m.id, caseNumber: m.caseNumber, relation: HouseholdRelation.WARD });
    }
  }
  return out;
}

async function projectRows(op: Operation, p: ReadProjection, rows: Returnee[], requested: Set<string>): Promise<ReturneeView[]> {
  const wanted = requestedFields(requested);
  const fields = await loadConditionalFields(op, p, rows, wanted, requested.has('redactedFields'));
  const households = await loadHouseholds(op, p, rows, fields);
  const out = rows.map((r) => viewAndEvent(r, fields.get(r.id)!, wanted));
  for (const o of out) if (households.has(o.view.id)) o.view.household = households.get(o.view.id)!;
  await op.recordDurably(out.map((o) => o.event));
  return out.map((o) => o.view);
}

export async function readReturneeOrThrow(op: Operation, id: string, requested: Set<string>): Promise<ReturneeView> {
  const returneeId = uuidOrThrow(id);
  const p = await projectionOrThrow(op);
  const base = requestedFields(requested).filter((f) => p.base.has(f));
  const row = (await op.em.findOne(Returnee, { $and: [{ id: returneeId }, p.scope()] }, findOptions(base))) as Returnee | null;
  if (!row) return op.notFoundOrThrow('READ', 'Returnee', returneeId, returneeId);
  const [view] = await projectRows(op, p, [row], requested);
  return view;
}

/** The fields the caller may read on one record in scope (for history), or NOT_FOUND. */
export async function readableFieldsOrThrow(op: Operation, returneeId: string, entityType: string): Promise<Set<string>> {
  const p = await projectionOrThrow(op);
  const row = (await op.em.findOne(Returnee, { $and: [{ id: returneeId }, p.scope()] }, { fields: ['id'] as never })) as Returnee | null;
  if (!row) return op.notFoundOrThrow('READ', entityType, returneeId, returneeId);
  return (await loadConditionalFields(op, p, [row], [], true)).get(row.id)!.readable;
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

type Clause = () => FilterQuery<Returnee>;

/** Filter clauses with the fields each one reads. */
function filterClauses(filter: ReturneeFilter | undefined): { arg: string; fields: string[]; clause: Clause }[] {
  const out: { arg: string; fields: string[]; clause: Clause }[] = [];
  if (!filter) return out;
  if (filter.search !== undefined) {
    const like = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    out.push({ arg: 'search', fields: ['givenName', 'familyName', 'otherNames'], clause: () => {
      // Other spellings live in a text[]; match inside any element. raw() fragments are single-use.
      const otherNames = raw((alias: string) => `array_to_string(${alias}.other_names, ' ')`);
      return { $or: [{ givenName: { $ilike: like } }, { familyName: { $ilike: like } }, { [otherNames]: { $ilike: like } }] };
    } });
  }
  if (filter.status !== undefined) out.push({ arg: 'status', fields: ['status'], clause: () => ({ status: filter.status }) });
  if (filter.isMinor !== undefined) {
    const cutoff = new Date();
    cutoff.setUTCFullYear(cutoff.getUTCFullYear() - 18);
    const day = cutoff.toISOString().slice(0, 10);
    out.push({ arg: 'isMinor', fields: ['isMinor'], clause: () => (filter.isMinor ? { dateOfBirth: { $gt: day } } : { dateOfBirth: { $lte: day } }) });
  }
  if (filter.region !== undefined) out.push({ arg: 'region', fields: ['region'], clause: () => ({ region: filter.region }) });
  if (filter.followUpNeeded !== undefined) {
    out.push({ arg: 'followUpNeeded', fields: ['followUpNeeded'], clause: () => ({ followUpNeeded: filter.followUpNeeded }) });
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
  return () => ({
    $and: [
      p.scope(),
      ...clauses.map((c) => {
        const gated = c.fields.map((f) => fieldCondition(p, f)).filter((g) => g !== undefined);
        return gated.length === 0 ? c.clause() : { $and: [c.clause(), ...gated.map((g) => g.condition())] };
      }),
    ],
  });
}

export async function listReturneesOrThrow(op: Operation, args: ListArgs, requested: Set<string>, wantTotal: boolean, maxPage: number): Promise<ListResult> {
  if (!Number.isInteger(args.first) || args.first < 1 || args.first > maxPage) {
    throw badInput(`first must be between 1 and ${maxPage}`);
  }
  const order = args.orderBy ?? { field: ReturneeOrderField.CASE_NUMBER, direction: SortDirection.ASC };
  const p = await projectionOrThrow(op);
  const where = await whereOrThrow(op, p, args.filter, order);
  const key = order.field as string;
  const cursorWhere = args.after ? afterCursor(key, order.direction, args.after) : undefined;
  const base = requestedFields(requested).filter((f) => p.base.has(f));
  const options = findOptions(base);
  const rows = (await op.em.find(Returnee, cursorWhere ? { $and: [where(), cursorWhere] } : where(), {
    ...options,
    fields: [...new Set([...(options.fields as string[]), key])] as never,
    orderBy: [{ [key]: order.direction }, { id: order.direction }] as never,
    limit: args.first + 1,
  })) as Returnee[];
  const page = rows.slice(0, args.first);
  const totalCount = wantTotal ? await op.em.count(Returnee, where()) : undefined;
  return {
    views: await projectRows(op, p, page, requested),
    cursors: page.map((r) => encodeCursor(sortValue(r, key), r.id)),
    hasNextPage: rows.length > args.first,
    totalCount,
  };
}

function sortValue(r: Returnee, key: string): string {
  const v = (r as unknown as Record<string, unknown>)[key];
  return v instanceof Date ? v.toISOString() : String(v);
}

function afterCursor(key: string, direction: SortDirection, cursor: string): FilterQuery<Returnee> {
  const { value, id } = decodeCursor(cursor, key === 'createdAt' ? 'timestamp' : key === 'dateOfBirth' ? 'date' : 'text');
  const cmp = direction === SortDirection.ASC ? '$gt' : '$lt';
  const v = key === 'createdAt' ? new Date(value) : value;
  return { $or: [{ [key]: { [cmp]: v } }, { [key]: v, id: { [cmp]: id } }] } as FilterQuery<Returnee>;
}
