import { Reference } from '@mikro-orm/core';
import type { Operation } from '../request/operation';
import { Agency } from '../agency/agency.entity';
import { today } from '../common/calendar';
import { badInput } from '../errors';
import { Returnee } from '../returnee/returnee.entity';
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
    statement: (returneeId) => {
      const assessment = new HealthAssessment(
        Reference.createFromPK(Returnee, returneeId),
        Reference.createFromPK(Agency, op.actor.agencyId),
        Reference.createFromPK(StaffMember, op.actor.staffId),
        input.assessedOn,
        input.findings,
      );
      const { assessedOn: _a, findings: _f, ...rest } = input;
      Object.assign(assessment, Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)));
      return {
        row: assessment,
        rowFields: Object.keys(input).filter((k) => (input as unknown as Record<string, unknown>)[k] !== undefined),
        // The flags follow the newest assessment; a back-dated one leaves them as they are.
        record: {
          followUpNeeded: input.followUpNeeded,
          fitForSchool: input.fitForSchool ?? null,
          accommodationsNeeded: input.accommodationsNeeded ?? null,
        },
        unlessLater: { property: 'assessedOn', value: input.assessedOn },
      };
    },
  });
}
