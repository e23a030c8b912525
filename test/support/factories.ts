import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { requiredGiver } from '../../src/access/active-consent';
import { today } from '../../src/common/calendar';
import type { Role, Sector } from '../../src/access/policy';
import { Agency } from '../../src/agency/agency.entity';
import { SharingAgreement } from '../../src/agreement/agreement.entity';
import { Section } from '../../src/access/sections';
import { CaseAccess } from '../../src/case-access/case-access.entity';
import { Consent } from '../../src/consent/consent.entity';
import { HealthAssessment } from '../../src/health/health-assessment.entity';
import { Returnee } from '../../src/returnee/returnee.entity';
import { StaffMember } from '../../src/staff/staff.entity';
import { tokenFor } from './hub';
import { unrelatedFamilyName } from './family-names';

/**
 * Fixtures written straight through the ORM (setup, not behaviour under test). Every call
 * makes fresh rows with unique codes, so suites never depend on each other's data.
 */
const unique = () => randomUUID().slice(0, 8);

export interface StaffFixture {
  staff: StaffMember;
  agency: Agency;
  token: string;
}

export async function makeAgency(orm: MikroORM, sector: Sector, country = 'KZ'): Promise<Agency> {
  const em = orm.em.fork();
  const agency = new Agency(`t-${sector.toLowerCase()}-${unique()}`, `Test ${sector} agency`, sector, country);
  await em.persist(agency).flush();
  return agency;
}

export async function makeStaff(orm: MikroORM, agency: Agency, roles: Role[]): Promise<StaffFixture> {
  const em = orm.em.fork();
  const staff = new StaffMember(`u-${unique()}`, 'Test user', em.getReference(Agency, agency.id, { wrapped: true }), roles);
  await em.persist(staff).flush();
  return { staff, agency, token: await tokenFor(staff.username) };
}

/** An agency of `sector` with one staff member of `roles`. */
export async function makeSectorUser(orm: MikroORM, sector: Sector, roles: Role[] = ['CASEWORKER'], country = 'KZ'): Promise<StaffFixture> {
  return makeStaff(orm, await makeAgency(orm, sector, country), roles);
}

export async function makeReturnee(orm: MikroORM, registeringAgency: Agency, overrides: Partial<Returnee> = {}): Promise<Returnee> {
  const em = orm.em.fork();
  const r = new Returnee({
    registeringAgency: em.getReference(Agency, registeringAgency.id, { wrapped: true }),
    country: registeringAgency.country,
    caseNumber: `T-${unique()}-${unique()}`,
    givenName: 'Aigerim',
    // A family name of its own: every fixture the same person made the shared database one crowd
    // of thousands of look-alikes, whose review pairs (N x N) the hubs of every suite computed.
    familyName: unrelatedFamilyName(),
    sex: 'FEMALE',
    dateOfBirth: '1994-03-12',
  });
  Object.assign(r, {
    otherNames: ['Айгерим', 'Aygerim'],
    placeOfBirth: 'Aqtobe',
    citizenship: registeringAgency.country,
    returnedOn: '2019-05-30',
    returnedFrom: 'SY',
    region: 'Aqtobe',
    district: 'Alga',
    address: '12 Abay street',
    phone: '+7 701 555 0101',
    followUpNeeded: true,
    fitForSchool: false,
    accommodationsNeeded: 'Ground-floor classroom',
    ...overrides,
  });
  await em.persist(r).flush();
  return r;
}

export async function grantAccess(orm: MikroORM, returnee: Returnee, agency: Agency, crossBorder = false): Promise<CaseAccess> {
  const em = orm.em.fork();
  const access = new CaseAccess(
    em.getReference(Returnee, returnee.id, { wrapped: true }),
    em.getReference(Agency, agency.id, { wrapped: true }),
    'REFERRAL',
    'test referral',
  );
  access.crossBorder = crossBorder;
  await em.persist(access).flush();
  return access;
}

export async function addAssessment(
  orm: MikroORM,
  returnee: Returnee,
  by: StaffFixture,
  values: { findings?: string; mentalHealthNotes?: string } = {},
): Promise<HealthAssessment> {
  const em = orm.em.fork();
  const a = new HealthAssessment(
    em.getReference(Returnee, returnee.id, { wrapped: true }),
    em.getReference(Agency, by.agency.id, { wrapped: true }),
    em.getReference(StaffMember, by.staff.id, { wrapped: true }),
    '2024-02-01',
    values.findings ?? 'Mild anaemia',
  );
  a.conditions = ['anaemia'];
  a.mentalHealthNotes = values.mentalHealthNotes ?? 'Sleeps poorly; nightmares';
  await em.persist(a).flush();
  return a;
}

/**
 * An active consent of the returnee covering `sectors` x `sections` (all sections by default),
 * given by whom the person's status today requires: themselves (an adult) or, for a minor, the
 * guardian on record (their guardianName, or a named relative when none is set).
 */
export async function giveConsent(
  orm: MikroORM,
  returnee: Returnee,
  by: StaffFixture,
  sectors: Sector[] = ['HEALTH', 'EDUCATION', 'SOCIAL', 'NGO'],
  sections: string[] = Object.values(Section).filter((s) => s !== Section.REFERENCE),
): Promise<Consent> {
  const em = orm.em.fork();
  const consent = new Consent({
    returnee: em.getReference(Returnee, returnee.id, { wrapped: true }),
    givenBy: requiredGiver(returnee.dateOfBirth, today()),
    sectors,
    sections,
    purpose: 'Reintegration support (test)',
    validFrom: '2020-01-01',
    agency: em.getReference(Agency, by.agency.id, { wrapped: true }),
    recordedBy: em.getReference(StaffMember, by.staff.id, { wrapped: true }),
  });
  if (consent.givenBy === 'GUARDIAN') {
    Object.assign(
      consent,
      returnee.guardianReturneeId
        ? { guardianReturneeId: returnee.guardianReturneeId }
        : { guardianName: returnee.guardianName ?? 'Saule Nurlanova' },
    );
  }
  await em.persist(consent).flush();
  return consent;
}

/**
 * A data-sharing agreement of `holder` (the records it registered) with `recipient`'s agency,
 * covering `sections` (all by default), in force from 2020 until `validUntil` (open-ended by default).
 */
export async function makeAgreement(
  orm: MikroORM,
  holder: Agency,
  recipient: StaffFixture,
  opts: { sections?: string[]; validUntil?: string; validFrom?: string } = {},
): Promise<SharingAgreement> {
  const em = orm.em.fork();
  const agreement = new SharingAgreement({
    holder: em.getReference(Agency, holder.id, { wrapped: true }),
    recipientAgency: em.getReference(Agency, recipient.agency.id, { wrapped: true }),
    purposes: ['Reintegration support (test)'],
    sections: opts.sections ?? Object.values(Section).filter((s) => s !== Section.REFERENCE),
    validFrom: opts.validFrom ?? '2020-01-01',
    validUntil: opts.validUntil,
    documentRef: `MoU-${unique()}`,
    signatories: [],
    recordedBy: em.getReference(StaffMember, recipient.staff.id, { wrapped: true }),
  });
  await em.persist(agreement).flush();
  return agreement;
}
