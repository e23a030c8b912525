import { LockMode } from '@mikro-orm/core';
import type { Knex } from '@mikro-orm/postgresql';
import { uuidOrThrow } from '../common/ids';
import { writeNameKeys } from '../dedup/name-key-store';
import { conflict, HubError } from '../errors';
import type { Operation } from '../request/operation';
import { ReturneeRevision } from '../returnee/returnee-revision.entity';
import { Returnee } from '../returnee/returnee.entity';
import { childTablesOf, moveSql, type ChildTable } from './child-tables';
import { inUpdateScope, mayMergeOrThrow } from './merge-access';
import { ReturneeMerge } from './merge.entity';
import { runRecordMergedHooks } from './record-merged-hook';
import { pgArray } from '../common/pg-array';

/**
 * unmergeReturnees: undoes one merge within HUB_UNMERGE_DAYS (default 30) of it. The merged record
 * comes back (out of nobody's scope any more), the survivor's chosen fields get their previous
 * values back, and exactly the rows the journal says moved move back; rows added to the survivor
 * since stay with it. Refused, saying why, when the period is over, the merge was undone already,
 * or either record changed since in a way an unmerge would silently undo: the survivor's fields
 * were updated (its version moved), it was merged again, or a moved row is no longer on it.
 *
 * Who: as for a merge (merge-access.ts), with the survivor in the caller's update scope. A merge
 * whose survivor the caller cannot see is NOT_FOUND, like a merge id that does not exist.
 */
class Refusal extends Error {
  constructor(readonly error?: HubError) {
    super('refused');
  }
}

function refuse(message: string, details: Record<string, unknown>): never {
  throw new Refusal(conflict(`${message} Nothing was changed.`, details));
}

