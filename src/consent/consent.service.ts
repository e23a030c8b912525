import { POLICIES } from '../../policies';
import { today } from '../common/calendar';
import type { Operation } from '../request/operation';
import { returneeScope } from '../access/scope';
import { Agency } from '../agency/agency.entity';
import { badInput, forbidden } from '../errors';
import { Returnee } from '../returnee/returnee.entity';
import { readableFieldsOrThrow } from '../returnee/returnee-read.service';
import { StaffMember } from '../staff/staff.entity';
import { giverOrThrow } from './consent-giver';
import { Consent } from './consent.entity';
import type { RecordConsentInput, RevokeConsentInput } from './consent.types';
import { uuidOrThrow } from '../common/ids';
import { lockAccessTree } from '../case-access/case-access-chain';
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { idsInScope, lockForShare } from '../access/scope-check';
import { enqueueWebhookEvents } from '../webhooks/webhook-outbox';

/** Which sectors' staff record consent, from the policies (their consentRoles), for the refusal's message. */
const RECORDING_SECTORS = Object.values(POLICIES)
  .filter((p) => p.consentRoles.length > 0)
  .map((p) => p.sector);

function denied(op: Operation): string {
  return (
    `Your sector (${op.actor.sector}) and roles (${op.actor.roles.join(', ')}) may not record or revoke consent: ` +
    `ask a ${RECORDING_SECTORS.join(' or ')} caseworker working on the case`
  );
}

/** Loads the record in the caller's consent scope, or records the attempt and answers NOT_FOUND. */
async function returneeForConsentOrThrow(op: Operation, returneeId: string): Promise<Returnee> {
  await op.authorizeOrThrow('manageConsent', 'Returnee', { entityType: 'Consent', returneeId, message: denied(op) });
  const scope = returneeScope(op.ability, 'manageConsent');
  const row = scope
    ? await op.em.findOne(
        Returnee,
        { $and: [{ id: returneeId }, scope] },
        { fields: ['id', 'dateOfBirth', 'guardianReturneeId', 'guardianName'] },
      )
    : null;
  return (row as Returnee | null) ?? op.notFoundOrThrow('CREATE', 'Consent', returneeId, returneeId);
}

/**
 * Asked again in the consent's transaction, just before its write: the record locked against a
 * merge (FOR SHARE; a merge locks both records FOR UPDATE) and its case-access tree locked (every
 * change of an access takes that lock, case-access-chain.ts), then the caller's consent scope. An
 * access that ended, or a merge committed, since the first look makes the write NOT_FOUND, as it
 * would be a moment later; one that comes after waits for this write.
 */
async function stillInConsentScope(op: Operation, tx: EntityManager, returneeId: string): Promise<boolean> {
  const db = tx.getTransactionContext<Knex.Transaction>()!;
  await lockForShare(db, [returneeId]);
  await lockAccessTree(tx, returneeId);
  return (await idsInScope(db, op.ability, 'manageConsent', [returneeId])).has(returneeId);
}

/**
 * The person's identity fields the checks of a consent look at: who may give it depends on the
 * person's age today, and its dates on their date of birth. A recorder must be able to read them
 * on this record, or the refusals (adult or minor, before or after the birth) would tell them a
 * value their policy hides: checked first, so every later answer depends only on what they read.
 */
export const CONSENT_IDENTITY_FIELDS = ['dateOfBirth', 'isMinor'] as const;

async function identityVisibleOrThrow(op: Operation, returneeId: string, readable: ReadonlySet<string>): Promise<void> {
  const hidden = CONSENT_IDENTITY_FIELDS.filter((f) => !readable.has(f));
  if (hidden.length === 0) return;
  await op.denyOrThrow(
    { entityType: 'Consent', returneeId, fields: hidden },
    forbidden(
      "Who may give a consent depends on the person's age, and your agency may not read this person's identity section on this record: " +
        'it cannot record their consent. Ask the agency that registered the record, or one that reads their identity, to record it',
      { reason: 'IDENTITY_NOT_VISIBLE', fields: hidden },
    ),
  );
}

