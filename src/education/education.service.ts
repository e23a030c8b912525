import { Reference } from '@mikro-orm/core';
import { Agency } from '../agency/agency.entity';
import { StaffMember } from '../staff/staff.entity';
import type { Operation } from '../request/operation';
import { badInput } from '../errors';
import { Returnee } from '../returnee/returnee.entity';
import { notInFutureOrThrow, sentFields } from '../returnee/section-write';
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
    // One statement (section-write-sql.ts): the columns that change (their previous values kept
    // in returnee_revision) under the version sent, the note, and their events: the record's
    // UPDATE first, naming every field sent, as it always did.
    statement: (returneeId) => ({
      row: progressNote
        ? new EducationProgressNote({
            returnee: Reference.createFromPK(Returnee, returneeId),
            agency: Reference.createFromPK(Agency, op.actor.agencyId),
            recordedBy: Reference.createFromPK(StaffMember, op.actor.staffId),
            notedOn: progressNote.notedOn,
            note: progressNote.note,
          })
        : undefined,
      rowEntityType: 'EducationProgressNote',
      rowFields: ['notedOn', 'note'],
      record: Object.keys(columns).length > 0 ? columns : undefined,
      recordEventFirst: true,
      recordEvent: 'sent',
    }),
  });
}
