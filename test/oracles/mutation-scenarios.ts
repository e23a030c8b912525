import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from 'pg';
import { POLICIES } from '../../policies';
import { requiredGiver } from '../../src/access/active-consent';
import type { Sector } from '../../src/access/policy';
import { Agency } from '../../src/agency/agency.entity';
import { CaseAccess } from '../../src/case-access/case-access.entity';
import { today } from '../../src/common/calendar';
import { Consent } from '../../src/consent/consent.entity';
import { IdentityCheckQuestion, IdentityCheckRequest } from '../../src/dedup/identity-check.entity';
import { ReturneeMerge } from '../../src/merge/merge.entity';
import { Referral } from '../../src/referral/referral.entity';
import { Returnee } from '../../src/returnee/returnee.entity';
import { SocialSupportMeasure } from '../../src/social-support/social-support-measure.entity';
import { StaffMember } from '../../src/staff/staff.entity';
import { makeAgency, type StaffFixture } from '../support/factories';
import { FULL_CONSENT, MATRIX_SECTIONS, writePath, type WritePath, type WriteTarget } from '../support/matrix';
import { GUARDIAN_OF, GUARDIAN_NAME, type OracleWorld, type RecordKind } from './oracle-world';

/**
 * The state each mutation of the API needs to act on a record, and its arguments: the only part
 * of the mutation oracles written per mutation, as argument values cannot be read off the schema
 * (which referral is pending for you, which consent to revoke). Which mutations are run and what
 * their payloads select is generated (schema-queries.ts mutationCalls); a mutation whose payload
 * discloses a record and that has no scenario here fails the oracle test until it is taught.
 *
 * Every scenario prepares fresh objects (a referral, an access, a consent, an agency) so calls
 * never depend on each other, and acts as the caller of `sector` on the world's record `kind`.
 * Values are what a careful client sends; the refusals they meet (a sector that may not do it, a
 * guardian the caller cannot see) are checked too: an error must disclose nothing either.
 */
export interface ScenarioContext {
  orm: MikroORM;
  db: Client;
  world: OracleWorld;
  sector: Sector;
  caller: StaffFixture;
  kind: RecordKind;
  record: string;
}

export interface Prepared {
  variables: Record<string, unknown>;
  /** The record the payload belongs to (a consent's or an access's), for attributing its fields. */
  rid?: string;
}

type Scenario = (c: ScenarioContext) => Promise<Prepared>;

const hex = () => randomUUID().replace(/-/g, '').slice(0, 10);
const letters = (h: string) => h.replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)]);
const ref = <T extends object>(em: ReturnType<MikroORM['em']['fork']>, entity: new (...args: never[]) => T, id: string) =>
  em.getReference(entity as never, id as never, { wrapped: true }) as never;

/** The registering agency of the world's records (SOCIAL registers them all). */
const registrar = (c: ScenarioContext) => c.world.users.SOCIAL;

/** An agency that has nothing to do with the record yet. */
const freshAgency = (c: ScenarioContext, sector: Sector) => makeAgency(c.orm, sector, c.world.country);

/** The caller's agency, or, for the registering agency itself, another agency working on the case. */
function counterpart(c: ScenarioContext): StaffFixture {
  return c.caller.agency.id === registrar(c).agency.id ? c.world.users.HEALTH : c.caller;
}

/** A referral of the record from the registering agency to the caller's agency (or, for the registering agency, to another). */
async function referral(c: ScenarioContext, status: 'PENDING' | 'ACCEPTED'): Promise<string> {
  const em = c.orm.em.fork();
  const from = registrar(c);
  const to = counterpart(c);
  const r = new Referral({
    returnee: ref(em, Returnee, c.record),
    fromAgency: ref(em, Agency, from.agency.id),
    toAgency: ref(em, Agency, to.agency.id),
    service: 'oracle follow-up',
    reason: 'Oracle scenario referral',
    createdBy: ref(em, StaffMember, from.staff.id),
  });
  em.persist(r);
  if (status === 'ACCEPTED') {
    Object.assign(r, { status, decidedAt: new Date() });
    const access = new CaseAccess(ref(em, Returnee, c.record), ref(em, Agency, to.agency.id), 'REFERRAL', 'Referral: oracle follow-up');
    Object.assign(access, { referralId: r.id });
    em.persist(access);
  }
  await em.flush();
  return r.id;
}

