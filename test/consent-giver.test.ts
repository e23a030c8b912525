import { requiredGiver } from '../src/access/active-consent';
import { isMinorOn, minorCutoff } from '../src/common/calendar';
import { POLICIES } from '../policies';
import type { Role } from '../src/access/policy';
import { Section } from '../src/access/sections';
import type { Returnee } from '../src/returnee/returnee.entity';
import type { HubServer } from '../src/server';
import { auditRowsFor } from './support/audit';
import { giveConsent, grantAccess, makeAgency, makeReturnee, makeSectorUser, type StaffFixture } from './support/factories';
import { errorCode, gql, sqlClient, startHub, type GqlResponse } from './support/hub';
import { fillSections } from './support/section-factories';

/**
 * Who may give a consent, and that a consent follows the person's status now (issue 11,
 * defect 3): a minor's consent only from the guardian on record, recorded only by the sectors
 * whose policy says so, every refusal audited; a consent given by someone the person's status
 * today does not allow opens nothing, in the rules, in `active` and for referrals alike.
 */
const RECORD = `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id givenBy active } }`;
const REVOKE = `mutation($input: RevokeConsentInput!) { revokeConsent(input: $input) { id active } }`;
const UPDATE = `mutation($id: ID!, $v: Int!, $input: UpdateReturneeInput!) { updateReturnee(id: $id, expectedVersion: $v, input: $input) { returnee { version } } }`;
const SUPPORT = `mutation($id: ID!, $input: RecordSocialSupportInput!) { recordSocialSupport(returneeId: $id, input: $input) { returnee { id } } }`;
const CONSENTS = `query($id: ID!) { consents(returneeId: $id) { id givenBy active } }`;
const REFER = `mutation($input: ReferReturneeInput!) { referReturnee(input: $input) { id } }`;
const READ = `query($id: ID!) { returnee(id: $id) { school engagementStatus documentStatuses { type } address followUpNeeded redactedFields } }`;
const ALL_SECTIONS = Object.values(Section).filter((s) => s !== Section.REFERENCE);

let hub: HubServer;
const u = {} as Record<'HEALTH' | 'EDUCATION' | 'SOCIAL' | 'NGO', StaffFixture>;

beforeAll(async () => {
  hub = await startHub();
  for (const s of ['HEALTH', 'EDUCATION', 'SOCIAL', 'NGO'] as const) u[s] = await makeSectorUser(hub.db.orm, s);
});
afterAll(() => hub.stop());

/** A record registered by SOCIAL that HEALTH, EDUCATION and NGO work on, every section filled. */
async function sharedRecord(overrides: Partial<Returnee> = {}): Promise<Returnee> {
  const r = await makeReturnee(hub.db.orm, u.SOCIAL.agency, overrides);
  for (const s of ['HEALTH', 'EDUCATION', 'NGO'] as const) await grantAccess(hub.db.orm, r, u[s].agency);
  await fillSections(hub.db.orm, r, u);
  return r;
}

const guardianConsent = (returneeId: string, who: Record<string, string>, sections: string[] = ALL_SECTIONS) => ({
  input: {
    returneeId,
    givenBy: 'GUARDIAN',
    ...who,
    sectors: ['HEALTH', 'EDUCATION', 'SOCIAL', 'NGO'],
    sections,
    purpose: 'Reintegration support',
  },
});

async function consentCount(returneeId: string): Promise<number> {
  const c = await sqlClient();
  try {
    return (await c.query('select count(*)::int as n from consent where returnee_id = $1', [returneeId])).rows[0].n;
  } finally {
    await c.end();
  }
}

/** Corrects the record as SOCIAL, at the version it has now. */
async function correct(id: string, input: Record<string, unknown>): Promise<GqlResponse> {
  const v = (await gql(hub, u.SOCIAL.token, 'query($id: ID!) { returnee(id: $id) { version } }', { id })).data.returnee.version;
  return gql(hub, u.SOCIAL.token, UPDATE, { id, v, input });
}