export async function unmergeReturneesOrThrow(op: Operation, id: string): Promise<string> {
  const mergeId = uuidOrThrow(id, 'mergeId');
  await mayMergeOrThrow(op, { entityId: mergeId });
  let journalForAudit: { survivorId: string } | undefined;
  try {
    return await op.em.transactional(async (tx) => {
      const db = tx.getTransactionContext<Knex.Transaction>()!;
      // Scope first, then the lock (and scope again under it): a merge of another agency's record
      // must answer NOT_FOUND as fast as a missing id, not wait behind a concurrent unmerge of it.
      const seen = await tx.findOne(ReturneeMerge, mergeId);
      if (!seen || !(await inUpdateScope(db, op, [seen.survivorId])).has(seen.survivorId)) throw new Refusal();
      const journal = await tx.findOne(ReturneeMerge, mergeId, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      if (!journal || !(await inUpdateScope(db, op, [journal.survivorId])).has(journal.survivorId)) throw new Refusal();
      journalForAudit = journal;
      await db.raw('select id from returnee where id = any(?::uuid[]) order by id for update', [
        pgArray([journal.survivorId, journal.mergedId]),
      ]);
      if (journal.undoneAt) refuse('This merge was undone already.', { undoneAt: journal.undoneAt.toISOString() });
      const days = op.ctx.runtime.config.unmergeDays;
      const deadline = new Date(journal.mergedAt.getTime() + days * 86_400_000);
      if (Date.now() > deadline.getTime()) {
        refuse(`A merge can be undone for ${days} days (HUB_UNMERGE_DAYS); this one could until ${deadline.toISOString()}.`, {
          reason: 'PERIOD_OVER',
        });
      }
      const survivor = await tx.findOneOrFail(Returnee, journal.survivorId);
      const merged = await tx.findOneOrFail(Returnee, journal.mergedId);
      if (survivor.mergedIntoId)
        refuse('The survivor has since been merged into another record: undo that merge first.', { reason: 'SURVIVOR_MERGED' });
      if (survivor.version !== journal.survivorVersion) {
        refuse(
          `The survivor was updated after the merge (version ${journal.survivorVersion} then, ${survivor.version} now); undoing would lose those changes. Change it back by hand instead.`,
          { reason: 'SURVIVOR_CHANGED', currentVersion: survivor.version },
        );
      }
      if (merged.version !== journal.mergedVersion || merged.mergedIntoId !== journal.survivorId) {
        refuse('The merged record changed after the merge.', { reason: 'MERGED_CHANGED' });
      }
      await db.raw(`select set_config('hub.merge_id', ?, true)`, [journal.id]);
      const tables = new Map(childTablesOf(tx.getMetadata()).map((t) => [t.entity, t]));
      const back: [string, string[]][] = [];
      for (const [entity, ids] of Object.entries(journal.moved)) {
        if (ids.length === 0) continue;
        const table: ChildTable | undefined =
          entity === 'Household' ? { entity, table: 'returnee', column: 'guardian_returnee_id', handling: 'MOVE' } : tables.get(entity);
        if (!table) refuse(`Rows of ${entity} moved, and the hub no longer knows that table.`, { reason: 'UNKNOWN_TABLE', entity });
        const { rows } = (await db.raw(moveSql(table, `t.id = any(?::uuid[]) and t.${table.column} = ?`), [
          journal.mergedId,
          pgArray(ids),
          journal.survivorId,
        ])) as { rows: { id: string }[] };
        if (rows.length !== ids.length) {
          refuse(
            `${ids.length - rows.length} of the ${entity} rows the merge moved are no longer on the survivor (moved or deleted since).`,
            {
              reason: 'MOVED_ROWS_CHANGED',
              entity,
            },
          );
        }
        back.push([entity, ids]);
      }
      const who = { staffId: op.actor.staffId, agencyId: op.actor.agencyId };
      const current: Record<string, unknown> = {};
      for (const f of Object.keys(journal.survivorPrevious)) current[f] = (survivor as unknown as Record<string, unknown>)[f] ?? null;
      tx.persist([
        new ReturneeRevision({ returneeId: survivor.id, version: survivor.version, previous: { ...current, unmergedFrom: null }, ...who }),
        new ReturneeRevision({ returneeId: merged.id, version: merged.version, previous: { mergedIntoId: survivor.id }, ...who }),
      ]);
      tx.assign(survivor, { ...journal.survivorPrevious, updatedAt: new Date() });
      tx.assign(merged, { mergedIntoId: null, updatedAt: new Date() });
      journal.undoneAt = new Date();
      journal.undoneBy = op.actor.staffId;
      await tx.flush();
      // The household links that went back: a new version and a revision each, as the merge gave them.
      const household = back.find(([e]) => e === 'Household')?.[1] ?? [];
      if (household.length > 0) {
        const { rows } = (await db.raw(
          'update returnee set version = version + 1 where id = any(?::uuid[]) returning id, version - 1 as version',
          [pgArray(household)],
        )) as { rows: { id: string; version: number }[] };
        for (const h of rows)
          tx.persist(new ReturneeRevision({ returneeId: h.id, version: h.version, previous: { guardianReturneeId: survivor.id }, ...who }));
        await tx.flush();
      }
      await writeNameKeys(tx, [survivor, merged]);
      await op.recordInTransaction(tx, [
        {
          action: 'UPDATE',
          entityType: 'Returnee',
          entityId: survivor.id,
          returneeId: survivor.id,
          fields: Object.keys(journal.survivorPrevious),
          outcome: 'SUCCESS',
          reason: `UNMERGED_FROM:${merged.id}`,
        },
        {
          action: 'UPDATE',
          entityType: 'Returnee',
          entityId: merged.id,
          returneeId: merged.id,
          fields: [],
          outcome: 'SUCCESS',
          reason: `UNMERGED_FROM:${survivor.id}`,
        },
        {
          action: 'UPDATE',
          entityType: 'ReturneeMerge',
          entityId: journal.id,
          returneeId: survivor.id,
          outcome: 'SUCCESS',
          reason: 'UNMERGE_SURVIVOR',
        },
        {
          action: 'UPDATE',
          entityType: 'ReturneeMerge',
          entityId: journal.id,
          returneeId: merged.id,
          outcome: 'SUCCESS',
          reason: 'UNMERGE_MERGED',
        },
        ...back.flatMap(([entity, ids]) =>
          ids.map((rowId) => ({
            action: 'UPDATE' as const,
            entityType: entity === 'Household' ? 'Returnee' : entity,
            entityId: rowId,
            returneeId: entity === 'Household' ? rowId : merged.id,
            fields: [entity === 'Household' ? 'guardianReturneeId' : 'returnee'],
            outcome: 'SUCCESS' as const,
            reason: `UNMERGE:${journal.id}`,
          })),
        ),
      ]);
      await runRecordMergedHooks(tx, { mergeId: journal.id, survivorId: survivor.id, mergedId: merged.id, undone: true });
      return merged.id;
    });
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    if (!error.error) return op.notFoundOrThrow('UPDATE', 'ReturneeMerge', mergeId);
    const s = journalForAudit?.survivorId;
    await op.recordDurably([
      { action: 'UPDATE', entityType: 'ReturneeMerge', entityId: mergeId, returneeId: s, outcome: 'CONFLICT', reason: 'CONFLICT' },
    ]);
    throw error.error;
  }
}
