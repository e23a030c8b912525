import type { Operation } from '../access/operation';
import { badInput } from '../errors';
import { Returnee } from '../returnee/returnee.entity';
import { uuidOrThrow } from '../returnee/returnee-read.service';
import {
  notBeforeBirthOrThrow, notInFutureOrThrow, periodOrThrow, recordedBy, returneeInUpdateScopeOrThrow, sectionWritableOrThrow,
} from '../returnee/section-write';
import { SocialSupportMeasure } from './social-support-measure.entity';
import type { RecordSocialSupportInput } from './social-support.types';

const GUARDIANSHIP_FIELDS = ['decidingAuthority', 'guardianName'] as const;
const OPTIONAL_FIELDS = ['endedOn', 'provider', ...GUARDIANSHIP_FIELDS] as const;

/**
 * Records a social-protection measure (SOCIAL_SUPPORT): one new row and its CREATE event in
 * one transaction. Requires write access to `socialSupport`; the record must be in the
 * caller's update scope.
 */
export async function recordSocialSupportOrThrow(op: Operation, id: string, input: RecordSocialSupportInput): Promise<string> {
  const returneeId = uuidOrThrow(id, 'returneeId');
  await sectionWritableOrThrow(op, { entityType: 'SocialSupportMeasure', returneeId, fields: ['socialSupport'], doing: 'record social support' });
  guardianshipOrThrow(input);
  notInFutureOrThrow({ startedOn: input.startedOn, endedOn: input.endedOn });
  periodOrThrow(['startedOn', input.startedOn], ['endedOn', input.endedOn]);
  const row = await returneeInUpdateScopeOrThrow(op, returneeId, { action: 'CREATE', entityType: 'SocialSupportMeasure' });
  notBeforeBirthOrThrow({ startedOn: input.startedOn }, row.dateOfBirth);

  return op.em.transactional(async (tx) => {
    const measure = new SocialSupportMeasure({
      returnee: tx.getReference(Returnee, row.id, { wrapped: true }), ...recordedBy(tx, op),
      kind: input.kind, description: input.description, startedOn: input.startedOn,
    });
    for (const f of OPTIONAL_FIELDS) measure[f] = input[f] ?? null;
    await tx.persist(measure).flush();
    const fields = ['kind', 'description', 'startedOn', ...OPTIONAL_FIELDS.filter((f) => measure[f] !== null)];
    await op.recordInTransaction(tx, [
      { action: 'CREATE', entityType: 'SocialSupportMeasure', entityId: measure.id, returneeId: row.id, fields, outcome: 'SUCCESS' },
    ]);
    return row.id;
  });
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
