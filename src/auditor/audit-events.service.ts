import type { Knex } from '@mikro-orm/postgresql';
import type { Operation } from '../request/operation';
import { badInput } from '../errors';
import { cursorsFor, type CursorOwner, type CursorSpec } from '../common/cursor';
import { returneeInScopeOrThrow, visibleEventsSql } from './audit-scope';
import { ISO_US } from '../trail/audit-canonical';
import { basisKey } from '../trail/audit-basis';
import { caseNumberReads, eventView, loadReferences, type EventRow } from './audit-view';
import type { AuditEventFilter, AuditEventType } from './audit.types';

export interface AuditPage {
  nodes: AuditEventType[];
  cursors: string[];
  hasNextPage: boolean;
  /** Events the caller may see matching the filter sort at or before `after` (false on the first page). */
  hasPreviousPage: boolean;
  totalCount?: { n: number; capped: boolean };
}

interface Where {
  sql: string[];
  bindings: Knex.RawBinding[];
}

/** Events page on their (occurred_at, id) key, newest first; cursors sealed like every other (common/cursor.ts). */
const CURSORS: CursorSpec = { connection: 'auditEvents', order: 'occurredAt desc', value: 'timestamp', id: 'bigint' };

/** The cursor `owner` would be given after this event (tools that page from a known event, e.g. the latency bench). */
export function auditCursor(owner: CursorOwner, row: Pick<EventRow, 'occurred_at' | 'id'>): string {
  return cursorsFor(owner, CURSORS).seal(row.occurred_at, row.id);
}

/**
 * Filter conditions, for the page and for the count (they differ only in how the auditor's
 * returnee scope is written, see visibleEventsSql). A returnee filter first proves the returnee
 * is in scope, which then makes all its events visible.
 */
async function whereOrThrow(op: Operation, filter: AuditEventFilter): Promise<{ page: Where; count: Where }> {
  if (filter.from && filter.to && filter.from >= filter.to) throw badInput('from must be before to', { fields: ['from', 'to'] });
  const page: Where = { sql: [], bindings: [] };
  const count: Where = { sql: [], bindings: [] };
  const add = (sql: string, ...bindings: Knex.RawBinding[]) => {
    for (const w of [page, count]) {
      w.sql.push(sql);
      w.bindings.push(...bindings);
    }
  };
  if (filter.returneeId) add('e.returnee_id = ?', (await returneeInScopeOrThrow(op, filter.returneeId)).id);
  else {
    for (const [w, correlated] of [
      [page, true],
      [count, false],
    ] as const) {
      const visible = visibleEventsSql(op, correlated);
      w.sql.push(visible.sql);
      w.bindings.push(...visible.bindings);
    }
  }
  if (filter.staffId) add('e.staff_id = ?', filter.staffId);
  // In the statement, so the count and the page agree: subtracting a separate count of one's own
  // reads raced with the reads each of those requests records.
  if (filter.hideOwnReads) add(`(e.action <> 'READ' or e.staff_id is distinct from ?)`, op.actor.staffId);
  if (filter.agencyId) add('e.agency_id = ?', filter.agencyId);
  if (filter.actions?.length) add(`e.action in (${filter.actions.map(() => '?').join(', ')})`, ...filter.actions);
  if (filter.outcomes?.length) add(`e.outcome in (${filter.outcomes.map(() => '?').join(', ')})`, ...filter.outcomes);
  if (filter.basisRef && !filter.basis) throw badInput('basisRef needs basis (the kind of basis it names)', { fields: ['basisRef'] });
  // One key of the GIN-indexed basis_keys (audit-basis.ts): no scan of the trail.
  if (filter.basis) add('e.basis_keys @> array[?]::text[]', basisKey(filter.basis, filter.basisRef));
  if (filter.from) add('e.occurred_at >= ?', filter.from.toISOString());
  if (filter.to) add('e.occurred_at < ?', filter.to.toISOString());
  return { page, count };
}

/**
 * `auditEvents`: newest first, keyset-paginated on (occurred_at, id), which the
 * (returnee | staff | agency | outcome, occurred_at, id) and (occurred_at, id) indexes serve as
 * a backward scan (the outcome one holds only non-SUCCESS events: refusals and failures are
 * rare, and a scan filtering for them would otherwise read the whole range). Authorizes first; records one READ event for the whole query (one per
 * event returned would multiply the trail by every audit page read), durable before the
 * answer leaves (fail closed).
 */
