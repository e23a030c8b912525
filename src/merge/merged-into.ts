import type { Knex } from '@mikro-orm/postgresql';
import { inline } from '../access/condition-sql';
import { readProjection } from '../access/projection';
import { HubError, notFound } from '../errors';
import type { Operation } from '../request/operation';

/**
 * `returnee(id)` of a merged record: NOT_FOUND, with `extensions.mergedInto` (the survivor's id)
 * only when the caller's row scope holds the survivor. Anyone else gets the plain NOT_FOUND of a
 * missing id, byte for byte, and the same audit event: whether an id was merged, and into what,
 * is known only to those who may see where it went.
 */
export async function notFoundOrMergedOrThrow(op: Operation, returneeId: string, details: Record<string, unknown> = {}): Promise<never> {
  const survivor = await visibleSurvivorOf(op, returneeId);
  if (!survivor) return op.notFoundOrThrow('READ', 'Returnee', returneeId, returneeId, details);
  await op.recordDurably([
    { action: 'READ', entityType: 'Returnee', entityId: returneeId, returneeId, outcome: 'NOT_FOUND', reason: `MERGED_INTO:${survivor}` },
  ]);
  throw new HubError('NOT_FOUND', notFound('returnee', returneeId).message, { ...details, mergedInto: survivor });
}

async function visibleSurvivorOf(op: Operation, returneeId: string): Promise<string | null> {
  const p = readProjection(op.ability);
  if (!p) return null;
  const params: unknown[] = [returneeId];
  const text = `select r.id from returnee m join returnee r on r.id = m.merged_into_id where m.id = ? and ${inline(p.scopeSql, params)}`;
  const knex = op.em.getConnection().getKnex();
  const trx = op.em.getTransactionContext<Knex.Transaction>();
  const { rows } = (await (trx ?? knex).raw(text, params as Knex.RawBinding[])) as { rows: { id: string }[] };
  return rows[0]?.id ?? null;
}
