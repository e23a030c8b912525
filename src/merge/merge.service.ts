import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { permittedReturneeFields } from '../access/fields';
import { uuidOrThrow } from '../common/ids';
import { writeNameKeys } from '../dedup/name-key-store';
import { badInput, conflict, forbidden, HubError } from '../errors';
import type { Operation } from '../request/operation';
import { ReturneeRevision } from '../returnee/returnee-revision.entity';
import { Returnee } from '../returnee/returnee.entity';
import { childTablesOf, moveSql } from './child-tables';
import { inUpdateScope, mayMergeOrThrow, readableOn } from './merge-access';
import { ReturneeMerge, type MovedRows } from './merge.entity';
import { choosableFields } from './merge-outcome';
import { runRecordMergedHooks } from './record-merged-hook';
import { pgArray } from '../common/pg-array';

/**
 * mergeReturnees: `mergedId` becomes part of `survivorId`, in one transaction.
 *
 * - Who: a supervisor of a sector that writes identity (merge-access.ts), with BOTH records in
 *   its update scope. A record outside it is NOT_FOUND (byte for byte a missing id); a record
 *   already merged into one the caller sees is CONFLICT.
 * - Fields: the survivor keeps its values, except the fields the caller chose to take from the
 *   merged record — only fields it may write (else FORBIDDEN, DENY event). Fields it may not read
 *   on either record are kept from the survivor and named in the answer (`keptUnreadable`).
 * - Rows: every table with a relation to Returnee is handled as child-tables.ts declares
 *   (derived from the ORM metadata); the ids of the rows that moved are journalled
 *   (returnee_merge), so an unmerge moves back exactly those. Household links (records naming
 *   the merged record as guardian) move too, each with a revision.
 * - History: a revision on each record, audit events on both ids naming the merge.
 * - Versions: both must be the ones sent (else CONFLICT, nothing written); the rows are locked
 *   in id order, so of two concurrent merges of a pair one waits and then fails on the version.
 */
export interface FieldChoice {
  field: string;
  from: 'SURVIVOR' | 'MERGED';
}

export interface MergeInput {
  survivorId: string;
  mergedId: string;
  expectedVersions: { survivor: number; merged: number };
  fieldChoices?: FieldChoice[] | null;
}

async function takenFieldsOrThrow(op: Operation, input: MergeInput, survivorId: string): Promise<string[]> {
  const taken = (input.fieldChoices ?? []).filter((c) => c.from === 'MERGED').map((c) => c.field);
  const named = (input.fieldChoices ?? []).map((c) => c.field);
  const twice = named.filter((f, i) => named.indexOf(f) !== i);
  if (twice.length > 0) throw badInput(`Each field may be chosen once: ${[...new Set(twice)].join(', ')}`, { fields: twice });
  const choosable = choosableFields(op.em);
  const unknown = named.filter((f) => !choosable.has(f));
  if (unknown.length > 0) {
    throw badInput(`These are not fields of a record one can choose in a merge: ${unknown.join(', ')}`, { fields: unknown });
  }
  const writable = permittedReturneeFields(op.ability, 'update');
  const refused = taken.filter((f) => !writable.has(f));
  if (refused.length > 0) {
    await op.denyOrThrow(
      { entityType: 'Returnee', entityId: survivorId, returneeId: survivorId, fields: refused },
      forbidden(
        `Your sector (${op.actor.sector}) may not write: ${refused.join(', ')}; those are kept from the survivor. Nothing was changed.`,
        {
          fields: refused,
        },
      ),
    );
  }
  return taken;
}

class Refusal extends Error {
  constructor(
    readonly kind: 'NOT_FOUND' | 'CONFLICT',
    readonly returneeId: string,
    readonly error?: HubError,
  ) {
    super(kind);
  }
}

type PairRow = { id: string; version: number; merged_into_id: string | null };

/**
 * Locks both rows (id order: no deadlock between A→B and B→A) and checks scope and versions.
 * Only rows already in the caller's scope are locked: locking an out-of-scope id first made it
 * wait behind another agency's write of that record, where a missing id answers at once (its
 * NOT_FOUND then told, by its delay, that the record exists and was being written). Scope is
 * checked again under the lock; a record counts as in scope only if it was both times.
 */
