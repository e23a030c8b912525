import { randomUUID } from 'node:crypto';
import { uuidOrThrow } from '../common/ids';
import { conflict, forbidden } from '../errors';
import type { Operation } from '../request/operation';
import type { ReviewSide } from './break-glass.entity';
import type { ReviewBreakGlassInput } from './break-glass.types';

/**
 * The after-the-fact review of a break-glass opening. Two sides are asked: a supervisor of the
 * agency whose staff member broke the glass, and a supervisor of the agency that registered the
 * record (one review covers both when they are the same agency). Each side reviews once; the
 * opening's outcome is set when both sides have: NOT_JUSTIFIED if either found so. Nobody reviews
 * their own opening. Reviews are never changed (the application role may only insert them).
 */
export async function reviewBreakGlassOrThrow(op: Operation, input: ReviewBreakGlassInput): Promise<string> {
  const id = uuidOrThrow(input.id);
  const me = op.actor;
  await op.authorizeOrThrow('reviewBreakGlass', 'BreakGlass', {
    entityId: id,
    message: 'Only supervisors of the agencies concerned review a break-glass opening',
  });
  const [row] = await op.em.execute<{ returnee_id: string; actor_id: string; agency_id: string; record_agency_id: string }[]>(
    'select returnee_id, actor_id, agency_id, record_agency_id from break_glass where id = ? and (agency_id = ? or record_agency_id = ?)',
    [id, me.agencyId, me.agencyId],
  );
  if (!row) return op.notFoundOrThrow('UPDATE', 'BreakGlass', id);
  if (row.actor_id === me.staffId) {
    return op.denyOrThrow(
      { entityType: 'BreakGlass', entityId: id, returneeId: row.returnee_id },
      forbidden('You broke the glass yourself: another supervisor reviews it'),
    );
  }
  const sides: ReviewSide[] = [];
  if (row.agency_id === me.agencyId) sides.push('ACTOR_AGENCY');
  if (row.record_agency_id === me.agencyId) sides.push('RECORD_AGENCY');
  const note = input.note.trim();
  return op.em.transactional(async (tx) => {
    // The two sides' reviews of one opening, one after the other: each transaction sees the other's
    // review before it decides whether both are in. Without it, two reviews committed at once each
    // counted only their own, and the opening never got its outcome.
    await tx.execute('select 1 from break_glass where id = ? for update', [id]);
    let added = 0;
    for (const side of sides) {
      const rows = await tx.execute<{ id: string }[]>(
        `insert into break_glass_review (id, break_glass_id, side, reviewer_id, agency_id, outcome, note, reviewed_at)
         values (?, ?, ?, ?, ?, ?, ?, date_trunc('milliseconds', now())) on conflict (break_glass_id, side) do nothing returning id`,
        [randomUUID(), id, side, me.staffId, me.agencyId, input.outcome, note],
      );
      added += rows.length;
    }
    if (added === 0) throw conflict('Your agency has already reviewed this opening; nothing was changed');
    // Both sides in: the opening's outcome (NOT_JUSTIFIED if either found so).
    await tx.execute(
      `update break_glass b set review_outcome = v.outcome, reviewed_at = date_trunc('milliseconds', now())
       from (select case when bool_or(outcome = 'NOT_JUSTIFIED') then 'NOT_JUSTIFIED' else 'JUSTIFIED' end as outcome
             from break_glass_review where break_glass_id = ? having count(distinct side) = 2) v
       where b.id = ? and b.review_outcome is null`,
      [id, id],
    );
    await op.recordInTransaction(tx, [
      {
        action: 'UPDATE',
        entityType: 'BreakGlass',
        entityId: id,
        returneeId: row.returnee_id,
        fields: ['reviews', 'reviewOutcome'],
        outcome: 'SUCCESS',
      },
    ]);
    return id;
  });
}
