import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Operation } from '../request/operation';
import { Agency } from '../agency/agency.entity';
import { agencyView } from '../agency/agency.view';
import { today } from '../common/calendar';
import { badInput, conflict, forbidden } from '../errors';
import { managedCountries, manageFilter, readFilter } from './agreement-scope';
import { uuidOrThrow } from '../common/ids';
import { StaffMember } from '../staff/staff.entity';
import { SharingAgreement, SharingAgreementVersion, type Signatory } from './agreement.entity';
import type {
  AgreementTermsInput,
  CreateSharingAgreementInput,
  SharingAgreementType,
  SuspendSharingAgreementInput,
} from './agreement.types';

/**
 * Data-sharing agreements: recorded, amended and suspended by an administrator or an auditor
 * (`manage SharingAgreement`, from the policies' adminRoles and auditRoles) on behalf of the
 * supervisors who signed; read by those and by the staff of the agencies they name. Every
 * change is a version kept for ever (sharing_agreement_version) and an audit event in the same
 * transaction; the read rules see a change on the next request (access/active-agreement.ts).
 */
const MANAGE_DENIED = 'Only administrators and auditors record data-sharing agreements (signed by supervisors of each side)';
const FIELDS = ['holder', 'recipient', 'purposes', 'sections', 'validFrom', 'validUntil', 'documentRef', 'signatories'];

function datesOrThrow(terms: AgreementTermsInput): void {
  if (terms.validUntil && terms.validUntil < terms.validFrom)
    throw badInput('validUntil cannot be before validFrom', { fields: ['validUntil'] });
}

/** Each signatory an active supervisor of one side; every side signed. */
async function signatoriesOrThrow(em: EntityManager, a: SharingAgreement, input: AgreementTermsInput): Promise<Signatory[]> {
  const ids = [...new Set(input.signatories.map((s) => s.staffId.toLowerCase()))];
  const staff = await em.find(StaffMember, { id: { $in: ids } }, { populate: ['agency'] });
  const holderId = a.holder.id;
  const recipientSide = (s: StaffMember) =>
    a.recipientAgency
      ? s.agency.id === a.recipientAgency.id
      : s.agency.getEntity().sector === a.recipientSector && s.agency.getEntity().country === a.recipientCountry;
  const out: Signatory[] = [];
  for (const given of input.signatories) {
    const s = staff.find((x) => x.id === given.staffId.toLowerCase());
    if (!s || !s.active || !s.roles.includes('SUPERVISOR') || !(s.agency.id === holderId || recipientSide(s))) {
      throw badInput('Each signatory must be an active supervisor of the holder or of the recipient', { fields: ['signatories'] });
    }
    out.push({ staffId: s.id, agencyId: s.agency.id, signedOn: given.signedOn });
  }
  const sides = new Set(out.map((o) => (o.agencyId === holderId ? 'holder' : 'recipient')));
  if (sides.size < 2) throw badInput('A supervisor of each side must sign', { fields: ['signatories'] });
  return out;
}

function applyTerms(a: SharingAgreement, terms: AgreementTermsInput, signatories: Signatory[]): void {
  a.purposes = terms.purposes.map((p) => p.trim());
  a.sections = [...new Set(terms.sections)];
  a.validFrom = terms.validFrom;
  a.validUntil = terms.validUntil;
  a.documentRef = terms.documentRef.trim();
  a.signatories = signatories;
  a.updatedAt = new Date();
}

const termsOf = (a: SharingAgreement) => ({
  purposes: a.purposes,
  sections: a.sections,
  validFrom: a.validFrom,
  validUntil: a.validUntil ?? null,
  documentRef: a.documentRef,
  signatories: a.signatories,
});

