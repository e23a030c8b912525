import type { Knex } from '@mikro-orm/postgresql';
import { uuidOrThrow } from '../common/ids';
import { badInput } from '../errors';
import type { Operation } from '../request/operation';
import { lockedInScope } from '../access/scope-check';
import { inUpdateScope, mayMergeOrThrow } from './merge-access';

/**
 * markNotDuplicate / reopenDuplicatePair: a supervisor's decision that two records are two
 * people (or the undoing of it). An identity decision like a merge, so the same callers: a
 * supervisor of a sector that writes identity (else FORBIDDEN, DENY event `DuplicateDecision`),
 * with BOTH records in its update scope (else NOT_FOUND, byte for byte a missing id). One row per
 * pair (smaller id first); one audit event on each record's id, in the decision's transaction.
 */
export const MAX_NOTE = 1000;

export interface PairIds {
  lowId: string;
  highId: string;
}

async function pairInScopeOrThrow(op: Operation, aId: string, bId: string, task: string): Promise<PairIds> {
  const a = uuidOrThrow(aId, 'aId');
  const b = uuidOrThrow(bId, 'bId');
  await mayMergeOrThrow(op, { entityId: a, returneeId: a }, 'DuplicateDecision', task);
  if (a === b) throw badInput('aId and bId must be two different records', { fields: ['aId', 'bId'] });
  const [lowId, highId] = a < b ? [a, b] : [b, a];
  const knex = op.em.getConnection().getKnex();
  const scope = await inUpdateScope(knex, op, [a, b]);
  for (const id of [a, b]) if (!scope.has(id)) await op.notFoundOrThrow('UPDATE', 'Returnee', id, id);
  return { lowId, highId };
}

/**
 * In the decision's transaction: both records locked (id order; a merge locks them FOR UPDATE, so
 * the two wait for each other) and in the caller's update scope still. A merge committed since the
 * first look (or a scope that ended) makes the decision NOT_FOUND with nothing written, as it would
 * be had the decision come a moment later; the refused id is returned, for notFoundOrThrow once
 * the transaction is over.
 */
async function pairStillInScope(db: Knex.Transaction, op: Operation, pair: PairIds): Promise<string | undefined> {
  const scope = await lockedInScope(db, op.ability, 'update', [pair.lowId, pair.highId]);
  return [pair.lowId, pair.highId].find((id) => !scope.has(id));
}

export async function markNotDuplicateOrThrow(op: Operation, aId: string, bId: string, note?: string | null): Promise<PairIds> {
  if (note != null && note.length > MAX_NOTE) throw badInput(`note must be at most ${MAX_NOTE} characters`, { fields: ['note'] });
  const pair = await pairInScopeOrThrow(op, aId, bId, 'Deciding that two records are two people');
  const gone = await op.em.transactional(async (tx) => {
    const db = tx.getTransactionContext<Knex.Transaction>()!;
    const out = await pairStillInScope(db, op, pair);
    if (out) return out;
    await db.raw(
      `insert into duplicate_decision (low_id, high_id, decision, staff_id, agency_id, decided_at, note)
       values (?, ?, 'NOT_DUPLICATE', ?, ?, now(), ?)
       on conflict (low_id, high_id) do update set decision = 'NOT_DUPLICATE', staff_id = excluded.staff_id,
         agency_id = excluded.agency_id, decided_at = excluded.decided_at, note = excluded.note`,
      [pair.lowId, pair.highId, op.actor.staffId, op.actor.agencyId, note ?? null],
    );
    await op.recordInTransaction(
      tx,
      [pair.lowId, pair.highId].map((id) => ({
        action: 'CREATE' as const,
        entityType: 'DuplicateDecision',
        entityId: id,
        returneeId: id,
        outcome: 'SUCCESS' as const,
        reason: `NOT_DUPLICATE:${id === pair.lowId ? pair.highId : pair.lowId}`,
      })),
    );
    return undefined;
  });
  if (gone) return op.notFoundOrThrow('UPDATE', 'Returnee', gone, gone);
  return pair;
}

export async function reopenDuplicatePairOrThrow(op: Operation, aId: string, bId: string): Promise<PairIds> {
  const pair = await pairInScopeOrThrow(op, aId, bId, 'Reopening a duplicate pair');
  const gone = await op.em.transactional(async (tx) => {
    const db = tx.getTransactionContext<Knex.Transaction>()!;
    const out = await pairStillInScope(db, op, pair);
    if (out) return out;
    await db.raw('delete from duplicate_decision where low_id = ? and high_id = ?', [pair.lowId, pair.highId]);
    await op.recordInTransaction(
      tx,
      [pair.lowId, pair.highId].map((id) => ({
        action: 'DELETE' as const,
        entityType: 'DuplicateDecision',
        entityId: id,
        returneeId: id,
        outcome: 'SUCCESS' as const,
        reason: `REOPENED:${id === pair.lowId ? pair.highId : pair.lowId}`,
      })),
    );
    return undefined;
  });
  if (gone) return op.notFoundOrThrow('UPDATE', 'Returnee', gone, gone);
  return pair;
}

/** The pair's decision as the caller may see it (both records are in its scope: checked before). */
export async function decisionOf(op: Operation, pair: PairIds): Promise<{ notDuplicate: boolean; decidedAt: Date | null }> {
  const knex = op.em.getConnection().getKnex();
  const { rows } = (await knex.raw('select decided_at from duplicate_decision where low_id = ? and high_id = ?', [
    pair.lowId,
    pair.highId,
  ])) as { rows: { decided_at: Date | string }[] };
  return { notDuplicate: rows.length > 0, decidedAt: rows[0] ? new Date(rows[0].decided_at) : null };
}
