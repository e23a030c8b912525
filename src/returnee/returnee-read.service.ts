import type { GraphQLResolveInfo } from 'graphql';
import { inline, type Sql } from '../access/condition-sql';
import { sectionOfField, sectionWitness, type SectionWitness } from '../access/basis';
import { redactedReturneeFields } from '../access/fields';
import type { AppAbility } from '../access/ability';
import type { DisclosureBasis } from '../trail/audit-basis';
import type { Operation } from '../request/operation';
import { fieldCondition, readProjection, type ReadProjection } from '../access/projection';
import { uuidOrThrow } from '../common/ids';
import { forbidden } from '../errors';
import { selectedFields } from '../graphql/selection';
import type { ReturneeView } from './returnee.types';
import { notFoundOrMergedOrThrow } from '../merge/merged-into';
import { buildSelect, type SelectPlan } from './returnee-select';
import { returneeView, VIEW_FIELDS } from './returnee.view';
import { breakGlassHint, markRevealed, NOT_RECORD_FIELDS, ownSectionBasis } from './returnee-break-glass';
import { pgArray } from '../common/pg-array';

const REFERENCE_ORDER = ['id', 'caseNumber', 'version'];
const ALWAYS_SHOWN = new Set(REFERENCE_ORDER);

/**
 * Reads of the shared record. Rows come from a query scoped by the caller's policy; columns
 * are the requested fields the policy permits on each record (see access/projection.ts);
 * every record returned has a READ event that is durable before the data leaves (fail closed).
 */
export async function projectionOrThrow(op: Operation): Promise<ReadProjection> {
  const projection = readProjection(op.ability);
  if (projection) return projection;
  return op.denyOrThrow({ entityType: 'Returnee' }, forbidden(`Your sector (${op.actor.sector}) may not read returnee records`));
}

export const requestedFields = (requested: Set<string>): string[] => [...requested].filter((f) => !NOT_RECORD_FIELDS.has(f));

import { rowsOf, type Row } from './rows-of';

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
  /** Sections shown on the record's own terms (its reference, the caller's sector's own sections). */
  ownSections: string[];
  /** Basis columns of the groups that hold and show something, with the sections they show. */
  witnessed: { section: string; column: string }[];
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
    // Exactly what the response carries: the reference fields too only when selected.
    fields: [...REFERENCE_ORDER.filter((f) => shown.has(f)), ...[...shown].filter((f) => !ALWAYS_SHOWN.has(f))],
    deniedFields: wanted.filter((f) => !shown.has(f) && !ALWAYS_SHOWN.has(f)),
    ownSections: [...new Set([...shown].filter((f) => p.base.has(f) || ALWAYS_SHOWN.has(f)).map(sectionOfField))].filter(
      (s): s is NonNullable<typeof s> => s !== undefined,
    ),
    witnessed: plan.groups.flatMap((gi, k) => {
      if (!holds[k]) return [];
      const shownSections = new Set([...shown].filter((f) => p.groups[gi].fields.has(f)).map(sectionOfField));
      if (shownSections.size === 0) return [];
      const columns = plan.basisColumns.get(k);
      if (!columns) throw new Error('a read shows a shared section without asking its basis (buildSelect without witnesses)');
      return columns.filter((c) => shownSections.has(c.section as never));
    }),
  };
}

/** Per field group of the projection: the sections it may disclose and the SQL naming their basis. */
export function witnessesOf(ability: AppAbility, p: ReadProjection): (group: number) => SectionWitness[] {
  return (gi) => {
    const sections = new Set([...p.groups[gi].fields].map(sectionOfField));
    return [...sections].flatMap((s) =>
      s === undefined || s === 'REFERENCE' ? [] : [sectionWitness(ability, s, p.facts)!].filter(Boolean),
    );
  };
}

/**
 * The basis of each section the row discloses. A shown section without a basis would be a
 * disclosure the trail cannot justify: the read fails instead (fail closed).
 */