async function lockPairOrThrow(db: Knex.Transaction, op: Operation, input: MergeInput, ids: { survivor: string; merged: string }) {
  const pair = [ids.survivor, ids.merged];
  const before = await inUpdateScope(db, op, pair);
  const mine = pair.filter((id) => before.has(id));
  const others = pair.filter((id) => !before.has(id));
  const rowsOf = async (list: string[], lock: boolean): Promise<PairRow[]> =>
    list.length === 0
      ? []
      : (
          (await db.raw(
            `select id, version, merged_into_id from returnee where id = any(?::uuid[]) order by id${lock ? ' for update' : ''}`,
            [pgArray(list)],
          )) as { rows: PairRow[] }
        ).rows;
  const rows = [...(await rowsOf(mine, true)), ...(await rowsOf(others, false))];
  const after = await inUpdateScope(db, op, [...pair, ...rows.map((r) => r.merged_into_id).filter((x): x is string => !!x)]);
  const scope = new Set([...after].filter((id) => before.has(id) || !pair.includes(id)));
  for (const [role, id] of [
    ['survivor', ids.survivor],
    ['merged', ids.merged],
  ] as const) {
    const row = rows.find((r) => r.id === id);
    if (row && scope.has(id)) {
      const expected = input.expectedVersions[role];
      if (row.version !== expected) {
        throw new Refusal('CONFLICT', id, staleVersion(role, expected, row.version));
      }
      continue;
    }
    // Merged a moment ago (a concurrent merge won) into a record the caller sees: say so.
    if (row?.merged_into_id && scope.has(row.merged_into_id)) {
      throw new Refusal(
        'CONFLICT',
        id,
        conflict(`The ${role} record was merged into another record meanwhile. Nothing was changed.`, { mergedInto: row.merged_into_id }),
      );
    }
    throw new Refusal('NOT_FOUND', id);
  }
}

function staleVersion(role: string, expected: number, current: number): HubError {
  return conflict(
    `The ${role} record changed since you read it (you sent version ${expected}, it is now ${current}). Read both again and resend. Nothing was changed.`,
    { currentVersion: current, record: role },
  );
}

/** Moves the MOVE tables' rows and the household links; returns the ids that moved. */
async function moveChildren(op: Operation, tx: EntityManager, db: Knex.Transaction, survivorId: string, mergedId: string) {
  const moved: MovedRows = {};
  for (const t of childTablesOf(tx.getMetadata())) {
    if (t.handling === 'DERIVED') continue;
    if (t.handling === 'KEEP') continue;
    const params: unknown[] = [survivorId, mergedId];
    let where = `${t.column} = ?`;
    if (t.staysWhen) {
      where += ` and not (${t.staysWhen('t')})`;
      params.push(survivorId);
    }
    const { rows } = (await db.raw(moveSql(t, `t.${where}`), params as Knex.RawBinding[])) as {
      rows: { id: string }[];
    };
    moved[t.entity] = rows.map((r) => r.id);
  }
  // Records naming the merged record as their guardian (a mother's children) now name the survivor.
  const { rows: household } = (await db.raw(
    `update returnee set guardian_returnee_id = ?, version = version + 1
      where guardian_returnee_id = ? and id not in (?, ?) returning id, version - 1 as version`,
    [survivorId, mergedId, survivorId, mergedId],
  )) as { rows: { id: string; version: number }[] };
  moved.Household = household.map((r) => r.id);
  for (const h of household) {
    tx.persist(
      new ReturneeRevision({
        returneeId: h.id,
        version: h.version,
        previous: { guardianReturneeId: mergedId },
        staffId: op.actor.staffId,
        agencyId: op.actor.agencyId,
      }),
    );
  }
  return moved;
}

