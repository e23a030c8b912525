import type { Operation } from '../access/operation';
import { returneeScope } from '../access/scope';
import { Agency } from '../agency/agency.entity';
import { badInput } from '../errors';
import { Returnee } from '../returnee/returnee.entity';
import { uuidOrThrow } from '../returnee/returnee-read.service';
import { isMinorOn } from '../returnee/returnee.view';
import { StaffMember } from '../staff/staff.entity';
import { Consent } from './consent.entity';
import type { RecordConsentInput, RevokeConsentInput } from './consent.types';

const DENIED = 'Only caseworkers and supervisors of an agency working on this record may record or revoke its consent';

/** Loads the record in the caller's consent scope, or records the attempt and answers NOT_FOUND. */
async function returneeForConsentOrThrow(op: Operation, returneeId: string, action: 'CREATE' | 'UPDATE'): Promise<Returnee> {
  await op.authorizeOrThrow('manageConsent', 'Returnee', { entityType: 'Consent', returneeId, message: DENIED });
  const scope = returneeScope(op.ability, 'manageConsent');
  const row = scope ? await op.em.findOne(Returnee, { $and: [{ id: returneeId }, scope] }, { fields: ['id', 'dateOfBirth', 'guardianReturneeId'] }) : null;
  return (row as Returnee | null) ?? op.notFoundOrThrow(action, 'Consent', returneeId, returneeId);
}

/** Who may consent: the person, or for a minor the guardian, identified. */
function giverOrThrow(returnee: Returnee, input: RecordConsentInput): void {
  const minor = isMinorOn(returnee.dateOfBirth);
  if (minor && input.givenBy !== 'GUARDIAN') {
    throw badInput('The returnee is a minor: consent must be given by the guardian (givenBy: GUARDIAN)', { fields: ['givenBy'] });
  }
  if (input.givenBy === 'GUARDIAN' && !input.guardianReturneeId && !input.guardianName) {
    throw badInput('Name the guardian who consents: guardianReturneeId or guardianName', { fields: ['guardianReturneeId', 'guardianName'] });
  }
  if (input.guardianReturneeId && returnee.guardianReturneeId && input.guardianReturneeId.toLowerCase() !== returnee.guardianReturneeId) {
    throw badInput('guardianReturneeId is not the guardian recorded for this returnee', { fields: ['guardianReturneeId'] });
  }
}

function datesOrThrow(returnee: Returnee, validFrom: string, validUntil?: string): void {
  if (validUntil && validUntil < validFrom) throw badInput('validUntil cannot be before validFrom', { fields: ['validUntil'] });
  if (validFrom < returnee.dateOfBirth) throw badInput('validFrom cannot be before the date of birth', { fields: ['validFrom'] });
}

/**
 * Records a consent. From the next request on, the sectors it names read the sections it
 * names on this record (the CASL rules carry the consent condition; see access/ability.ts).
 */
export async function recordConsentOrThrow(op: Operation, input: RecordConsentInput): Promise<Consent> {
  const returneeId = uuidOrThrow(input.returneeId, 'returneeId');
  const returnee = await returneeForConsentOrThrow(op, returneeId, 'CREATE');
  giverOrThrow(returnee, input);
  const validFrom = input.validFrom ?? new Date().toISOString().slice(0, 10);
  datesOrThrow(returnee, validFrom, input.validUntil);
  return op.em.transactional(async (tx) => {
    const consent = new Consent({
      returnee: tx.getReference(Returnee, returnee.id, { wrapped: true }),
      givenBy: input.givenBy,
      sectors: [...new Set(input.sectors)],
      sections: [...new Set(input.sections)],
      purpose: input.purpose.trim(),
      validFrom,
      agency: tx.getReference(Agency, op.actor.agencyId, { wrapped: true }),
      recordedBy: tx.getReference(StaffMember, op.actor.staffId, { wrapped: true }),
    });
    Object.assign(consent, { validUntil: input.validUntil, guardianReturneeId: input.guardianReturneeId?.toLowerCase(), guardianName: input.guardianName });
    tx.persist(consent);
    await tx.flush();
    await op.recordInTransaction(tx, [{
      action: 'CREATE', entityType: 'Consent', entityId: consent.id, returneeId: returnee.id, outcome: 'SUCCESS',
      fields: Object.keys(input).filter((k) => k !== 'returneeId' && (input as unknown as Record<string, unknown>)[k] !== undefined),
    }]);
    await tx.populate(consent, ['agency']);
    return consent;
  });
}

/** The consents of a record, for those who may manage them (agencies working on the case). */
export async function listConsentsOrThrow(op: Operation, id: string): Promise<Consent[]> {
  const returneeId = uuidOrThrow(id, 'returneeId');
  await op.authorizeOrThrow('manageConsent', 'Returnee', { entityType: 'Consent', returneeId, message: DENIED });
  const scope = returneeScope(op.ability, 'manageConsent');
  const inScope = scope ? await op.em.count(Returnee, { $and: [{ id: returneeId }, scope] }) : 0;
  if (inScope === 0) return op.notFoundOrThrow('READ', 'Consent', returneeId, returneeId);
  const rows = await op.em.find(Consent, { returnee: returneeId }, { populate: ['agency'], orderBy: { recordedAt: 'desc' } });
  await op.recordDurably(rows.map((c) => ({
    action: 'READ' as const, entityType: 'Consent', entityId: c.id, returneeId, outcome: 'SUCCESS' as const,
    fields: ['givenBy', 'sectors', 'sections', 'purpose', 'validFrom', 'validUntil', 'revokedAt'],
  })));
  return rows;
}

/** Revocation applies from the next request: reads check consent in SQL every time. */
export async function revokeConsentOrThrow(op: Operation, input: RevokeConsentInput): Promise<Consent> {
  const id = uuidOrThrow(input.id);
  const existing = await op.em.findOne(Consent, { id }, { fields: ['id', 'returnee'] });
  // A consent of a record outside the caller's scope reads as missing, like the record.
  const returnee = await returneeForConsentOrThrow(op, existing?.returnee.id ?? id, 'UPDATE');
  return op.em.transactional(async (tx) => {
    // A returnee's id sent as the consent's: no such consent (not an internal error).
    const consent = (await tx.findOne(Consent, { id, returnee: returnee.id }, { populate: ['agency'] })) ?? (await op.notFoundOrThrow('UPDATE', 'Consent', id, returnee.id));
    if (consent.revokedAt) throw badInput('This consent is already revoked', { fields: ['id'] });
    consent.revokedAt = new Date();
    consent.revokedBy = tx.getReference(StaffMember, op.actor.staffId, { wrapped: true });
    consent.revocationReason = input.reason.trim();
    await tx.flush();
    await op.recordInTransaction(tx, [{ action: 'UPDATE', entityType: 'Consent', entityId: consent.id, returneeId: returnee.id, fields: ['revokedAt', 'revocationReason'], outcome: 'SUCCESS' }]);
    return consent;
  });
}