function basisOf(row: Row, layout: Layout): DisclosureBasis[] {
  const bases: DisclosureBasis[] = layout.ownSections.map((section) => ownSectionBasis(row, section));
  for (const { section, column } of layout.witnessed) {
    const witness = row[column] as Omit<DisclosureBasis, 'section'> | null;
    if (!witness) throw new Error(`no basis found for section ${section} shown on a record: refusing the read`);
    bases.push({ ...witness, section });
  }
  return bases;
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
  const view = returneeView(
    { id: row.id as string, caseNumber: row.case_number as string, version: row.version as number },
    layout.redacted,
    layout.columns,
    row,
  );
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
      basis: markRevealed(view, layout.fields, basisOf(row, layout)),
    },
  };
}

type ReadEvent = ReturnType<typeof viewAndEvent>['event'];

/**
 * A household names other records (id and case number): each of them is read too, so each gets
 * its READ event with the reference fields returned, merged into the event of the same record
 * when the page returns it as well (one event per record touched per operation).
 */
function withHouseholds(events: ReadEvent[], views: ReturneeView[], keys: ReadonlySet<string> | undefined): ReadEvent[] {
  const fields = ['id', 'caseNumber'].filter((f) => !keys || keys.has(f));
  if (fields.length === 0) return events;
  const byRecord = new Map(events.map((e) => [e.entityId, e]));
  for (const member of views.flatMap((v) => v.household ?? [])) {
    const known = byRecord.get(member.id);
    if (known) {
      known.fields = [...known.fields, ...fields.filter((f) => !known.fields.includes(f))];
      continue;
    }
    byRecord.set(member.id, {
      action: 'READ',
      entityType: 'Returnee',
      entityId: member.id,
      returneeId: member.id,
      fields: [...fields],
      deniedFields: [],
      outcome: 'SUCCESS',
      basis: [{ section: 'REFERENCE', kind: 'OWN_SECTOR' }],
    });
  }
  return [...byRecord.values()];
}

/**
 * Views of the rows of one statement and their READ events (households' members included),
 * durable before return. `alsoRead` names fields the operation used on a record without showing
 * them (a duplicate check compares them): they are listed in the record's one event too.
 */
export async function projectRows(
  op: Operation,
  p: ReadProjection,
  plan: SelectPlan,
  rows: Row[],
  wanted: string[],
  subfields?: Subfields,
  alsoRead?: (id: string) => readonly string[],
): Promise<ReturneeView[]> {
  const layoutFor = layouts(p, plan, wanted);
  const out = rows.map((row) => viewAndEvent(row, layoutFor(row)));
  const views = out.map((o) => o.view);
  const events = out.map((o) => (alsoRead ? { ...o.event, fields: [...new Set([...o.event.fields, ...alsoRead(o.view.id)])] } : o.event));
  await op.recordDurably(withHouseholds(events, views, subfields?.('household')));
  return views;
}

/** One record by key (buildSelect `byIds`: returned if the caller's row scope holds it). */
export function byIdKey(id: string): Sql {
  return { text: 'r.id = ?', params: [id] };
}

/** The keys a client selected inside a section field (e.g. which assessment fields), when known. */
export type Subfields = (field: string) => ReadonlySet<string> | undefined;

export async function readReturneeOrThrow(op: Operation, id: string, requested: Set<string>, subfields?: Subfields): Promise<ReturneeView> {
  const returneeId = uuidOrThrow(id);
  const p = await projectionOrThrow(op);
  const wanted = requestedFields(requested);
  const plan = buildSelect({
    projection: p,
    fields: wanted,
    allGroups: requested.has('redactedFields'),
    subfields,
    byIds: byIdKey(returneeId),
    witnesses: witnessesOf(op.ability, p),
  });
  const rows = await rowsOf(op, plan.sql, true);
  if (rows.length === 0) return notFoundOrMergedOrThrow(op, returneeId, await breakGlassHint(op));
  return (await projectRows(op, p, plan, rows, wanted, subfields))[0];
}

