import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Operation } from '../request/operation';
import { enqueueWebhookEvents } from '../webhooks/webhook-outbox';

/**
 * The access tree of one record (see case-access.entity.ts): every grant and every accepted
 * referral derives from the giving agency's own access, and ends with it. Every change to a
 * record's accesses (grantCaseAccess, acceptReferral, closeReferral, revokeCaseAccess) runs in
 * a transaction that first takes this record's tree lock, so an access is never derived from
 * one that a concurrent transaction is ending: the one that waits sees the other's outcome.
 */
export async function lockAccessTree(tx: EntityManager, returneeId: string): Promise<void> {
  // A transaction-scoped advisory lock, shared by every hub process on the database.
  const key = createHash('sha256').update(`case-access-tree\0${returneeId}`).digest().readBigInt64BE(0).toString();
  await tx.execute('select pg_advisory_xact_lock(?)', [key]);
}

/**
 * The access a grant or referral given by `agencyId` derives from: null when that agency
 * registered the record (its access has no source and never ends); otherwise its oldest active
 * access to the record; undefined when it has none (any more). Call under lockAccessTree.
 */
export async function sourceAccessOf(
  tx: EntityManager,
  record: { id: string; registeringAgencyId: string },
  agencyId: string,
): Promise<string | null | undefined> {
  if (agencyId === record.registeringAgencyId) return null;
  const [row] = await tx.execute<{ id: string }[]>(
    'select id from case_access where returnee_id = ? and agency_id = ? and revoked_at is null order by granted_at, id limit 1',
    [record.id, agencyId],
  );
  return row?.id;
}

/** The agency that gave an access: the holder of the access it derives from, or the registering agency. */
export async function givingAgencyOf(
  em: EntityManager,
  access: { derivedFromId?: string | null },
  registeringAgencyId: string,
): Promise<string> {
  if (!access.derivedFromId) return registeringAgencyId;
  const [row] = await em.execute<{ agency_id: string }[]>('select agency_id from case_access where id = ?', [access.derivedFromId]);
  return row.agency_id;
}

/**
 * Ends the active accesses `roots` and every active access derived from them, transitively, in
 * `tx` (under lockAccessTree), with one UPDATE event each: the roots with `reason`, the others
 * naming the access they derived from. Returns the ids ended (none when the roots had ended).
 */
export async function endAccessTree(
  op: Operation,
  tx: EntityManager,
  returneeId: string,
  roots: readonly string[],
  reason: string,
): Promise<string[]> {
  if (roots.length === 0) return [];
  const list = roots.map(() => '?').join(', ');
  // A tree (each access derives from an older one), so every access is reached once, at one depth.
  const rows = await tx.execute<{ id: string; derived_from_id: string | null; root: boolean; depth: number }[]>(
    `with recursive tree(id, depth) as (
       select id, 0 from case_access where returnee_id = ? and revoked_at is null and id in (${list})
       union
       select c.id, t.depth + 1 from case_access c join tree t on c.derived_from_id = t.id where c.revoked_at is null
     )
     update case_access a set revoked_at = now(),
       revocation_reason = case when a.id in (${list}) then ? else 'Ended with the access it derived from (' || a.derived_from_id || ')' end
     from tree where a.id = tree.id
     returning a.id, a.derived_from_id, a.id in (${list}) as root, tree.depth`,
    [returneeId, ...roots, ...roots, reason, ...roots],
  );
  const ended = rows.sort((a, b) => a.depth - b.depth || (a.id < b.id ? -1 : 1));
  await op.recordInTransaction(
    tx,
    ended.map((a) => ({
      action: 'UPDATE' as const,
      entityType: 'CaseAccess',
      entityId: a.id,
      returneeId,
      fields: ['revokedAt', 'revocationReason'],
      outcome: 'SUCCESS' as const,
      reason: a.root ? undefined : `ENDED_WITH_SOURCE ${a.derived_from_id}`,
    })),
  );
  await enqueueWebhookEvents(
    tx,
    ended.map((a) => ({ type: 'CASE_ACCESS_ENDED', returneeId, subjectId: a.id })),
  );
  return ended.map((a) => a.id);
}