export async function listAuditEventsOrThrow(
  op: Operation,
  args: { filter?: AuditEventFilter; first: number; after?: string; previous?: boolean },
  fieldsRead: string[],
  wantTotal: boolean,
  maxPage: number,
  caseNumbersShown = true,
): Promise<AuditPage> {
  await op.authorizeOrThrow('read', 'AuditEvent', {
    entityType: 'AuditEvent',
    returneeId: args.filter?.returneeId,
    message: 'Only auditors may read the audit trail',
  });
  if (!Number.isInteger(args.first) || args.first < 1 || args.first > maxPage) throw badInput(`first must be between 1 and ${maxPage}`);
  const filter = args.filter ?? {};
  const where = await whereOrThrow(op, filter);
  const page = [...where.page.sql];
  const pageBindings = [...where.page.bindings];
  const cursors = cursorsFor(op, CURSORS);
  const knex = op.em.getConnection().getKnex();
  let hasPreviousPage = false;
  if (args.after) {
    const after = cursors.openOrThrow(args.after);
    // Relay, forward paging: edges before `after` exist when a visible event sorts at or after its key (newest first).
    if (args.previous) hasPreviousPage = await exists(knex, where.page, after);
    page.push('(e.occurred_at, e.id) < (?::timestamptz, ?::bigint)');
    pageBindings.push(after.value, after.id);
  }
  const { rows } = (await knex.raw(
    `select e.id::text as id, to_char(e.occurred_at at time zone 'UTC', ${ISO_US}) as occurred_at, e.request_id, e.staff_id, e.agency_id,
       e.action, e.entity_type, e.entity_id, e.returnee_id, e.fields, e.denied_fields, e.purpose, e.operation, e.outcome, e.reason, e.correlation_id, e.basis,
       c.position::text as chain_position
     from audit_event e left join audit_chain c on c.event_id = e.id and c.occurred_at = e.occurred_at
     where ${page.join(' and ')}
     order by e.occurred_at desc, e.id desc limit ?`,
    [...pageBindings, args.first + 1],
  )) as { rows: EventRow[] };
  const shown = rows.slice(0, args.first);
  const totalCount = wantTotal ? await count(knex, where.count) : undefined;
  const refs = await loadReferences(op, shown);
  await op.recordDurably([
    { action: 'READ', entityType: 'AuditEvent', returneeId: filter.returneeId?.toLowerCase(), fields: fieldsRead, outcome: 'SUCCESS' },
    ...caseNumberReads(
      refs,
      shown.map((r) => r.returnee_id),
      caseNumbersShown && fieldsRead.includes('returnee'),
    ),
  ]);
  return {
    nodes: shown.map((r) => eventView(r, refs)),
    cursors: shown.map((r) => cursors.seal(r.occurred_at, r.id)),
    hasNextPage: rows.length > args.first,
    hasPreviousPage,
    totalCount,
  };
}

async function exists(knex: Knex, where: Where, after: { value: string; id: string }): Promise<boolean> {
  const { rows } = (await knex.raw(
    `select exists (select 1 from audit_event e where ${where.sql.join(' and ')} and (e.occurred_at, e.id) >= (?::timestamptz, ?::bigint)) as e`,
    [...where.bindings, after.value, after.id],
  )) as { rows: { e: boolean }[] };
  return rows[0].e;
}

/**
 * `totalCount` is exact up to `TOTAL_COUNT_CAP` and then says "at least" (`totalCountCapped`):
 * counting every visible event of an unfiltered trail read 4.5 million index entries at 10^7
 * (3 s), and grows with the trail; a count that stops after the cap costs what a page of that
 * many rows does, whatever the trail's size. Not the planner's estimate: that is computed from
 * every event, the ones outside the auditor's scope included.
 */
export const TOTAL_COUNT_CAP = 10_000;

async function count(knex: Knex, where: Where): Promise<{ n: number; capped: boolean }> {
  const { rows } = (await knex.raw(
    `select count(*)::int as n from (select 1 from audit_event e where ${where.sql.join(' and ')} limit ?) capped`,
    [...where.bindings, TOTAL_COUNT_CAP + 1],
  )) as { rows: { n: number }[] };
  const n = Number(rows[0].n);
  return { n: Math.min(n, TOTAL_COUNT_CAP), capped: n > TOTAL_COUNT_CAP };
}
