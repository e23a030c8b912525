import type { Knex } from '@mikro-orm/postgresql';
import { inline } from '../access/condition-sql';
import { idsInScope } from '../access/scope-check';
import { permittedReturneeFields } from '../access/fields';
import { readProjection } from '../access/projection';
import { forbidden } from '../errors';
import type { Operation } from '../request/operation';

/**
 * Who may merge and unmerge, and what they may read on a record, as SQL over the caller's own
 * rules (the same compiler as every scoped query). A merge decides that two records are one
 * person: an identity decision, taken by a supervisor of a sector that writes identity.
 */
const IDENTITY_FIELDS = ['givenName', 'familyName', 'sex', 'dateOfBirth'];

export async function mayMergeOrThrow(
  op: Operation,
  what: { entityId?: string; returneeId?: string },
  entityType = 'ReturneeMerge',
  task = 'Merging records',
): Promise<void> {
  const writable = permittedReturneeFields(op.ability, 'update');
  if (op.actor.roles.includes('SUPERVISOR') && IDENTITY_FIELDS.every((f) => writable.has(f))) return;
  await op.denyOrThrow(
    { entityType, ...what },
    forbidden(
      `${task} is for supervisors of a sector that writes identity data; you are ${op.actor.roles.join('/')} of ${op.actor.sector}. Nothing was changed.`,
    ),
  );
}

export type Db = Knex | Knex.Transaction;

/** The ids among `ids` in the caller's UPDATE scope (merged records are in nobody's). */
export function inUpdateScope(db: Db, op: Operation, ids: string[]): Promise<Set<string>> {
  return idsInScope(db, op.ability, 'update', ids);
}

/** The fields the caller may read on one record in its scope (its field groups, in SQL). */
export async function readableOn(db: Db, op: Operation, id: string): Promise<Set<string>> {
  const p = readProjection(op.ability);
  if (!p) return new Set();
  const params: unknown[] = [];
  const flags = p.groups.map((g, i) => `${inline(g.sql, params)} as g${i}`);
  params.push(id);
  const text = `select true as found${flags.map((f) => `, ${f}`).join('')} from returnee r where r.id = ?`;
  const { rows } = (await db.raw(text, params as Knex.RawBinding[])) as { rows: Record<string, boolean>[] };
  const readable = new Set(p.base);
  if (rows.length === 0) return readable;
  p.groups.forEach((g, i) => {
    if (rows[0][`g${i}`] === true) for (const f of g.fields) readable.add(f);
  });
  return readable;
}
