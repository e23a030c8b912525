import type { Operation } from '../request/operation';
import { Agency } from '../agency/agency.entity';
import { today } from '../common/calendar';
import { badInput } from '../errors';
import { Returnee } from '../returnee/returnee.entity';
import { writeWithHistoryOrThrow } from '../returnee/returnee-write.service';
import { writeSectionOrThrow } from '../returnee/section-write-command';
import { StaffMember } from '../staff/staff.entity';
import { HealthAssessment } from './health-assessment.entity';
import type { RecordHealthAssessmentInput } from './health.types';

const FLAG_FIELDS = ['followUpNeeded', 'fitForSchool', 'accommodationsNeeded'] as const;

/**
 * Records an examination (HEALTH) and derives the shareable HEALTH_FLAGS from it, in one
 * transaction with both audit events: the new assessment (CREATE) and the returnee's flags
 * (UPDATE, with the previous flags kept in the revision history). Requires write access to
 * both sections; the record must be in the caller's update scope.
 */
export function recordHealthAssessmentOrThrow(op: Operation, id: string, input: RecordHealthAssessmentInput): Promise<string> {
  return writeSectionOrThrow(op, {
    returneeId: id,
    entityType: 'HealthAssessment',
    attempt: 'CREATE',
    fields: ['healthAssessments', ...FLAG_FIELDS],
    doing: 'record health assessments',
    deniedMessage: `Your sector (${op.actor.sector}) may not record health assessments`,
    validate: () => {
      if (input.assessedOn > today()) throw badInput('assessedOn cannot be in the future', { fields: ['assessedOn'] });
    },
    notBeforeBirth: { assessedOn: input.assessedOn },
    // The flags are returnee columns: another write to the record may commit between our read and ours.
    racing: 'the assessment was being recorded',
    write: async (tx, row) => {
      const assessment = new HealthAssessment(
        tx.getReference(Returnee, row.id, { wrapped: true }),
        tx.getReference(Agency, op.actor.agencyId, { wrapped: true }),
        tx.getReference(StaffMember, op.actor.staffId, { wrapped: true }),
        input.assessedOn,
        input.findings,
      );
      const { assessedOn: _a, findings: _f, ...rest } = input;
      tx.assign(assessment, Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)));
      tx.persist(assessment);
      const flagsChanged = latestFlagsChange(row, input);
      await op.recordInTransaction(tx, [
        {
          action: 'CREATE',
          entityType: 'HealthAssessment',
          entityId: assessment.id,
          returneeId: row.id,
          fields: Object.keys(input).filter((k) => (input as unknown as Record<string, unknown>)[k] !== undefined),
          outcome: 'SUCCESS',
        },
      ]);
      // The flags follow the newest assessment; a back-dated one leaves them as they are.
      const newer = await tx.count(HealthAssessment, { returnee: row.id, assessedOn: { $gt: input.assessedOn } });
      if (newer === 0 && Object.keys(flagsChanged).length > 0) await writeWithHistoryOrThrow(op, tx, row, flagsChanged);
      else await tx.flush();
    },
  });
}

function latestFlagsChange(row: Returnee, input: RecordHealthAssessmentInput): Record<string, unknown> {
  const next = {
    followUpNeeded: input.followUpNeeded,
    fitForSchool: input.fitForSchool ?? null,
    accommodationsNeeded: input.accommodationsNeeded ?? null,
  };
  return Object.fromEntries(Object.entries(next).filter(([k, v]) => ((row as unknown as Record<string, unknown>)[k] ?? null) !== v));
}
