import type { Sql } from '../access/condition-sql';
import type { Section } from '../access/sections';
import { cursorsFor } from '../common/cursor';
import { uuidOrThrow } from '../common/ids';
import { pageInfoOf } from '../common/paging';
import { badInput, forbidden } from '../errors';
import type { Operation } from '../request/operation';
import type { ReviewOutcome } from './break-glass.entity';
import type { BreakGlassConnection, BreakGlassReviewStatus, BreakGlassType } from './break-glass.types';

/**
 * The one read of break-glass openings: the mutations' answers (and their replays) and the review
 * queue come through here. Row scope in SQL: the staff member who opened it; the supervisors
 * (`reviewBreakGlass`) of the opener's agency and of the record's registering agency; the
 * auditors (`auditBreakGlass`) of its country. Each opening shown is a READ event naming its record.
 */
const FIELDS = ['returneeId', 'openedBy', 'agency', 'reasonCode', 'reasonText', 'sections', 'openedAt', 'expiresAt', 'closedAt', 'reviews'];

/** Which openings the caller may see, over row `b`, or null when none. */
export function breakGlassScope(op: Operation): Sql {
  const me = op.actor;
  const parts = ['b.actor_id = ?'];
  const params: unknown[] = [me.staffId];
  if (op.ability.can('reviewBreakGlass', 'BreakGlass')) {
    parts.push('b.agency_id = ?', 'b.record_agency_id = ?');
    params.push(me.agencyId, me.agencyId);
  }
  if (op.ability.can('auditBreakGlass', 'BreakGlass')) {
    parts.push('b.country = ?');
    params.push(me.country);
  }
  return { text: `(${parts.join(' or ')})`, params };
}

const AGENCY = (a: string) =>
  `json_build_object('id', ${a}.id, 'code', ${a}.code, 'name', ${a}.name, 'sector', ${a}.sector, 'country', ${a}.country, 'createdAt', ${a}.created_at)`;

const SELECT = `select b.id, b.returnee_id, b.actor_id, s.display_name, ${AGENCY('a')} as agency, b.reason_code, b.reason_text, b.sections,
  b.outside_scope, b.opened_at, b.expires_at, b.closed_at, b.review_outcome,
  (b.closed_at is null and b.expires_at > now()) as open,
  (b.review_outcome is null and b.opened_at < now() - make_interval(days => ?)) as overdue,
  (select coalesce(json_agg(json_build_object('side', v.side, 'reviewerId', v.reviewer_id, 'outcome', v.outcome, 'note', v.note,
     'reviewedAt', v.reviewed_at, 'agency', ${AGENCY('va')}) order by v.reviewed_at, v.id), '[]'::json)
   from break_glass_review v join agency va on va.id = v.agency_id where v.break_glass_id = b.id) as reviews
  from break_glass b join agency a on a.id = b.agency_id join staff_member s on s.id = b.actor_id`;

interface Row {
  id: string;
  returnee_id: string;
  actor_id: string;
  display_name: string;
  agency: BreakGlassType['agency'] & { createdAt: string };
  reason_code: BreakGlassType['reasonCode'];
  reason_text: string;
  sections: string[];
  outside_scope: boolean;
  // Timestamps as the driver gives them (text or Date): made Dates in view().
  opened_at: Date | string;
  expires_at: Date | string;
  closed_at: Date | string | null;
  review_outcome: ReviewOutcome | null;
  open: boolean;
  overdue: boolean;
  reviews: (Omit<BreakGlassType['reviews'][number], 'reviewedAt' | 'agency'> & { reviewedAt: string; agency: Row['agency'] })[];
}

const agencyOf = (a: Row['agency']) => ({ ...a, createdAt: new Date(a.createdAt) });

function view(r: Row): BreakGlassType {
  return {
    id: r.id,
    returneeId: r.returnee_id,
    openedBy: r.actor_id,
    openedByName: r.display_name,
    agency: agencyOf(r.agency),
    reasonCode: r.reason_code,
    reasonText: r.reason_text,
    sections: r.sections as Section[],
    outsideScope: r.outside_scope,
    openedAt: new Date(r.opened_at),
    expiresAt: new Date(r.expires_at),
    closedAt: r.closed_at === null ? null : new Date(r.closed_at),
    open: r.open,
    reviewOutcome: r.review_outcome,
    reviewOverdue: r.overdue,
    reviews: r.reviews.map((v) => ({ ...v, agency: agencyOf(v.agency), reviewedAt: new Date(v.reviewedAt) })),
  };
}

