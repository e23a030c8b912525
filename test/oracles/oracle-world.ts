import type { MikroORM } from '@mikro-orm/postgresql';
import { POLICIES } from '../../policies';
import { SECTORS, type Role, type Sector } from '../../src/access/policy';
import { Agency } from '../../src/agency/agency.entity';
import { CaseAccess } from '../../src/case-access/case-access.entity';
import { Consent } from '../../src/consent/consent.entity';
import { Referral } from '../../src/referral/referral.entity';
import { Returnee } from '../../src/returnee/returnee.entity';
import { StaffMember } from '../../src/staff/staff.entity';
import { addAssessment, makeReturnee, makeSectorUser, type StaffFixture } from '../support/factories';
import { gql } from '../support/hub';
import { FULL_CONSENT, matrixRole } from '../support/matrix';
import { fillSections } from '../support/section-factories';

/**
 * The records the oracles read: every section filled, adult and minor, with and without
 * consent, each minor the ward of an adult (households), each record referred to and accepted
 * by every case sector (referrals, case access), changed by three sectors (history), and
 * consents given by a guardian (guardian fields), one of them revoked; and one record only
 * referred, not shared: pending at HEALTH and NGO, declined by EDUCATION (a referral naming a
 * record its addressee does not see). All of it in a country of its own, so that an auditor's
 * country-wide scope holds exactly these records.
 */
export const ORACLE_COUNTRY = 'MN';

export const RECORD_KINDS = {
  adultWithConsent: { dateOfBirth: '1990-05-01', consent: true },
  adultWithoutConsent: { dateOfBirth: '1988-11-20', consent: false },
  minorWithConsent: { dateOfBirth: '2015-02-14', consent: true },
  minorWithoutConsent: { dateOfBirth: '2017-09-09', consent: false },
} as const;
export type RecordKind = keyof typeof RECORD_KINDS;

/** Each minor is the ward of an adult record (its guardianReturneeId), named GUARDIAN_NAME. */
export const GUARDIAN_OF: Partial<Record<RecordKind, RecordKind>> = {
  minorWithConsent: 'adultWithConsent',
  minorWithoutConsent: 'adultWithoutConsent',
};
export const GUARDIAN_NAME = 'Oyun Bat';

export interface OracleWorld {
  country: string;
  users: Record<Sector, StaffFixture>;
  records: Record<RecordKind, string>;
  /** Referred to HEALTH and NGO (pending) and EDUCATION (declined), shared with no one. */
  referredOnly: string;
}

/** How the world's staff are made: one per sector, in `roles(sector)`. */
export interface WorldOptions {
  country?: string;
  roles?: (sector: Sector) => Role[];
}

/** The role each sector's cases run as (test/support/matrix.ts). */
const matrixRoles = (sector: Sector): Role[] => [matrixRole(POLICIES[sector])];

async function usersOf(orm: MikroORM, country: string, roles: (sector: Sector) => Role[]): Promise<Record<Sector, StaffFixture>> {
  const out = {} as Record<Sector, StaffFixture>;
  for (const sector of SECTORS) out[sector] = await makeSectorUser(orm, sector, roles(sector), country);
  return out;
}

function consent(
  em: ReturnType<MikroORM['em']['fork']>,
  returneeId: string,
  by: StaffFixture,
  guardian?: { id?: string; name: string },
): Consent {
  const c = new Consent({
    returnee: em.getReference(Returnee, returneeId, { wrapped: true }),
    givenBy: guardian ? 'GUARDIAN' : 'SELF',
    sectors: [...FULL_CONSENT.sectors],
    sections: [...FULL_CONSENT.sections],
    purpose: 'Reintegration support (oracle)',
    validFrom: '2020-01-01',
    agency: em.getReference(Agency, by.agency.id, { wrapped: true }),
    recordedBy: em.getReference(StaffMember, by.staff.id, { wrapped: true }),
  });
  Object.assign(c, { guardianReturneeId: guardian?.id, guardianName: guardian?.name });
  return c;
}

/**
 * Each case sector's agency holds the record through an accepted referral from the registering
 * agency; or, `only: true`, the referrals are made and not (yet) accepted: pending at HEALTH and
 * NGO, declined by EDUCATION, and no access follows.
 */
