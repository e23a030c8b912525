import type { Knex } from '@mikro-orm/postgresql';
import { pgArray } from '../common/pg-array';
import type { Action, AppAbility } from './ability-types';
import { compileCondition, inline } from './condition-sql';
import { conditionTemplate } from './scope';

type Db = Knex | Knex.Transaction;

/** The ids among `ids` in the caller's row scope for `action`, in one statement (merged records are in nobody's). */
export async function idsInScope(db: Db, ability: AppAbility, action: Action, ids: string[]): Promise<Set<string>> {
  const template = conditionTemplate(ability, action);
  if (template === null || ids.length === 0) return new Set();
  const params: unknown[] = [pgArray(ids)];
  const text = `select r.id from returnee r where r.id = any(?::uuid[]) and ${inline(compileCondition(template), params)}`;
  const { rows } = (await db.raw(text, params as Knex.RawBinding[])) as { rows: { id: string }[] };
  return new Set(rows.map((r) => r.id));
}

/**
 * Locks the records FOR SHARE, in id order. A merge locks both of its records FOR UPDATE, so a
 * write holding this lock and a merge of the record wait for each other instead of interleaving.
 */
export async function lockForShare(db: Knex.Transaction, ids: string[]): Promise<void> {
  await db.raw('select 1 from returnee where id = any(?::uuid[]) order by id for share', [pgArray(ids)]);
}

/**
 * Scope asked again at the point of a write, in its transaction: the records locked FOR SHARE,
 * then `idsInScope` in a statement of its own, which sees what was committed while the lock was
 * awaited (a merge, an access ended). A write checked only before its transaction could be
 * stored on a record merged or out of scope meanwhile (test/races.test.ts). Two statements on
 * purpose: a locking read re-checks only the locked row's own columns, not the scope's subqueries.
 */
export async function lockedInScope(db: Knex.Transaction, ability: AppAbility, action: Action, ids: string[]): Promise<Set<string>> {
  await lockForShare(db, ids);
  return idsInScope(db, ability, action, ids);
}
