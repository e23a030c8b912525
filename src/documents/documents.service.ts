import { Reference } from '@mikro-orm/core';
import type { Operation } from '../request/operation';
import { Agency } from '../agency/agency.entity';
import { badInput } from '../errors';
import { Returnee } from '../returnee/returnee.entity';
import { CIVIL_DOCUMENT_STATUSES, type CivilDocumentState } from '../returnee/section-enums';
import { notInFutureOrThrow } from '../returnee/section-write';
import { writeSectionOrThrow } from '../returnee/section-write-command';
import { StaffMember } from '../staff/staff.entity';
import { CivilDocument } from './civil-document.entity';
import { runDocumentStatement, type Detail, type DocumentVersion } from './documents-write-sql';
import type { RecordCivilDocumentInput } from './documents.types';

/** What a version of each status may hold: a missing document has no number, dates or authority. */
const ALLOWED: Record<CivilDocumentState, readonly Detail[]> = {
  MISSING: ['notes'],
  APPLIED: ['appliedOn', 'issuingAuthority', 'notes'],
  ISSUED: ['number', 'issuedOn', 'issuingAuthority', 'appliedOn', 'notes'],
};
/** The life cycle runs MISSING → APPLIED → ISSUED; going back (lost, renewal) starts a new cycle. */
const RANK: Record<CivilDocumentState, number> = { MISSING: 0, APPLIED: 1, ISSUED: 2 };

/**
 * Records a passport, birth certificate or ID card (DOCUMENTS). When the returnee already has
 * one of that type, the new values become a new version and the old one is stamped superseded
 * (see CivilDocument): nothing is overwritten. One audit event per row touched: CREATE of the
 * new version, UPDATE (supersededAt) of the previous one. Requires write access to
 * `civilDocuments`; `documentStatuses` follows from it.
 */
export function recordCivilDocumentOrThrow(op: Operation, id: string, input: RecordCivilDocumentInput): Promise<string> {
  return writeSectionOrThrow(op, {
    returneeId: id,
    entityType: 'CivilDocument',
    attempt: 'CREATE',
    fields: ['civilDocuments'],
    doing: 'record civil documents',
    validate: () => {
      const misplaced = ALLOWED.ISSUED.filter((f) => input[f] !== undefined && input[f] !== null && !ALLOWED[input.status].includes(f));
      if (misplaced.length > 0) {
        throw badInput(`A ${input.status} document has no ${misplaced.join(', ')}: leave them out or choose another status`, {
          fields: misplaced,
        });
      }
      notInFutureOrThrow({ issuedOn: input.issuedOn, appliedOn: input.appliedOn });
    },
    uniqueConflict: `Another ${input.type} of this returnee was recorded at the same moment. Read the record again and resend if still needed.`,
    // One statement (documents-write-sql.ts): the current version superseded, the new one with
    // the details it carries, the dates checked once those are known, and both events.
    run: (returneeId) => runDocumentStatement(op, returneeId, nextVersion(op, returneeId, input)),
  });
}

/**
 * The new version: the details sent (those its status allows), and which it takes from the
 * current version when not sent: those its status allows, when it does not go back in the life
 * cycle (a lost passport applied for again starts a new cycle, carrying nothing).
 */
function nextVersion(op: Operation, returneeId: string, input: RecordCivilDocumentInput): DocumentVersion {
  const row = new CivilDocument({
    returnee: Reference.createFromPK(Returnee, returneeId),
    agency: Reference.createFromPK(Agency, op.actor.agencyId),
    recordedBy: Reference.createFromPK(StaffMember, op.actor.staffId),
    type: input.type,
    status: input.status,
  });
  const sent = ALLOWED[input.status].filter((f) => input[f] !== undefined);
  for (const f of sent) row[f] = input[f] ?? null;
  return {
    row,
    carried: ALLOWED[input.status].filter((f) => !sent.includes(f)),
    carriedFrom: CIVIL_DOCUMENT_STATUSES.filter((s) => RANK[input.status] >= RANK[s]),
  };
}