/** The caller's own oldest active access to the record (null for the registering agency). */
async function ownAccess(c: ScenarioContext): Promise<string | null> {
  if (c.caller.agency.id === registrar(c).agency.id) return null;
  const { rows } = await c.db.query(
    'select id from case_access where returnee_id = $1 and agency_id = $2 and revoked_at is null order by granted_at, id limit 1',
    [c.record, c.caller.agency.id],
  );
  return rows[0]?.id ?? null;
}

/** A consent of the kind the person's status today requires, in force. */
async function activeConsent(c: ScenarioContext): Promise<string> {
  const em = c.orm.em.fork();
  const {
    rows: [r],
  } = await c.db.query('select date_of_birth::text as dob, guardian_returnee_id from returnee where id = $1', [c.record]);
  const consent = new Consent({
    returnee: ref(em, Returnee, c.record),
    givenBy: requiredGiver(r.dob, today()),
    sectors: ['NGO'],
    sections: ['CONTACT'],
    purpose: 'Oracle scenario consent',
    validFrom: '2020-01-01',
    agency: ref(em, Agency, registrar(c).agency.id),
    recordedBy: ref(em, StaffMember, registrar(c).staff.id),
  });
  if (consent.givenBy === 'GUARDIAN') Object.assign(consent, { guardianReturneeId: r.guardian_returnee_id, guardianName: GUARDIAN_NAME });
  await em.persist(consent).flush();
  return consent.id;
}

/** The write path (test/support/matrix.ts) of `mutation` for a section the caller's sector writes, else any (to meet its refusal). */
function pathFor(mutation: string, sector: Sector): WritePath {
  const paths = MATRIX_SECTIONS.flatMap((s) => (['update', 'create'] as const).map((a) => ({ s, path: writePath(s, a) }))).filter(
    (p) => p.path.mutation === mutation,
  );
  const own = paths.find((p) => POLICIES[sector].sections[p.s] === 'write');
  return (own ?? paths[0]).path;
}

/** A section write through the matrix's own request for it, on the world's record (or a new one, for a registration). */
function sectionWrite(mutation: string): Scenario {
  return async (c) => {
    const path = pathFor(mutation, c.sector);
    const h = hex();
    const {
      rows: [r],
    } = await c.db.query('select version from returnee where id = $1', [c.record]);
    const t: WriteTarget = {
      returneeId: path.registers ? null : c.record,
      version: r.version,
      marker: `m${h}`,
      familyName: `Oracle${letters(h)}`,
    };
    return { variables: path.request(t).variables, rid: t.returneeId ?? undefined };
  };
}

/**
 * Two fresh records of one person registered by the world's registrar, shared with the caller's
 * agency the way the world's record is (so each sector meets its own answer: a merge by a social
 * supervisor, a refusal elsewhere); the world's records are never merged, other scenarios use them.
 */
async function twins(c: ScenarioContext): Promise<{ survivor: Returnee; merged: Returnee }> {
  const em = c.orm.em.fork();
  const make = (givenName: string) => {
    const r = new Returnee({
      registeringAgency: ref(em, Agency, registrar(c).agency.id),
      country: c.world.country,
      caseNumber: `O-${hex()}`,
      givenName,
      familyName: 'Nurlanova',
      sex: 'FEMALE',
      dateOfBirth: '1994-03-12',
    });
    em.persist(r);
    return r;
  };
  const [survivor, merged] = [make('Aigerim'), make('Айгерим')];
  await em.flush();
  const {
    rows: [mine],
  } = await c.db.query('select 1 from case_access where returnee_id = $1 and agency_id = $2 and revoked_at is null limit 1', [
    c.record,
    c.caller.agency.id,
  ]);
  if (mine) {
    for (const r of [survivor, merged])
      em.persist(new CaseAccess(ref(em, Returnee, r.id), ref(em, Agency, c.caller.agency.id), 'GRANT', 'Oracle twins'));
    await em.flush();
  }
  return { survivor, merged };
}

