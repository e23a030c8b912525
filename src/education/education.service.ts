import type { Operation } from '../request/operation';
import { badInput } from '../errors';
import { Returnee } from '../returnee/returnee.entity';
import { writeWithHistoryOrThrow } from '../returnee/returnee-write.service';
import { notInFutureOrThrow, recordedBy, sentFields } from '../returnee/section-write';
import { writeSectionOrThrow } from '../returnee/section-write-command';
import { EducationProgressNote } from './education-progress-note.entity';
import type { UpdateEducationInput } from './education.types';

/**
 * Updates a child's education (EDUCATION and EDUCATION_SUMMARY columns of the record) and
 * optionally appends a progress note, in one transaction with one audit event per record
 * touched: UPDATE of the returnee (previous values kept in returnee_revision) and CREATE of
 * the note. Like updateReturnee, the client sends the version it read: a stale one, or a
 * concurrent update committing first, is CONFLICT and nothing is written.
 */
export function updateEducationOrThrow(op: Operation, id: string, expectedVersion: number, input: UpdateEducationInput): Promise<string> {
  const { progressNote, ...rest } = input;
  const columns = sentFields(rest) as Record<string, unknown>;
  const notedOn = progressNote ? { 'progressNote.notedOn': progressNote.notedOn } : undefined;
  return writeSectionOrThrow(op, {
    returneeId: id,
    entityType: 'Returnee',
    attempt: 'UPDATE',
    fields: [...Object.keys(columns), ...(progressNote ? ['educationProgressNotes'] : [])],
    doing: 'update education records',
    precheck: () => {
      if (Object.keys(columns).length === 0 && !progressNote) {
        throw badInput('input names nothing to change: send at least one education field or a progressNote');
      }
    },
    validate: () => notedOn && notInFutureOrThrow(notedOn),
    expectedVersion,
    notBeforeBirth: notedOn,
    write: async (tx, row) => {
      const note = progressNote
        ? new EducationProgressNote({
            returnee: tx.getReference(Returnee, row.id, { wrapped: true }),
            ...recordedBy(tx, op),
            notedOn: progressNote.notedOn,
            note: progressNote.note,
          })
        : undefined;
      if (note) tx.persist(note);
      // Flushes the note too; records the returnee's UPDATE event.
      if (Object.keys(columns).length > 0) await writeWithHistoryOrThrow(op, tx, row, columns);
      else await tx.flush();
      if (note) {
        await op.recordInTransaction(tx, [
          {
            action: 'CREATE',
            entityType: 'EducationProgressNote',
            entityId: note.id,
            returneeId: row.id,
            fields: ['notedOn', 'note'],
            outcome: 'SUCCESS',
          },
        ]);
      }
    },
  });
}
