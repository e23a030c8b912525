import { OptimisticLockError } from '@mikro-orm/core';
import type { Operation } from '../request/operation';
import { badInput } from '../errors';
import { Returnee } from '../returnee/returnee.entity';
import { currentVersionOf, writeWithHistoryOrThrow } from '../returnee/returnee-write.service';
import {
  conflictOrThrow,
  notBeforeBirthOrThrow,
  notInFutureOrThrow,
  recordedBy,
  returneeInUpdateScopeOrThrow,
  sectionWritableOrThrow,
  sentFields,
} from '../returnee/section-write';
import { EducationProgressNote } from './education-progress-note.entity';
import type { UpdateEducationInput } from './education.types';
import { uuidOrThrow } from '../common/ids';

/**
 * Updates a child's education (EDUCATION and EDUCATION_SUMMARY columns of the record) and
 * optionally appends a progress note, in one transaction with one audit event per record
 * touched: UPDATE of the returnee (previous values kept in returnee_revision) and CREATE of
 * the note. Like updateReturnee, the client sends the version it read: a stale one, or a
 * concurrent update committing first, is CONFLICT and nothing is written.
 */
export async function updateEducationOrThrow(
  op: Operation,
  id: string,
  expectedVersion: number,
  input: UpdateEducationInput,
): Promise<string> {
  const returneeId = uuidOrThrow(id, 'returneeId');
  const { progressNote, ...rest } = input;
  const columns = sentFields(rest) as Record<string, unknown>;
  if (Object.keys(columns).length === 0 && !progressNote) {
    throw badInput('input names nothing to change: send at least one education field or a progressNote');
  }
  const touched = [...Object.keys(columns), ...(progressNote ? ['educationProgressNotes'] : [])];
  await sectionWritableOrThrow(op, { entityType: 'Returnee', returneeId, fields: touched, doing: 'update education records' });
  if (progressNote) notInFutureOrThrow({ 'progressNote.notedOn': progressNote.notedOn });
  const row = await returneeInUpdateScopeOrThrow(op, returneeId, { action: 'UPDATE', entityType: 'Returnee' });
  if (row.version !== expectedVersion) return staleOrThrow(op, returneeId, expectedVersion, row.version);
  if (progressNote) await notBeforeBirthOrThrow(op, row, { 'progressNote.notedOn': progressNote.notedOn });

  try {
    return await op.em.transactional(async (tx) => {
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
      return row.id;
    });
  } catch (error) {
    // Another update committed between our read and our write (the UPDATE carries the version).
    if (error instanceof OptimisticLockError)
      return staleOrThrow(op, returneeId, expectedVersion, await currentVersionOf(op.ctx.em, returneeId));
    throw error;
  }
}

function staleOrThrow(op: Operation, returneeId: string, expected: number, current?: number): Promise<never> {
  return conflictOrThrow(
    op,
    { action: 'UPDATE', entityType: 'Returnee', entityId: returneeId, returneeId },
    `The record changed since you read it (you sent version ${expected}${current ? `, it is now ${current}` : ''}). ` +
      'Read it again, reapply your change and send the new version.',
    current ? { currentVersion: current } : {},
  );
}
