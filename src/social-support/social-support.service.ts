import { Reference } from '@mikro-orm/core';
import { Agency } from '../agency/agency.entity';
import { StaffMember } from '../staff/staff.entity';
import type { Operation } from '../request/operation';
import { badInput, conflict } from '../errors';
import { Returnee } from '../returnee/returnee.entity';
import { notInFutureOrThrow, periodOrThrow, sectionWritableOrThrow } from '../returnee/section-write';
import { writeSectionOrThrow } from '../returnee/section-write-command';
import { SocialSupportMeasure } from './social-support-measure.entity';
import type { RecordSocialSupportInput } from './social-support.types';
import { uuidOrThrow } from '../common/ids';
import { runEndMeasureStatement } from './end-measure-sql';

const GUARDIANSHIP_FIELDS = ['decidingAuthority', 'guardianName'] as const;
const OPTIONAL_FIELDS = ['endedOn', 'provider', ...GUARDIANSHIP_FIELDS] as const;

/**
 * Records a social-protection measure (SOCIAL_SUPPORT): one new row and its CREATE event in
 * one transaction. Requires write access to `socialSupport`; the record must be in the
 * caller's update scope.
 */
export function recordSocialSupportOrThrow(op: Operation, id: string, input: RecordSocialSupportInput): Promise<string> {
  return writeSectionOrThrow(op, {
    returneeId: id,
    entityType: 'SocialSupportMeasure',
    attempt: 'CREATE',
    fields: ['socialSupport'],
    doing: 'record social support',
    validate: () => {
      guardianshipOrThrow(input);
      notInFutureOrThrow({ startedOn: input.startedOn, endedOn: input.endedOn });
      periodOrThrow(['startedOn', input.startedOn], ['endedOn', input.endedOn]);
    },
    notBeforeBirth: { startedOn: input.startedOn },
    // One statement (section-write-sql.ts): the measure and its CREATE event.
    statement: (returneeId) => {
      const measure = new SocialSupportMeasure({
        returnee: Reference.createFromPK(Returnee, returneeId),
        agency: Reference.createFromPK(Agency, op.actor.agencyId),
        recordedBy: Reference.createFromPK(StaffMember, op.actor.staffId),
        kind: input.kind,
        description: input.description,
        startedOn: input.startedOn,
      });
      for (const f of OPTIONAL_FIELDS) measure[f] = input[f] ?? null;
      return { row: measure, rowFields: ['kind', 'description', 'startedOn', ...OPTIONAL_FIELDS.filter((f) => measure[f] !== null)] };
    },
  });
}

/**
 * Ends a measure that is still running: sets `endedOn` once (null -> a date), so no recorded
 * value is overwritten and the history loses nothing. A measure already ended is CONFLICT;
 * a measure whose returnee is outside the caller's update scope is NOT_FOUND.
 */
export async function endSocialSupportOrThrow(op: Operation, id: string, endedOn: string): Promise<string> {
  const measureId = uuidOrThrow(id, 'measureId');
  await sectionWritableOrThrow(op, {
    entityType: 'SocialSupportMeasure',
    entityId: measureId,
    fields: ['socialSupport'],
    doing: 'end social support',
  });
  notInFutureOrThrow({ endedOn });
  // One statement (end-measure-sql.ts): scope, the end once, its event.
  const r = await runEndMeasureStatement(op, measureId, endedOn);
  if (!r.found) return op.notFoundOrThrow('UPDATE', 'SocialSupportMeasure', measureId);
  periodOrThrow(['startedOn', r.startedOn!], ['endedOn', endedOn]);
  // The condition on endedOn makes a concurrent second end lose cleanly instead of overwriting.
  if (!r.ended)
    throw conflict(`This measure already ended on ${r.endedOn ?? 'another date'}; nothing was changed.`, { fields: ['endedOn'] });
  return r.returneeId!;
}

/** A guardianship decision names who decided and who was appointed; other measures name neither. */
function guardianshipOrThrow(input: RecordSocialSupportInput): void {
  if (input.kind === 'GUARDIANSHIP_DECISION') {
    const missing = GUARDIANSHIP_FIELDS.filter((f) => !input[f]);
    if (missing.length > 0) throw badInput(`A GUARDIANSHIP_DECISION needs ${missing.join(' and ')}`, { fields: missing });
    return;
  }
  const misplaced = GUARDIANSHIP_FIELDS.filter((f) => input[f] !== undefined && input[f] !== null);
  if (misplaced.length > 0) {
    throw badInput(`${misplaced.join(' and ')} belong to GUARDIANSHIP_DECISION measures only, not ${input.kind}`, { fields: misplaced });
  }
}