/** An opening names its record (the reference): disclosed because of that break-glass, its basis. */
async function recordReads(op: Operation, rows: Row[]): Promise<void> {
  await op.recordDurably(
    rows.map((r) => ({
      action: 'READ' as const,
      entityType: 'BreakGlass',
      entityId: r.id,
      returneeId: r.returnee_id,
      fields: FIELDS,
      outcome: 'SUCCESS' as const,
      basis: [{ section: 'REFERENCE', kind: 'BREAK_GLASS' as const, ref: r.id }],
    })),
  );
}

/** One opening as the caller may see it (scoped, audited), or NOT_FOUND: what every break-glass mutation answers with, replays included. */
export async function readBreakGlassOrThrow(op: Operation, id: string): Promise<BreakGlassType> {
  const scope = breakGlassScope(op);
  const rows = await op.em.execute<Row[]>(`${SELECT} where b.id = ? and ${scope.text}`, [
    op.ctx.runtime.config.breakGlassReviewDays,
    uuidOrThrow(id),
    ...scope.params,
  ]);
  if (rows.length === 0) return op.notFoundOrThrow('READ', 'BreakGlass', id);
  await recordReads(op, rows);
  return view(rows[0]);
}

const STATUS_WHERE: Record<BreakGlassReviewStatus, string> = {
  PENDING: 'b.review_outcome is null',
  OVERDUE: 'b.review_outcome is null and b.opened_at < now() - make_interval(days => ?)',
  REVIEWED: 'b.review_outcome is not null',
};

/**
 * The review queue: openings in the caller's review scope (supervisors: their agency's openings
 * and those on records it registered; auditors: their country's), newest first.
 */
export async function listBreakGlassOrThrow(
  op: Operation,
  args: { status: BreakGlassReviewStatus; first: number; after?: string },
): Promise<BreakGlassConnection> {
  if (!op.ability.can('reviewBreakGlass', 'BreakGlass') && !op.ability.can('auditBreakGlass', 'BreakGlass')) {
    return op.denyOrThrow(
      { entityType: 'BreakGlass' },
      forbidden(`Only supervisors of case agencies and auditors see break-glass reviews (you: ${op.actor.sector})`),
    );
  }
  const maxPage = op.ctx.runtime.config.maxPageSize;
  if (!Number.isInteger(args.first) || args.first < 1 || args.first > maxPage) throw badInput(`first must be between 1 and ${maxPage}`);
  const days = op.ctx.runtime.config.breakGlassReviewDays;
  const cursors = cursorsFor(op, {
    connection: 'breakGlassReviews',
    order: `openedAt desc ${args.status}`,
    value: 'timestamp',
    id: 'uuid',
  });
  const after = args.after ? cursors.openOrThrow(args.after) : undefined;
  const scope = breakGlassScope(op);
  const where = [scope.text, STATUS_WHERE[args.status]];
  const params: unknown[] = [...scope.params, ...(args.status === 'OVERDUE' ? [days] : [])];
  const [{ n }] = await op.em.execute<{ n: number }[]>(`select count(*)::int as n from break_glass b where ${where.join(' and ')}`, [
    ...params,
  ]);
  const [{ any }] = after
    ? await op.em.execute<{ any: boolean }[]>(
        `select exists (select 1 from break_glass b where ${where.join(' and ')} and (b.opened_at, b.id) > (?::timestamptz, ?::uuid)) as any`,
        [...params, after.value, after.id],
      )
    : [{ any: false }];
  if (after) {
    where.push('(b.opened_at, b.id) < (?::timestamptz, ?::uuid)');
    params.push(after.value, after.id);
  }
  const rows = await op.em.execute<Row[]>(`${SELECT} where ${where.join(' and ')} order by b.opened_at desc, b.id desc limit ?`, [
    days,
    ...params,
    args.first + 1,
  ]);
  const page = rows.slice(0, args.first);
  await recordReads(op, page);
  const edges = page.map((r) => ({ cursor: cursors.seal(new Date(r.opened_at).toISOString(), r.id), node: view(r) }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: pageInfoOf(
      edges.map((e) => e.cursor),
      rows.length > args.first,
      any,
    ),
    totalCount: n,
  };
}