function datesOrThrow(returnee: Returnee, validFrom: string, validUntil?: string): void {
  if (validUntil && validUntil < validFrom) throw badInput('validUntil cannot be before validFrom', { fields: ['validUntil'] });
  if (validFrom < returnee.dateOfBirth) throw badInput('validFrom cannot be before the date of birth', { fields: ['validFrom'] });
}

/**
 * Records a consent; returns its id. From the next request on, the sectors it names read the
 * sections it names on this record while it is active (src/access/active-consent.ts). Only
 * the person (an adult) or the guardian on record (a minor) may give it (consent-giver.ts), and
 * only a recorder who reads the person's identity records it (identityVisibleOrThrow).
 */
export async function recordConsentOrThrow(op: Operation, input: RecordConsentInput): Promise<string> {
  const returneeId = uuidOrThrow(input.returneeId, 'returneeId');
  const returnee = await returneeForConsentOrThrow(op, returneeId);
  // What the caller may read on this record, once: every refusal below depends only on it.
  const readable = await readableFieldsOrThrow(op, returnee.id, 'Consent');
  await identityVisibleOrThrow(op, returnee.id, readable);
  await giverOrThrow(op, returnee, input, readable);
  const validFrom = input.validFrom ?? today();
  datesOrThrow(returnee, validFrom, input.validUntil);
  const recorded = await op.em.transactional(async (tx) => {
    if (!(await stillInConsentScope(op, tx, returnee.id))) return null;
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
    Object.assign(consent, {
      validUntil: input.validUntil,
      guardianReturneeId: input.guardianReturneeId?.toLowerCase(),
      guardianName: input.guardianName?.trim(),
    });
    tx.persist(consent);
    await tx.flush();
    await op.recordInTransaction(tx, [
      {
        action: 'CREATE',
        entityType: 'Consent',
        entityId: consent.id,
        returneeId: returnee.id,
        outcome: 'SUCCESS',
        fields: Object.keys(input).filter((k) => k !== 'returneeId' && (input as unknown as Record<string, unknown>)[k] !== undefined),
      },
    ]);
    await enqueueWebhookEvents(tx, [{ type: 'CONSENT_RECORDED', returneeId: returnee.id, subjectId: consent.id }]);
    return consent.id;
  });
  return recorded ?? op.notFoundOrThrow('CREATE', 'Consent', returneeId, returneeId);
}

/**
 * Revocation applies from the next request: reads check consent in SQL every time. A consent
 * of a record outside the caller's consent scope answers exactly as a missing one.
 */
export async function revokeConsentOrThrow(op: Operation, input: RevokeConsentInput): Promise<string> {
  const id = uuidOrThrow(input.id);
  await op.authorizeOrThrow('manageConsent', 'Returnee', { entityType: 'Consent', entityId: id, message: denied(op) });
  const scope = returneeScope(op.ability, 'manageConsent');
  const existing = await op.em.findOne(Consent, { id }, { fields: ['id', 'returnee'] });
  const returneeId = existing?.returnee.id;
  const inScope = returneeId !== undefined && scope !== null && (await op.em.count(Returnee, { $and: [{ id: returneeId }, scope] })) > 0;
  if (!inScope) return op.notFoundOrThrow('UPDATE', 'Consent', id);
  const revoked = await op.em.transactional(async (tx) => {
    if (!(await stillInConsentScope(op, tx, returneeId))) return null;
    // Conditional on "not yet revoked": a second revocation racing this one changes nothing.
    const changed = await tx.nativeUpdate(
      Consent,
      { id, revokedAt: null },
      {
        revokedAt: new Date(),
        revokedBy: tx.getReference(StaffMember, op.actor.staffId, { wrapped: true }),
        revocationReason: input.reason.trim(),
      },
    );
    if (changed === 0) throw badInput('This consent is already revoked', { fields: ['id'] });
    await op.recordInTransaction(tx, [
      { action: 'UPDATE', entityType: 'Consent', entityId: id, returneeId, fields: ['revokedAt', 'revocationReason'], outcome: 'SUCCESS' },
    ]);
    await enqueueWebhookEvents(tx, [{ type: 'CONSENT_REVOKED', returneeId, subjectId: id }]);
    return id;
  });
  return revoked ?? op.notFoundOrThrow('UPDATE', 'Consent', id);
}