export async function mergeReturneesOrThrow(op: Operation, input: MergeInput): Promise<{ mergeId: string }> {
  const survivorId = uuidOrThrow(input.survivorId, 'survivorId');
  const mergedId = uuidOrThrow(input.mergedId, 'mergedId');
  await mayMergeOrThrow(op, { entityId: survivorId, returneeId: survivorId });
  if (survivorId === mergedId)
    throw badInput('survivorId and mergedId must be two different records', { fields: ['survivorId', 'mergedId'] });
  const taken = await takenFieldsOrThrow(op, input, survivorId);
  try {
    return await op.em.transactional(async (tx) => {
      const db = tx.getTransactionContext<Knex.Transaction>()!;
      await lockPairOrThrow(db, op, input, { survivor: survivorId, merged: mergedId });
      const [readS, readM] = [await readableOn(db, op, survivorId), await readableOn(db, op, mergedId)];
      const unreadable = taken.filter((f) => !readS.has(f) || !readM.has(f));
      if (unreadable.length > 0) {
        throw badInput(`You may not read ${unreadable.join(', ')} on both records, so you cannot choose between them`, {
          fields: unreadable,
        });
      }
      const survivor = await tx.findOneOrFail(Returnee, survivorId);
      const merged = await tx.findOneOrFail(Returnee, mergedId);
      const previous: Record<string, unknown> = {};
      const fields: Record<string, unknown> = {};
      for (const f of taken) {
        previous[f] = (survivor as unknown as Record<string, unknown>)[f] ?? null;
        fields[f] = (merged as unknown as Record<string, unknown>)[f] ?? null;
      }
      const versions = { survivor: survivor.version, merged: merged.version };
      // The journal first: the civil documents' append-only guard lets a row move only within a
      // journalled merge of these two records (hub.merge_id, this transaction only).
      const journal = new ReturneeMerge({
        survivorId,
        mergedId,
        staffId: op.actor.staffId,
        agencyId: op.actor.agencyId,
        survivorVersion: versions.survivor,
        mergedVersion: versions.merged,
        survivorPrevious: previous,
        moved: {},
      });
      await tx.persist(journal).flush();
      await db.raw(`select set_config('hub.merge_id', ?, true)`, [journal.id]);
      journal.moved = await moveChildren(op, tx, db, survivorId, mergedId);
      tx.assign(survivor, { ...fields, updatedAt: new Date() });
      tx.assign(merged, { mergedIntoId: survivorId, updatedAt: new Date() });
      const who = { staffId: op.actor.staffId, agencyId: op.actor.agencyId };
      tx.persist([
        new ReturneeRevision({ returneeId: survivorId, version: versions.survivor, previous: { ...previous, mergedFrom: null }, ...who }),
        new ReturneeRevision({ returneeId: mergedId, version: versions.merged, previous: { mergedIntoId: null }, ...who }),
      ]);
      await tx.flush();
      // The versions an unmerge will expect: any later change of either record blocks it.
      journal.survivorVersion = survivor.version;
      journal.mergedVersion = merged.version;
      const moved = journal.moved;
      await tx.flush();
      if (taken.some((f) => ['givenName', 'familyName', 'patronymic', 'otherNames'].includes(f))) await writeNameKeys(tx, [survivor]);
      await op.recordInTransaction(tx, [
        {
          action: 'UPDATE',
          entityType: 'Returnee',
          entityId: survivorId,
          returneeId: survivorId,
          fields: taken,
          outcome: 'SUCCESS',
          reason: `MERGED_FROM:${mergedId}`,
        },
        {
          action: 'UPDATE',
          entityType: 'Returnee',
          entityId: mergedId,
          returneeId: mergedId,
          fields: [],
          outcome: 'SUCCESS',
          reason: `MERGED_INTO:${survivorId}`,
        },
        {
          action: 'CREATE',
          entityType: 'ReturneeMerge',
          entityId: journal.id,
          returneeId: survivorId,
          outcome: 'SUCCESS',
          reason: 'MERGE_SURVIVOR',
        },
        {
          action: 'CREATE',
          entityType: 'ReturneeMerge',
          entityId: journal.id,
          returneeId: mergedId,
          outcome: 'SUCCESS',
          reason: 'MERGE_MERGED',
        },
        ...Object.entries(moved).flatMap(([entity, ids]) =>
          ids.map((id) => ({
            action: 'UPDATE' as const,
            entityType: entity === 'Household' ? 'Returnee' : entity,
            entityId: id,
            returneeId: entity === 'Household' ? id : survivorId,
            fields: [entity === 'Household' ? 'guardianReturneeId' : 'returnee'],
            outcome: 'SUCCESS' as const,
            reason: `MERGE:${journal.id}`,
          })),
        ),
      ]);
      await runRecordMergedHooks(tx, { mergeId: journal.id, survivorId, mergedId, undone: false });
      return { mergeId: journal.id };
    });
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    if (error.kind === 'NOT_FOUND') return op.notFoundOrThrow('UPDATE', 'Returnee', error.returneeId, error.returneeId);
    await op.recordDurably([
      {
        action: 'UPDATE',
        entityType: 'Returnee',
        entityId: error.returneeId,
        returneeId: error.returneeId,
        outcome: 'CONFLICT',
        reason: 'CONFLICT',
      },
    ]);
    throw error.error!;
  }
}