export async function createAgreementOrThrow(op: Operation, input: CreateSharingAgreementInput): Promise<string> {
  await op.authorizeOrThrow('manage', 'SharingAgreement', { message: MANAGE_DENIED });
  datesOrThrow(input);
  const byAgency = !!input.recipientAgencyId;
  const bySector = !!input.recipientSector && !!input.recipientCountry;
  if (byAgency === bySector) {
    throw badInput('Name the recipient either as recipientAgencyId, or as recipientSector with recipientCountry', {
      fields: ['recipientAgencyId', 'recipientSector', 'recipientCountry'],
    });
  }
  const holder = await op.em.findOne(Agency, { id: uuidOrThrow(input.holderAgencyId, 'holderAgencyId') });
  if (!holder) throw badInput('No such holder agency', { fields: ['holderAgencyId'] });
  const countries = managedCountries(op.ability);
  if (countries !== 'all' && !countries?.includes(holder.country)) {
    await op.denyOrThrow(
      { entityType: 'SharingAgreement', fields: ['holder'] },
      forbidden(
        `Auditors record the agreements of holders of their own country (${op.actor.country}); this holder is of ${holder.country}`,
        {
          fields: ['holderAgencyId'],
        },
      ),
    );
  }
  const recipient = byAgency ? await op.em.findOne(Agency, { id: uuidOrThrow(input.recipientAgencyId!, 'recipientAgencyId') }) : null;
  if (byAgency && !recipient) throw badInput('No such recipient agency', { fields: ['recipientAgencyId'] });
  if (recipient?.id === holder.id) throw badInput('An agency does not need an agreement with itself', { fields: ['recipientAgencyId'] });
  const em = op.em;
  const a = new SharingAgreement({
    holder: em.getReference(Agency, holder.id, { wrapped: true }),
    recipientAgency: recipient ? em.getReference(Agency, recipient.id, { wrapped: true }) : undefined,
    recipientSector: byAgency ? undefined : input.recipientSector,
    recipientCountry: byAgency ? undefined : input.recipientCountry!.toUpperCase(),
    purposes: [],
    sections: [],
    validFrom: input.validFrom,
    documentRef: '',
    signatories: [],
    recordedBy: em.getReference(StaffMember, op.actor.staffId, { wrapped: true }),
  });
  applyTerms(a, input, await signatoriesOrThrow(em, a, input));
  return em.transactional(async (tx) => {
    tx.persist(a);
    tx.persist(new SharingAgreementVersion(a.id, 1, termsOf(a), op.actor.staffId));
    await tx.flush();
    await op.recordInTransaction(tx, [
      { action: 'CREATE', entityType: 'SharingAgreement', entityId: a.id, fields: FIELDS, outcome: 'SUCCESS' },
    ]);
    return a.id;
  });
}

/**
 * An agreement the caller manages: one it may not even read is NOT_FOUND (as a missing id); one
 * it reads but does not manage (an auditor of the recipient's country) is FORBIDDEN, with a DENY.
 */
async function agreementOrThrow(op: Operation, id: string, action: 'UPDATE'): Promise<SharingAgreement> {
  const agreementId = uuidOrThrow(id);
  const countries = managedCountries(op.ability) ?? [];
  const readable = readFilter(countries);
  const found = await op.em.findOne(SharingAgreement, readable ? { $and: [{ id: agreementId }, readable] } : { id: agreementId });
  if (!found) return op.notFoundOrThrow(action, 'SharingAgreement', agreementId);
  const managed = manageFilter(countries);
  if (managed && !(await op.em.count(SharingAgreement, { $and: [{ id: agreementId }, managed] }))) {
    return op.denyOrThrow(
      { entityType: 'SharingAgreement', entityId: agreementId },
      forbidden(`Auditors manage the agreements of holders of their own country (${op.actor.country})`),
    );
  }
  return found;
}

/** A new version of the terms; the previous ones are kept. A stale `expectedVersion` is a CONFLICT. */
export async function amendAgreementOrThrow(
  op: Operation,
  id: string,
  expectedVersion: number,
  terms: AgreementTermsInput,
): Promise<string> {
  await op.authorizeOrThrow('manage', 'SharingAgreement', { entityId: id, message: MANAGE_DENIED });
  datesOrThrow(terms);
  const a = await agreementOrThrow(op, id, 'UPDATE');
  if (a.version !== expectedVersion)
    throw conflict(`The agreement is at version ${a.version}, not ${expectedVersion}: reload it and amend again`);
  const signatories = await signatoriesOrThrow(op.em, a, terms);
  return op.em.transactional(async (tx) => {
    const next = a.version + 1;
    applyTerms(a, terms, signatories);
    const updated = await tx.nativeUpdate(
      SharingAgreement,
      { id: a.id, version: expectedVersion },
      { ...termsOf(a), version: next, updatedAt: a.updatedAt },
    );
    if (updated === 0) throw conflict('The agreement changed meanwhile: reload it and amend again');
    tx.persist(new SharingAgreementVersion(a.id, next, termsOf(a), op.actor.staffId));
    await tx.flush();
    await op.recordInTransaction(tx, [
      { action: 'UPDATE', entityType: 'SharingAgreement', entityId: a.id, fields: FIELDS, outcome: 'SUCCESS' },
    ]);
    return a.id;
  });
}

