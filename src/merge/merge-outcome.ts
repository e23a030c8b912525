import { ReferenceKind } from '@mikro-orm/core';
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { permittedReturneeFields } from '../access/fields';
import { ALL_RETURNEE_FIELDS } from '../access/sections';
import type { Operation } from '../request/operation';
import { Returnee } from '../returnee/returnee.entity';
import { childTablesOf } from './child-tables';
import { inUpdateScope, readableOn } from './merge-access';
import { ReturneeMerge } from './merge.entity';

/** Scalar columns of the record a merge's choice may name (sections' collections move as rows). */
export function choosableFields(em: EntityManager): Set<string> {
  const meta = em.getMetadata().get(Returnee.name);
  return new Set(
    ALL_RETURNEE_FIELDS.filter((f) => {
      const prop = meta.properties[f as keyof Returnee];
      return prop && prop.kind === ReferenceKind.SCALAR && !prop.version && !prop.primary;
    }),
  );
}

export interface MergeOutcome {
  mergeId: string;
  survivorId: string;
  mergedId: string;
  fieldsTaken: string[];
  keptUnreadable: string[];
  keptWithMergedRecord: { kind: string; count: number }[];
}

/**
 * What a merge did, from its journal, as the caller may learn it (also for a replayed request):
 * the fields taken, the fields it may not read on one of the records (kept from the survivor),
 * and how many rows stayed with the merged record — only of kinds the caller may see (consents
 * and case accesses: the sharing it may read; civil documents: when it reads them).
 */
export async function describeMergeOrThrow(op: Operation, mergeId: string): Promise<MergeOutcome> {
  const journal = await op.em.findOne(ReturneeMerge, mergeId);
  const knex = op.em.getConnection().getKnex();
  const db = op.em.getTransactionContext<Knex.Transaction>() ?? knex;
  if (!journal || !(await inUpdateScope(db, op, [journal.survivorId, journal.mergedId])).size) {
    return op.notFoundOrThrow('READ', 'ReturneeMerge', mergeId);
  }
  const [readS, readM] = [await readableOn(db, op, journal.survivorId), await readableOn(db, op, journal.mergedId)];
  const sharing = op.ability.can('readSharing', 'Returnee');
  const visible: Record<string, boolean> = {
    Consent: sharing,
    CaseAccess: sharing,
    CivilDocument: permittedReturneeFields(op.ability, 'read').has('civilDocuments'),
  };
  const kept: { kind: string; count: number }[] = [];
  for (const t of childTablesOf(op.em.getMetadata())) {
    if (t.handling === 'DERIVED' || !visible[t.entity]) continue;
    const { rows } = (await db.raw(`select count(*)::int as n from ${t.table} where ${t.column} = ?`, [journal.mergedId])) as {
      rows: { n: number }[];
    };
    if (rows[0].n > 0) kept.push({ kind: t.entity, count: rows[0].n });
  }
  return {
    mergeId,
    survivorId: journal.survivorId,
    mergedId: journal.mergedId,
    fieldsTaken: Object.keys(journal.survivorPrevious),
    keptUnreadable: [...choosableFields(op.em)].filter((f) => !readS.has(f) || !readM.has(f)),
    keptWithMergedRecord: kept,
  };
}
