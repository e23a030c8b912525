import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Operation } from '../request/operation';
import { badInput } from '../errors';
import { Returnee } from '../returnee/returnee.entity';
import type { CivilDocumentState } from '../returnee/section-enums';
import { notInFutureOrThrow, periodOrThrow, recordedBy } from '../returnee/section-write';
import { writeSectionOrThrow } from '../returnee/section-write-command';
import { CivilDocument } from './civil-document.entity';
import type { RecordCivilDocumentInput } from './documents.types';

type Detail = 'number' | 'issuedOn' | 'issuingAuthority' | 'appliedOn' | 'notes';
type Details = Record<Detail, string | null>;

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
    write: async (tx, row, datesOk) => {
      // Locks the current version: a concurrent recording of the same type waits, then finds none
      // current and loses on the partial unique index (CONFLICT) instead of forking history.
      const current = await tx.findOne(
        CivilDocument,
        { returnee: row.id, type: input.type, supersededAt: null },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      // The dates the new version keeps are known only once the current one is.
      const details = nextDetails(current, input);
      if (details.appliedOn) periodOrThrow(['appliedOn', details.appliedOn], ['issuedOn', details.issuedOn]);
      await datesOk({ issuedOn: details.issuedOn, appliedOn: details.appliedOn });
      await writeVersion(op, tx, row, input, details, current);
    },
  });
}

/** The new version's details: what was sent, else what the previous version held if the status allows it. */
function nextDetails(current: CivilDocument | null, input: RecordCivilDocumentInput): Details {
  const carry = current !== null && RANK[input.status] >= RANK[current.status];
  const out = { number: null, issuedOn: null, issuingAuthority: null, appliedOn: null, notes: null } as Details;
  for (const f of ALLOWED[input.status]) {
    const sent = input[f];
    out[f] = sent !== undefined ? sent : carry ? (current[f] ?? null) : null;
  }
  return out;
}

async function writeVersion(
  op: Operation,
  tx: EntityManager,
  row: Returnee,
  input: RecordCivilDocumentInput,
  details: Details,
  current: CivilDocument | null,
): Promise<void> {
  const events: Parameters<Operation['recordInTransaction']>[1] = [];
  if (current) {
    // Flushed first: the partial unique index allows one current version per type at any moment.
    current.supersededAt = new Date();
    await tx.flush();
    events.push({
      action: 'UPDATE',
      entityType: 'CivilDocument',
      entityId: current.id,
      returneeId: row.id,
      fields: ['supersededAt'],
      outcome: 'SUCCESS',
    });
  }
  const doc = new CivilDocument({
    returnee: tx.getReference(Returnee, row.id, { wrapped: true }),
    ...recordedBy(tx, op),
    type: input.type,
    status: input.status,
  });
  Object.assign(doc, details);
  await tx.persist(doc).flush();
  const set = (Object.keys(details) as Detail[]).filter((f) => details[f] !== null);
  events.push({
    action: 'CREATE',
    entityType: 'CivilDocument',
    entityId: doc.id,
    returneeId: row.id,
    fields: ['type', 'status', ...set],
    outcome: 'SUCCESS',
  });
  await op.recordInTransaction(tx, events);
}