/** Suspends sharing under the agreement from the next request on. */
export async function suspendAgreementOrThrow(op: Operation, input: SuspendSharingAgreementInput): Promise<string> {
  await op.authorizeOrThrow('manage', 'SharingAgreement', { entityId: input.id, message: MANAGE_DENIED });
  const a = await agreementOrThrow(op, input.id, 'UPDATE');
  if (a.suspendedAt) throw conflict('This agreement is already suspended; nothing was changed');
  return op.em.transactional(async (tx) => {
    const n = await tx.nativeUpdate(
      SharingAgreement,
      { id: a.id, suspendedAt: null },
      { suspendedAt: new Date(), suspensionReason: input.reason.trim() },
    );
    if (n === 0) throw conflict('This agreement is already suspended; nothing was changed');
    await op.recordInTransaction(tx, [
      { action: 'UPDATE', entityType: 'SharingAgreement', entityId: a.id, fields: ['suspendedAt', 'suspensionReason'], outcome: 'SUCCESS' },
    ]);
    return a.id;
  });
}

/**
 * Agreements the caller may see: all for administrators, those of its country for auditors
 * (agreement-scope.ts), else those naming the caller's agency (or sector in its country).
 */
export async function listAgreementsOrThrow(
  op: Operation,
  filter: { id?: string; holderAgencyId?: string },
): Promise<SharingAgreementType[]> {
  const where: FilterQuery<SharingAgreement>[] = [];
  const countries = managedCountries(op.ability);
  if (countries) {
    const readable = readFilter(countries);
    if (readable) where.push(readable);
  } else {
    const me = op.actor;
    where.push({
      $or: [{ holder: me.agencyId }, { recipientAgency: me.agencyId }, { recipientSector: me.sector, recipientCountry: me.country }],
    });
  }
  // '' too: an id that is not a UUID is refused, never read as "no filter"
  if (filter.id !== undefined) where.push({ id: uuidOrThrow(filter.id) });
  if (filter.holderAgencyId !== undefined && filter.holderAgencyId !== null)
    where.push({ holder: uuidOrThrow(filter.holderAgencyId, 'holderAgencyId') });
  const rows = await op.em.find(
    SharingAgreement,
    { $and: where },
    { populate: ['holder', 'recipientAgency'], orderBy: { createdAt: 'desc' }, limit: 500 },
  );
  const versions = rows.length
    ? await op.em.find(SharingAgreementVersion, { agreementId: { $in: rows.map((r) => r.id) } }, { orderBy: { version: 'desc' } })
    : [];
  await op.recordDurably(
    rows.map((a) => ({
      action: 'READ' as const,
      entityType: 'SharingAgreement',
      entityId: a.id,
      fields: FIELDS,
      outcome: 'SUCCESS' as const,
    })),
  );
  const day = today();
  return rows.map((a) => ({
    id: a.id,
    version: a.version,
    holder: agencyView(a.holder.getEntity()),
    recipientAgency: a.recipientAgency ? agencyView(a.recipientAgency.getEntity()) : null,
    recipientSector: a.recipientSector ?? null,
    recipientCountry: a.recipientCountry ?? null,
    purposes: a.purposes,
    sections: a.sections as SharingAgreementType['sections'],
    validFrom: a.validFrom,
    validUntil: a.validUntil ?? null,
    documentRef: a.documentRef,
    signatories: a.signatories,
    active: !a.suspendedAt && a.validFrom <= day && (!a.validUntil || a.validUntil >= day),
    suspendedAt: a.suspendedAt ?? null,
    suspensionReason: a.suspensionReason ?? null,
    versions: versions
      .filter((v) => v.agreementId === a.id)
      .map((v) => ({
        version: v.version,
        recordedAt: v.recordedAt,
        ...(v.terms as Omit<SharingAgreementType['versions'][number], 'version' | 'recordedAt'>),
      })),
  }));
}

/** One agreement as the caller may see it (scoped and audited like the list), or NOT_FOUND: what every mutation answers with, replays included. */
export async function readAgreementOrThrow(op: Operation, id: string): Promise<SharingAgreementType> {
  const [found] = await listAgreementsOrThrow(op, { id });
  return found ?? op.notFoundOrThrow('READ', 'SharingAgreement', id);
}
