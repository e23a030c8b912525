import { ReferenceKind, type MetadataStorage } from '@mikro-orm/core';
import { ROW_TABLES } from '../sections/registry';

/**
 * What a merge does with each kind of row that belongs to a returnee, derived from the ORM's
 * metadata: every entity with a many-to-one (or one-to-one) to Returnee must be named here, or
 * `childTablesOf` throws — at startup of a merge and in test/merge-children.test.ts — so a new
 * section table cannot be forgotten by a merge.
 *
 * - MOVE: the row follows the person to the survivor (and back on unmerge).
 * - KEEP: the row stays with the merged record. Consents: a consent was given for one record's
 *   data to reach named sectors; carried to the survivor it would open the survivor's other data
 *   (registered by other agencies, other sections) to those sectors without the person having
 *   agreed to that. So a merge never widens a sector's view: consents stay where they were
 *   given, the merged record is out of every scope, and a consent that should cover the survivor
 *   is recorded on it anew (docs/matching.md).
 * - DERIVED: recomputed for the survivor, the merged record's row stays (name keys).
 */
export type ChildHandling = 'MOVE' | 'KEEP' | 'DERIVED';

export const CHILD_HANDLING: Readonly<Record<string, ChildHandling>> = {
  // Section rows (src/sections/) are the person's: they follow them.
  ...Object.fromEntries(ROW_TABLES.map((t) => [t.entityType, 'MOVE' as const])),
  Referral: 'MOVE',
  CaseAccess: 'MOVE',
  Consent: 'KEEP',
  ReturneeNameKey: 'DERIVED',
  // A data-subject request is the person's: it is answered on the record they are now, by that
  // record's registering agency (docs/statement.md). Held by id, not by relation (see BY_ID).
  DataSubjectRequest: 'MOVE',
};

/**
 * On a data-subject request that moves, the agency that must answer it becomes the registering
 * agency of the record it moves to (`nr`), and a due notice already sent to another agency is
 * sent again to the new one (due-notices.ts): the request follows the person, its notice follows it.
 */
const DSR_ON_MOVE = `agency_id = nr.registering_agency_id,
  due_notified_at = case when t.agency_id = nr.registering_agency_id then t.due_notified_at end`;

/**
 * Tables that hold a returnee's id without an ORM relation (so the metadata scan cannot see
 * them): named here, with what a merge does, so they move like any child row.
 */
const BY_ID: readonly { entity: string; table: string; column: string; onMove?: string }[] = [
  { entity: 'DataSubjectRequest', table: 'data_subject_request', column: 'returnee_id', onMove: DSR_ON_MOVE },
];

/**
 * Rows that cannot move because the survivor already has their unique counterpart: they stay
 * with the merged record (and are named in the answer). A current civil document of a type the
 * survivor also has (one current document per type), an active case access the survivor already
 * has from the same source (one per agency and source).
 */
const STAYS_WHEN: Readonly<Record<string, (alias: string) => string>> = {
  civil_document: (t) =>
    `${t}.superseded_at is null and exists (select 1 from civil_document o where o.returnee_id = ? and o.type = ${t}.type and o.superseded_at is null)`,
  case_access: (t) =>
    `${t}.revoked_at is null and exists (select 1 from case_access o where o.returnee_id = ? and o.agency_id = ${t}.agency_id and o.revoked_at is null
       and o.derived_from_id is not distinct from ${t}.derived_from_id and o.referral_id is not distinct from ${t}.referral_id)`,
};

export interface ChildTable {
  entity: string;
  table: string;
  column: string;
  handling: ChildHandling;
  /** A condition over the row (alias given) under which it stays; its one `?` is the survivor's id. */
  staysWhen?: (alias: string) => string;
  /** Further assignments when a row `t` moves to the record `nr` (a returnee row), e.g. the agency that answers it. */
  onMove?: string;
}

/** `update` of the rows of `t` matching `where` to record `?`: its bindings are [record id, ...where's]. */
export function moveSql(t: ChildTable, where: string): string {
  if (!t.onMove) return `update ${t.table} t set ${t.column} = ? where ${where} returning t.id`;
  return `update ${t.table} t set ${t.column} = nr.id, ${t.onMove} from returnee nr where nr.id = ? and ${where} returning t.id`;
}

/** Every table whose rows belong to a returnee, with what a merge does to them; throws on one not classified. */
export function childTablesOf(metadata: MetadataStorage): ChildTable[] {
  const out: ChildTable[] = [];
  const unclassified: string[] = [];
  for (const meta of Object.values(metadata.getAll())) {
    for (const prop of meta.relations) {
      if (prop.type !== 'Returnee' || (prop.kind !== ReferenceKind.MANY_TO_ONE && prop.kind !== ReferenceKind.ONE_TO_ONE)) continue;
      if (prop.kind === ReferenceKind.ONE_TO_ONE && !prop.owner) continue;
      const handling = CHILD_HANDLING[meta.className];
      if (!handling) {
        unclassified.push(`${meta.className}.${prop.name}`);
        continue;
      }
      out.push({
        entity: meta.className,
        table: meta.tableName,
        column: prop.fieldNames[0],
        handling,
        staysWhen: STAYS_WHEN[meta.tableName],
      });
    }
  }
  for (const t of BY_ID) out.push({ ...t, handling: CHILD_HANDLING[t.entity] });
  if (unclassified.length > 0) {
    throw new Error(
      `merge: ${unclassified.join(', ')} reference Returnee but src/merge/child-tables.ts does not say what a merge does with them`,
    );
  }
  return out;
}