function refusal(res: GqlResponse, reason: string, fields: string[]) {
  expect(res.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN', reason, fields });
}

describe("a minor's consent", () => {
  it('is refused from anyone but the guardian on record, with a DENY event, and then opens nothing', async () => {
    const child = await sharedRecord({ dateOfBirth: '2016-05-01', guardianName: 'Gulnara Saidova' });
    const impostor = await gql(hub, u.SOCIAL.token, RECORD, guardianConsent(child.id, { guardianName: 'Anyone Else' }));
    refusal(impostor, 'NOT_THE_GUARDIAN', ['guardianName']);
    expect(impostor.errors![0].message).toMatch(/does not match the guardian on record/);
    const wrongLink = await gql(hub, u.SOCIAL.token, RECORD, guardianConsent(child.id, { guardianReturneeId: u.SOCIAL.agency.id }));
    refusal(wrongLink, 'NOT_THE_GUARDIAN', ['guardianReturneeId']);
    expect(await consentCount(child.id)).toBe(0);
    expect((await gql(hub, u.HEALTH.token, READ, { id: child.id })).data.returnee).toMatchObject({ school: null, engagementStatus: null });
    const denials = (await auditRowsFor(u.SOCIAL.staff.id)).filter((e) => e.returnee_id === child.id);
    expect(denials.map((e) => [e.action, e.entity_type, e.outcome, e.denied_fields])).toEqual([
      ['DENY', 'Consent', 'DENIED', ['guardianName']],
      ['DENY', 'Consent', 'DENIED', ['guardianReturneeId']],
    ]);

    // The guardian on record, however the name is spaced or cased, is accepted.
    const ok = await gql(hub, u.SOCIAL.token, RECORD, guardianConsent(child.id, { guardianName: '  gulnara   SAIDOVA ' }));
    expect(ok.data.recordConsent).toMatchObject({ givenBy: 'GUARDIAN', active: true });
    expect((await gql(hub, u.HEALTH.token, READ, { id: child.id })).data.returnee).toMatchObject({
      school: 'School No. 12, Aqtobe',
      engagementStatus: 'ENGAGED',
    });
  });

  it('is taken from a guardian linked as a returnee, or appointed by a guardianship decision in force', async () => {
    const mother = await makeReturnee(hub.db.orm, u.SOCIAL.agency, { givenName: 'Madina' });
    const son = await sharedRecord({ dateOfBirth: '2015-03-01', guardianReturneeId: mother.id });
    refusal(await gql(hub, u.SOCIAL.token, RECORD, guardianConsent(son.id, { guardianName: 'Madina Nurlanovna' })), 'NOT_THE_GUARDIAN', [
      'guardianName',
    ]);
    expect(
      (await gql(hub, u.SOCIAL.token, RECORD, guardianConsent(son.id, { guardianReturneeId: mother.id.toUpperCase() }))).data.recordConsent
        .active,
    ).toBe(true);

    const orphan = await sharedRecord({ dateOfBirth: '2014-09-01' });
    const decision = {
      kind: 'GUARDIANSHIP_DECISION',
      description: 'Aunt appointed guardian',
      decidingAuthority: 'Aqtobe guardianship authority',
      guardianName: 'Zulfiya Karimova',
    };
    expect(
      (await gql(hub, u.SOCIAL.token, SUPPORT, { id: orphan.id, input: { ...decision, startedOn: '2020-02-14' } })).errors,
    ).toBeUndefined();
    expect(
      (await gql(hub, u.SOCIAL.token, RECORD, guardianConsent(orphan.id, { guardianName: 'zulfiya karimova' }))).data.recordConsent.active,
    ).toBe(true);

    // A guardianship that has ended appoints no one.
    const former = await sharedRecord({ dateOfBirth: '2014-09-01' });
    await gql(hub, u.SOCIAL.token, SUPPORT, { id: former.id, input: { ...decision, startedOn: '2020-02-14', endedOn: '2021-02-14' } });
    refusal(
      await gql(hub, u.SOCIAL.token, RECORD, guardianConsent(former.id, { guardianName: 'Zulfiya Karimova' })),
      'NO_GUARDIAN_ON_RECORD',
      ['guardianReturneeId', 'guardianName'],
    );
  });

  it('is refused while no guardian is on record, saying to record the guardian first', async () => {
    const child = await sharedRecord({ dateOfBirth: '2017-02-02' });
    const res = await gql(hub, u.SOCIAL.token, RECORD, guardianConsent(child.id, { guardianName: 'Saule Nurlanova' }));
    refusal(res, 'NO_GUARDIAN_ON_RECORD', ['guardianReturneeId', 'guardianName']);
    expect(res.errors![0].message).toMatch(/record the guardian first/);
    expect((await auditRowsFor(u.SOCIAL.staff.id)).at(-1)).toMatchObject({
      action: 'DENY',
      entity_type: 'Consent',
      returnee_id: child.id,
      outcome: 'DENIED',
    });
  });

  it('is refused to a recorder who cannot see the guardian on record, even naming the right one', async () => {
    const child = await sharedRecord({ dateOfBirth: '2016-05-01', guardianName: 'Gulnara Saidova' });
    const blind = await gql(hub, u.NGO.token, RECORD, guardianConsent(child.id, { guardianName: 'Gulnara Saidova' }));
    refusal(blind, 'GUARDIAN_NOT_VISIBLE', ['guardianReturneeId', 'guardianName']);
    expect((await auditRowsFor(u.NGO.staff.id)).at(-1)).toMatchObject({ action: 'DENY', entity_type: 'Consent', returnee_id: child.id });
    // Once the guardian shares the contact section with the NGO, its caseworker can check who consents.
    await giveConsent(hub.db.orm, child, u.SOCIAL, ['NGO'], ['CONTACT']);
    expect(
      (await gql(hub, u.NGO.token, RECORD, guardianConsent(child.id, { guardianName: 'Gulnara Saidova' }))).data.recordConsent.active,
    ).toBe(true);
  });
});

describe('who records consent (consentRoles in policies/)', () => {
  it.each(['HEALTH', 'EDUCATION'] as const)('refuses %s staff whole, with a DENY event', async (sector) => {
    const r = await sharedRecord();
    const res = await gql(hub, u[sector].token, RECORD, {
      input: { returneeId: r.id, givenBy: 'SELF', sectors: [sector], sections: ['CONTACT'], purpose: 'Let us see more' },
    });
    expect(errorCode(res)).toBe('FORBIDDEN');
    expect(res.errors![0].message).toMatch(/ask a SOCIAL or NGO caseworker/);
    const own = await giveConsent(hub.db.orm, r, u.SOCIAL, ['NGO'], ['CONTACT']);
    expect(errorCode(await gql(hub, u[sector].token, REVOKE, { input: { id: own.id, reason: 'Not mine to revoke' } }))).toBe('FORBIDDEN');
    expect((await auditRowsFor(u[sector].staff.id)).filter((e) => e.entity_type === 'Consent').map((e) => [e.action, e.outcome])).toEqual([
      ['DENY', 'DENIED'],
      ['DENY', 'DENIED'],
    ]);
    expect(await consentCount(r.id)).toBe(1);
  });

  it("refuses a consent by someone the person's status does not allow", async () => {
    const adult = await sharedRecord();
    const byGuardian = await gql(hub, u.SOCIAL.token, RECORD, guardianConsent(adult.id, { guardianName: 'Saule Nurlanova' }));
    expect(byGuardian.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', fields: ['givenBy'] },
      message: expect.stringMatching(/adult/),
    });
    const mixed = await gql(hub, u.SOCIAL.token, RECORD, {
      input: {
        returneeId: adult.id,
        givenBy: 'SELF',
        guardianName: 'Saule Nurlanova',
        sectors: ['NGO'],
        sections: ['CONTACT'],
        purpose: 'Home visits',
      },
    });
    expect(mixed.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', fields: ['guardianName'] } });
  });
});

describe("a consent follows the person's status now", () => {
  it("stops sharing an adult's own consent when the date of birth is corrected to a minor's, until the guardian consents", async () => {
    const r = await sharedRecord();
    const self = await gql(hub, u.SOCIAL.token, RECORD, {
      input: {
        returneeId: r.id,
        givenBy: 'SELF',
        sectors: ['HEALTH', 'EDUCATION', 'SOCIAL', 'NGO'],
        sections: ALL_SECTIONS,
        purpose: 'Reintegration support',
      },
    });
    const shared = async () => ({
      health: (await gql(hub, u.HEALTH.token, READ, { id: r.id })).data.returnee,
      ngo: (await gql(hub, u.NGO.token, READ, { id: r.id })).data.returnee,
      social: (await gql(hub, u.SOCIAL.token, READ, { id: r.id })).data.returnee,
    });
    const before = await shared();
    expect(before.health).toMatchObject({
      school: 'School No. 12, Aqtobe',
      engagementStatus: 'ENGAGED',
      documentStatuses: expect.any(Array),
    });
    expect(before.ngo.address).toBe('12 Abay street');
    expect(before.social.followUpNeeded).toBe(true);

    expect((await correct(r.id, { dateOfBirth: '2012-01-01' })).errors).toBeUndefined();
    const after = await shared();
    expect(after.health).toMatchObject({ school: null, engagementStatus: null, documentStatuses: null });
    expect(after.health.redactedFields).toEqual(expect.arrayContaining(['school', 'engagementStatus', 'documentStatuses']));
    expect(after.ngo).toMatchObject({ address: null });
    expect(after.ngo.redactedFields).toContain('address');
    expect(after.social).toMatchObject({ followUpNeeded: null });
    expect(after.social.redactedFields).toContain('followUpNeeded');
    expect((await gql(hub, u.SOCIAL.token, CONSENTS, { id: r.id })).data.consents).toEqual([
      { id: self.data.recordConsent.id, givenBy: 'SELF', active: false },
    ]);
    // A referral needs a consent covering the receiving sector: by the same definition, none does now.
    const ngo2 = await makeAgency(hub.db.orm, 'NGO');
    const refer = await gql(hub, u.SOCIAL.token, REFER, {
      input: { returneeId: r.id, toAgencyId: ngo2.id, service: 'peer support', reason: 'Peer-support group' },
    });
    expect(errorCode(refer)).toBe('FORBIDDEN');

    expect((await correct(r.id, { guardianName: 'Gulnara Saidova' })).errors).toBeUndefined();
    expect(
      (await gql(hub, u.SOCIAL.token, RECORD, guardianConsent(r.id, { guardianName: 'Gulnara Saidova' }))).data.recordConsent.active,
    ).toBe(true);
    expect((await shared()).health.school).toBe('School No. 12, Aqtobe');
  });

  it("lets a guardian's consent lapse when the person is an adult now; their own consent is needed", async () => {
    const r = await sharedRecord({ dateOfBirth: '2012-01-01', guardianName: 'Gulnara Saidova' });
    const guardian = await gql(hub, u.SOCIAL.token, RECORD, guardianConsent(r.id, { guardianName: 'Gulnara Saidova' }));
    expect((await gql(hub, u.HEALTH.token, READ, { id: r.id })).data.returnee.school).toBe('School No. 12, Aqtobe');
    expect((await correct(r.id, { dateOfBirth: '2000-01-01' })).errors).toBeUndefined();
    expect((await gql(hub, u.HEALTH.token, READ, { id: r.id })).data.returnee).toMatchObject({ school: null });
    expect((await gql(hub, u.SOCIAL.token, CONSENTS, { id: r.id })).data.consents).toEqual([
      { id: guardian.data.recordConsent.id, givenBy: 'GUARDIAN', active: false },
    ]);
    await gql(hub, u.SOCIAL.token, RECORD, {
      input: { returneeId: r.id, givenBy: 'SELF', sectors: ['HEALTH'], sections: ['EDUCATION_SUMMARY'], purpose: 'Follow-up care' },
    });
    expect((await gql(hub, u.HEALTH.token, READ, { id: r.id })).data.returnee.school).toBe('School No. 12, Aqtobe');
  });

  it('defines "minor" by the day: 18 on the birthday, 29 February clamped', () => {
    expect(requiredGiver('2008-12-06', '2026-12-05')).toBe('GUARDIAN');
    expect(requiredGiver('2008-12-06', '2026-12-06')).toBe('SELF');
    expect(isMinorOn('2010-03-01', '2028-02-29')).toBe(true);
    expect(isMinorOn('2010-02-28', '2028-02-29')).toBe(false);
    expect(isMinorOn('2008-02-29', '2026-02-28')).toBe(true);
    expect(isMinorOn('2008-02-29', '2026-03-01')).toBe(false);
    expect(minorCutoff('2028-02-29')).toBe('2010-02-28');
  });
});

describe('a refusal tells the recorder only what it may read on the record', () => {
  const identityRefusal = (res: GqlResponse) => refusal(res, 'IDENTITY_NOT_VISIBLE', ['dateOfBirth', 'isMinor']);

  it("refuses a guardian link the recorder cannot read as not visible, right or wrong, and takes the appointed guardian's name", async () => {
    const mother = await makeReturnee(hub.db.orm, u.SOCIAL.agency, { givenName: 'Madina' });
    const child = await sharedRecord({ dateOfBirth: '2015-03-01', guardianReturneeId: mother.id });
    const decision = {
      kind: 'GUARDIANSHIP_DECISION',
      description: 'Mother confirmed as guardian',
      decidingAuthority: 'Aqtobe guardianship authority',
      guardianName: 'Madina Nurlanovna',
      startedOn: '2020-02-14',
    };
    expect((await gql(hub, u.SOCIAL.token, SUPPORT, { id: child.id, input: decision })).errors).toBeUndefined();
    // The NGO reads the guardianship decisions (SOCIAL_SUPPORT), not the guardian link (CONTACT).
    await giveConsent(hub.db.orm, child, u.SOCIAL, ['NGO'], ['SOCIAL_SUPPORT']);
    const right = await gql(hub, u.NGO.token, RECORD, guardianConsent(child.id, { guardianReturneeId: mother.id }));
    const wrong = await gql(hub, u.NGO.token, RECORD, guardianConsent(child.id, { guardianReturneeId: u.NGO.agency.id }));
    refusal(right, 'GUARDIAN_NOT_VISIBLE', ['guardianReturneeId']);
    expect(wrong.errors).toEqual(right.errors);
    expect(await consentCount(child.id)).toBe(1);
    expect(
      (await gql(hub, u.NGO.token, RECORD, guardianConsent(child.id, { guardianName: 'Madina Nurlanovna' }))).data.recordConsent.active,
    ).toBe(true);
  });

  describe('under a policy that lets HEALTH record consent without always reading identity', () => {
    // A policy file may grant consentRoles to a sector that reads identity only under consent (or
    // a minor's legal basis): the refusals must then not answer "adult or minor?" or "born before
    // this date?" about a person whose identity that sector may not read.
    const health = POLICIES.HEALTH as { consentRoles: readonly Role[] };
    const before = health.consentRoles;
    let clinic: StaffFixture;
    beforeAll(async () => {
      health.consentRoles = ['CASEWORKER'];
      clinic = await makeSectorUser(hub.db.orm, 'HEALTH');
    });
    afterAll(() => {
      health.consentRoles = before;
    });

    it('refuses to record the consent of a person whose identity the recorder may not read, whatever is guessed, with a DENY event', async () => {
      const adult = await sharedRecord({ dateOfBirth: '1994-03-12' });
      await grantAccess(hub.db.orm, adult, clinic.agency);
      const consent = (extra: Record<string, unknown>) => ({
        input: { returneeId: adult.id, sectors: ['HEALTH'], sections: ['EDUCATION_SUMMARY'], purpose: 'Follow-up care', ...extra },
      });
      const asGuardian = await gql(hub, clinic.token, RECORD, consent({ givenBy: 'GUARDIAN', guardianName: 'Saule Nurlanova' }));
      const beforeBirth = await gql(hub, clinic.token, RECORD, consent({ givenBy: 'SELF', validFrom: '1994-03-11' }));
      const afterBirth = await gql(hub, clinic.token, RECORD, consent({ givenBy: 'SELF', validFrom: '1994-03-12' }));
      identityRefusal(asGuardian);
      for (const res of [beforeBirth, afterBirth]) expect(res.errors).toEqual(asGuardian.errors);
      expect(asGuardian.errors![0].message).not.toMatch(/adult|minor|birth/i);
      expect(await consentCount(adult.id)).toBe(0);
      const denials = (await auditRowsFor(clinic.staff.id)).filter((e) => e.returnee_id === adult.id);
      expect(denials.map((e) => [e.action, e.entity_type, e.outcome, e.denied_fields])).toEqual(
        Array(3).fill(['DENY', 'Consent', 'DENIED', ['dateOfBirth', 'isMinor']]),
      );

      // Once the person shares their identity with HEALTH, the checks speak (the date of birth is readable now).
      await giveConsent(hub.db.orm, adult, u.SOCIAL, ['HEALTH'], ['IDENTITY']);
      const nowEarly = await gql(hub, clinic.token, RECORD, consent({ givenBy: 'SELF', validFrom: '1994-03-11' }));
      expect(nowEarly.errors?.[0]).toMatchObject({
        extensions: { code: 'BAD_USER_INPUT', fields: ['validFrom'] },
        message: expect.stringMatching(/date of birth/),
      });
      expect((await gql(hub, clinic.token, RECORD, consent({ givenBy: 'SELF', validFrom: '1994-03-12' }))).data.recordConsent.active).toBe(
        true,
      );
    });
  });
});
