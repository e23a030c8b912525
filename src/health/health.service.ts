import type { Operation } from '../request/operation';
import { permittedReturneeFields } from '../access/fields';
import { Agency } from '../agency/agency.entity';
import { today } from '../common/calendar';
import { badInput, forbidden } from '../errors';
import { Returnee } from '../returnee/returnee.entity';
import { writeWithHistoryOrThrow } from '../returnee/returnee-write.service';
import { notBeforeBirthOrThrow, returneeInUpdateScopeOrThrow, transactionalOrConflict } from '../returnee/section-write';
import { StaffMember } from '../staff/staff.entity';
import { HealthAssessment } from './health-assessment.entity';
import type { RecordHealthAssessmentInput } from './health.types';
import { uuidOrThrow } from '../common/ids';

const FLAG_FIELDS = ['followUpNeeded', 'fitForSchool', 'accommodationsNeeded'] as const;

/**
 * Records an examination (HEALTH) and derives the shareable HEALTH_FLAGS from it, in one
 * transaction with both audit events: the new assessment (CREATE) and the returnee's flags
 * (UPDATE, with the previous flags kept in the revision history). Requires write access to
 * both sections; the record must be in the caller's update scope.
 */
export async function recordHealthAssessmentOrThrow(op: Operation, id: string, input: RecordHealthAssessmentInput): Promise<string> {
  const returneeId = uuidOrThrow(id, 'returneeId');
  const writable = permittedReturneeFields(op.ability, 'update');
  const missing = ['healthAssessments', ...FLAG_FIELDS].filter((f) => !writable.has(f));
  if (missing.length > 0) {
    await op.denyOrThrow(
      { entityType: 'HealthAssessment', returneeId, fields: missing },
      forbidden(`Your sector (${op.actor.sector}) may not record health assessments`, { fields: missing }),
    );
  }
  if (input.assessedOn > today()) throw badInput('assessedOn cannot be in the future', { fields: ['assessedOn'] });
  const row = await returneeInUpdateScopeOrThrow(op, returneeId, { action: 'CREATE', entityType: 'HealthAssessment' });
  await notBeforeBirthOrThrow(op, row, { assessedOn: input.assessedOn });

  // The flags are returnee columns: another write to the record may commit between our read and ours.
  return transactionalOrConflict(op, returneeId, 'the assessment was being recorded', async (tx) => {
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
    return row.id;
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