/**
 * Records in the caller's scope by id, in the order given; an id out of scope (or gone) is left
 * out, never an error: callers pass ids a scoped query of theirs just returned.
 */
export async function readReturneesByIdOrThrow(
  op: Operation,
  ids: readonly string[],
  requested: Set<string>,
  subfields?: Subfields,
  alsoRead?: (id: string) => readonly string[],
): Promise<ReturneeView[]> {
  if (ids.length === 0) return [];
  const p = await projectionOrThrow(op);
  const wanted = requestedFields(requested);
  const plan = buildSelect({
    projection: p,
    fields: wanted,
    allGroups: requested.has('redactedFields'),
    subfields,
    byIds: { text: 'r.id = any(?::uuid[])', params: [pgArray(ids.map((id) => uuidOrThrow(id)))] },
    witnesses: witnessesOf(op.ability, p),
  });
  const rows = await rowsOf(op, plan.sql, true);
  const order = new Map(ids.map((id, i) => [id.toLowerCase(), i]));
  rows.sort((a, b) => order.get(a.id as string)! - order.get(b.id as string)!);
  return projectRows(op, p, plan, rows, wanted, subfields, alsoRead);
}

/**
 * `readReturneeOrThrow` with what the client selected at `path` of the current root field
 * (`[]` for `returnee`, `['returnee']` for a mutation's payload), down to the keys inside
 * section fields and households: those decide what is loaded and what the READ events list.
 */
export function readSelectedReturneeOrThrow(
  op: Operation,
  id: string,
  info: GraphQLResolveInfo,
  path: string[] = [],
): Promise<ReturneeView> {
  return readReturneeOrThrow(op, id, selectedFields(info, path), (field) => selectedFields(info, [...path, field]));
}

/**
 * May the caller read `field` on this record (in their scope)? The same SQL condition as a read
 * of it, for checks whose outcome would otherwise disclose the field (errors built on it).
 */
export async function readsFieldOn(op: Operation, returneeId: string, field: string): Promise<boolean> {
  const p = readProjection(op.ability);
  if (!p?.readable.has(field)) return false;
  const params: unknown[] = [];
  const group = fieldCondition(p, field);
  const condition = `${inline(p.scopeSql, params)}${group ? ` and ${inline(group.sql, params)}` : ''}`;
  params.push(returneeId);
  const [row] = await rowsOf(op, { text: `select (${condition}) as ok from returnee r where r.id = ?`, params });
  return row?.ok === true;
}

/** The fields the caller may read on one record in scope (for history), or NOT_FOUND. */
export async function readableFieldsOrThrow(op: Operation, returneeId: string, entityType: string): Promise<Set<string>> {
  return (await readableWithBasisOrThrow(op, returneeId, entityType)).readable;
}

/**
 * The fields the caller may read on one record in scope and, for any of them, the basis of the
 * sections they belong to (as a read of them would record it), or NOT_FOUND.
 */
export async function readableWithBasisOrThrow(
  op: Operation,
  returneeId: string,
  entityType: string,
): Promise<{ readable: Set<string>; basisFor: (fields: readonly string[]) => DisclosureBasis[] }> {
  const p = await projectionOrThrow(op);
  const plan = buildSelect({
    projection: p,
    fields: [],
    allGroups: true,
    byIds: byIdKey(returneeId),
    witnesses: witnessesOf(op.ability, p),
    witnessAll: true,
  });
  const [row] = await rowsOf(op, plan.sql, true);
  if (!row) return op.notFoundOrThrow('READ', entityType, returneeId, returneeId);
  const readable = layouts(p, plan, [])(row).readable;
  return {
    readable,
    basisFor: (fields) => {
      const layout = layoutOf(
        p,
        plan,
        plan.groups.map((_, k) => row[`g${k}`] === true),
        fields.filter((f) => readable.has(f)),
      );
      return basisOf(row, layout);
    },
  };
}