export const SCENARIOS: Readonly<Record<string, Scenario>> = {
  mergeReturnees: async (c) => {
    const { survivor, merged } = await twins(c);
    return {
      variables: {
        input: {
          survivorId: survivor.id,
          mergedId: merged.id,
          expectedVersions: { survivor: survivor.version, merged: merged.version },
          fieldChoices: [{ field: 'givenName', from: 'MERGED' }],
        },
      },
      rid: survivor.id,
    };
  },
  unmergeReturnees: async (c) => {
    const { survivor, merged } = await twins(c);
    const { rows } = await c.db.query('update returnee set merged_into_id = $1, version = version + 1 where id = $2 returning version', [
      survivor.id,
      merged.id,
    ]);
    const em = c.orm.em.fork();
    const journal = new ReturneeMerge({
      survivorId: survivor.id,
      mergedId: merged.id,
      staffId: registrar(c).staff.id,
      agencyId: registrar(c).agency.id,
      survivorVersion: survivor.version,
      mergedVersion: rows[0].version,
      survivorPrevious: {},
      moved: {},
    });
    await em.persist(journal).flush();
    return { variables: { mergeId: journal.id }, rid: survivor.id };
  },
  requestIdentityCheck: async (c) => ({ variables: { input: { returneeId: c.record, reason: 'Oracle identity check' } }, rid: c.record }),
  answerIdentityCheck: async (c) => {
    // A question to the caller's agency from a fresh agency, naming the world's record as a match.
    const asker = await freshAgency(c, 'NGO');
    const em = c.orm.em.fork();
    const request = Object.assign(new IdentityCheckRequest(), {
      requesterAgencyId: asker.id,
      requesterStaffId: randomUUID(),
      returneeId: randomUUID(),
      reason: 'Oracle identity check',
      identity: {
        givenName: 'Aigerim',
        familyName: 'Nurlanova',
        patronymic: null,
        sex: 'FEMALE',
        dateOfBirth: '1994-03-12',
        dateOfBirthEstimated: false,
        placeOfBirth: null,
      },
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    const question = Object.assign(new IdentityCheckQuestion(), {
      requestId: request.id,
      holderAgencyId: c.caller.agency.id,
      matches: [{ returneeId: c.record, score: 0.9, reasons: [] }],
    });
    await em.persist([request, question]).flush();
    return { variables: { questionId: question.id, answer: 'DECLINE' }, rid: c.record };
  },
  markNotDuplicate: async (c) => {
    const { survivor, merged } = await twins(c);
    return { variables: { aId: survivor.id, bId: merged.id, note: 'Two people' }, rid: survivor.id };
  },
  reopenDuplicatePair: async (c) => {
    const { survivor, merged } = await twins(c);
    return { variables: { aId: survivor.id, bId: merged.id }, rid: survivor.id };
  },

  registerReturnee: sectionWrite('registerReturnee'),
  updateReturnee: sectionWrite('updateReturnee'),
  recordHealthAssessment: sectionWrite('recordHealthAssessment'),
  updateEducation: sectionWrite('updateEducation'),
  recordCivilDocument: sectionWrite('recordCivilDocument'),
  recordSocialSupport: sectionWrite('recordSocialSupport'),
  recordSupportSession: sectionWrite('recordSupportSession'),
  endSocialSupport: async (c) => {
    const em = c.orm.em.fork();
    const m = new SocialSupportMeasure({
      returnee: ref(em, Returnee, c.record),
      agency: ref(em, Agency, registrar(c).agency.id),
      recordedBy: ref(em, StaffMember, registrar(c).staff.id),
      kind: 'RETRAINING',
      description: 'Oracle scenario retraining',
      startedOn: '2024-01-10',
    });
    await em.persist(m).flush();
    return { variables: { measureId: m.id, endedOn: today() }, rid: c.record };
  },

  recordConsent: async (c) => {
    const {
      rows: [r],
    } = await c.db.query('select date_of_birth::text as dob from returnee where id = $1', [c.record]);
    const givenBy = requiredGiver(r.dob, today());
    const ward = GUARDIAN_OF[c.kind];
    const guardian = givenBy === 'GUARDIAN' && ward ? { guardianReturneeId: c.world.records[ward] } : {};
    return {
      variables: {
        input: {
          returneeId: c.record,
          givenBy,
          ...guardian,
          sectors: [...FULL_CONSENT.sectors],
          sections: [...FULL_CONSENT.sections],
          purpose: 'Reintegration support (oracle)',
        },
      },
      rid: c.record,
    };
  },
  revokeConsent: async (c) => ({ variables: { input: { id: await activeConsent(c), reason: 'Withdrawn (oracle)' } }, rid: c.record }),

  referReturnee: async (c) => ({
    variables: {
      input: {
        returneeId: c.record,
        toAgencyId: (await freshAgency(c, 'HEALTH')).id,
        service: 'health screening',
        reason: 'Oracle scenario referral',
      },
    },
    rid: c.record,
  }),
  acceptReferral: async (c) => ({ variables: { input: { id: await referral(c, 'PENDING'), note: 'Accepted (oracle)' } }, rid: c.record }),
  declineReferral: async (c) => ({
    variables: { input: { id: await referral(c, 'PENDING'), note: 'No capacity (oracle)' } },
    rid: c.record,
  }),
  closeReferral: async (c) => ({ variables: { input: { id: await referral(c, 'ACCEPTED'), note: 'Done (oracle)' } }, rid: c.record }),

  grantCaseAccess: async (c) => ({
    variables: { input: { returneeId: c.record, agencyId: (await freshAgency(c, 'NGO')).id, reason: 'Peer support (oracle)' } },
    rid: c.record,
  }),
  recordDataSubjectRequest: async (c) => ({
    variables: { input: { returneeId: c.record, kind: 'ACCESS', receivedOn: '2026-12-01', note: 'Asked in person (oracle)' } },
    rid: c.record,
  }),
  completeDataSubjectRequest: async (c) => {
    // An open request of the caller's agency on the record, as recordDataSubjectRequest leaves one.
    const id = randomUUID();
    await c.db.query(
      `insert into data_subject_request (id, returnee_id, agency_id, kind, received_on, due_on, status, recorded_by, recorded_at)
       values ($1, $2, $3, 'ACCESS', '2026-12-01', '2026-12-31', 'OPEN', $4, now())`,
      [id, c.record, c.caller.agency.id, c.caller.staff.id],
    );
    return { variables: { id, outcome: 'FULFILLED', note: 'Copy handed over (oracle)' }, rid: c.record };
  },
  revokeCaseAccess: async (c) => {
    const em = c.orm.em.fork();
    const agency = await freshAgency(c, 'NGO');
    const access = new CaseAccess(ref(em, Returnee, c.record), ref(em, Agency, agency.id), 'GRANT', 'Peer support (oracle)');
    Object.assign(access, { derivedFromId: (await ownAccess(c)) ?? undefined, grantedBy: ref(em, StaffMember, c.caller.staff.id) });
    await em.persist(access).flush();
    return { variables: { input: { id: access.id, reason: 'No longer needed (oracle)' } }, rid: c.record };
  },
};