async function referToEveryCaseSector(orm: MikroORM, returneeId: string, users: Record<Sector, StaffFixture>, only = false): Promise<void> {
  const em = orm.em.fork();
  const registrar = users.SOCIAL;
  for (const sector of ['HEALTH', 'EDUCATION', 'NGO'] as const) {
    const referral = new Referral({
      returnee: em.getReference(Returnee, returneeId, { wrapped: true }),
      fromAgency: em.getReference(Agency, registrar.agency.id, { wrapped: true }),
      toAgency: em.getReference(Agency, users[sector].agency.id, { wrapped: true }),
      service: `${sector.toLowerCase()} follow-up`,
      reason: 'Oracle fixture referral',
      createdBy: em.getReference(StaffMember, registrar.staff.id, { wrapped: true }),
    });
    if (only) {
      if (sector === 'EDUCATION')
        Object.assign(referral, { status: 'DECLINED', decidedAt: new Date(), decisionNote: 'No school place this term' });
      em.persist(referral);
      continue;
    }
    Object.assign(referral, { status: 'ACCEPTED', decidedAt: new Date() });
    const access = new CaseAccess(
      em.getReference(Returnee, returneeId, { wrapped: true }),
      em.getReference(Agency, users[sector].agency.id, { wrapped: true }),
      'REFERRAL',
      'Referral: oracle',
    );
    Object.assign(access, { referralId: referral.id });
    em.persist([referral, access]);
  }
  await em.flush();
}

async function versionOf(orm: MikroORM, id: string): Promise<number> {
  return (await orm.em.fork().findOneOrFail(Returnee, { id }, { fields: ['version'] })).version;
}

/** History written by three sectors through the API: identity and contact, a health flag, a school. */
async function changeThroughApi(hub: { url: string }, orm: MikroORM, id: string, users: Record<Sector, StaffFixture>): Promise<void> {
  const UPDATE = `mutation($id: ID!, $v: Int!, $input: UpdateReturneeInput!) { updateReturnee(id: $id, expectedVersion: $v, input: $input) { returnee { version } } }`;
  const EDUCATION = `mutation($id: ID!, $v: Int!, $input: UpdateEducationInput!) { updateEducation(returneeId: $id, expectedVersion: $v, input: $input) { returnee { version } } }`;
  const steps: [StaffFixture, string, Record<string, unknown>][] = [
    [users.SOCIAL, UPDATE, { region: 'Ulaanbaatar', district: 'Bayangol' }],
    [users.HEALTH, UPDATE, { followUpNeeded: false }],
    [users.EDUCATION, EDUCATION, { school: 'School No. 3', grade: '3' }],
    [users.SOCIAL, UPDATE, { givenName: 'Saruul' }],
  ];
  for (const [user, query, input] of steps) {
    const res = await gql(hub, user.token, query, { id, v: await versionOf(orm, id), input });
    if (res.errors) throw new Error(`oracle fixture: ${JSON.stringify(res.errors)}`);
  }
}

export async function buildOracleWorld(hub: { url: string; db: { orm: MikroORM } }, options: WorldOptions = {}): Promise<OracleWorld> {
  const orm = hub.db.orm;
  const country = options.country ?? ORACLE_COUNTRY;
  const users = await usersOf(orm, country, options.roles ?? matrixRoles);
  const registrar = users.SOCIAL;
  const records = {} as Record<RecordKind, string>;
  for (const [kind, spec] of Object.entries(RECORD_KINDS) as [RecordKind, (typeof RECORD_KINDS)[RecordKind]][]) {
    const minor = kind.startsWith('minor');
    const ward = GUARDIAN_OF[kind];
    const guardian = ward ? records[ward] : undefined;
    const r = await makeReturnee(orm, registrar.agency, {
      dateOfBirth: spec.dateOfBirth,
      ...(guardian ? { guardianReturneeId: guardian, guardianName: GUARDIAN_NAME, guardianRelation: 'mother' } : {}),
    });
    records[kind] = r.id;
    await addAssessment(orm, r, users.HEALTH);
    await fillSections(orm, r, { EDUCATION: users.EDUCATION, SOCIAL: registrar, NGO: users.NGO });
    await referToEveryCaseSector(orm, r.id, users);
    const em = orm.em.fork();
    if (spec.consent) em.persist(consent(em, r.id, registrar, guardian ? { id: guardian, name: GUARDIAN_NAME } : undefined));
    if (minor && !spec.consent) {
      const revoked = consent(em, r.id, registrar, { name: GUARDIAN_NAME });
      revoked.revokedAt = new Date();
      em.persist(revoked);
    }
    await em.flush();
    await changeThroughApi(hub, orm, r.id, users);
  }
  const referred = await makeReturnee(orm, registrar.agency, { dateOfBirth: '1992-07-07' });
  await fillSections(orm, referred, { EDUCATION: users.EDUCATION, SOCIAL: registrar, NGO: users.NGO });
  const em = orm.em.fork();
  await em.persist(consent(em, referred.id, registrar)).flush();
  await referToEveryCaseSector(orm, referred.id, users, true);
  return { country, users, records, referredOnly: referred.id };
}
