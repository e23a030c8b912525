import type { HubServer } from '../src/server';
import { auditRowsFor } from './support/audit';
import { giveConsent, grantAccess, makeAgency, makeReturnee, makeSectorUser, makeStaff, type StaffFixture } from './support/factories';
import { errorCode, gql, sqlClient, startHub } from './support/hub';

/**
 * Consent decides which sectors see which sections of a record, per record, on every
 * request; referrals are how another agency comes to see a record at all.
 */
const RECORD_CONSENT = `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id active sectors sections givenBy } }`;
const REVOKE = `mutation($input: RevokeConsentInput!) { revokeConsent(input: $input) { id active revokedAt } }`;
const REFER = `mutation($input: ReferReturneeInput!) { referReturnee(input: $input) { id status crossBorder returnee { id caseNumber } toAgency { id } } }`;
const ACCEPT = `mutation($input: DecideReferralInput!) { acceptReferral(input: $input) { id status } }`;
const DECLINE = `mutation($input: DecideReferralInput!) { declineReferral(input: $input) { id status decisionNote } }`;
const CLOSE = `mutation($input: DecideReferralInput!) { closeReferral(input: $input) { id status } }`;
const READ = `query($id: ID!) { returnee(id: $id) { id caseNumber givenName region fitForSchool redactedFields } }`;

let hub: HubServer;
let social: StaffFixture;
beforeAll(async () => {
  hub = await startHub();
  social = await makeSectorUser(hub.db.orm, 'SOCIAL');
});
afterAll(() => hub.stop());

describe('consent', () => {
  it('shares a section with another sector only while a consent covers it; revocation applies on the next request', async () => {
    const orm = hub.db.orm;
    const ngo = await makeSectorUser(orm, 'NGO');
    const r = await makeReturnee(orm, social.agency);
    await giveConsent(orm, r, social, ['NGO'], ['IDENTITY']);
    const referral = await gql(hub, social.token, REFER, {
      input: { returneeId: r.id, toAgencyId: ngo.agency.id, service: 'psychosocial support', reason: 'Counselling after return' },
    });
    expect(referral.errors).toBeUndefined();
    const supervisor = await makeStaff(orm, ngo.agency, ['SUPERVISOR']);
    expect((await gql(hub, supervisor.token, ACCEPT, { input: { id: referral.data.referReturnee.id } })).errors).toBeUndefined();

    const before = await gql(hub, ngo.token, READ, { id: r.id });
    expect(before.data.returnee).toMatchObject({ givenName: 'Aigerim', region: null, fitForSchool: null });
    expect(before.data.returnee.redactedFields).toEqual(expect.arrayContaining(['region', 'fitForSchool']));

    const consent = await gql(hub, social.token, RECORD_CONSENT, {
      input: {
        returneeId: r.id,
        givenBy: 'SELF',
        sectors: ['NGO'],
        sections: ['CONTACT', 'HEALTH_FLAGS'],
        purpose: 'Home visits by the NGO',
      },
    });
    expect(consent.data.recordConsent).toMatchObject({ active: true, sectors: ['NGO'] });
    const after = await gql(hub, ngo.token, READ, { id: r.id });
    expect(after.data.returnee).toMatchObject({ region: 'Aqtobe', fitForSchool: false });
    expect(after.data.returnee.redactedFields).not.toContain('region');

    const revoked = await gql(hub, social.token, REVOKE, {
      input: { id: consent.data.recordConsent.id, reason: 'Withdrawn by the returnee' },
    });
    expect(revoked.data.revokeConsent.active).toBe(false);
    const cut = await gql(hub, ngo.token, READ, { id: r.id });
    expect(cut.data.returnee).toMatchObject({ region: null, fitForSchool: null, givenName: 'Aigerim' });
    const events = await auditRowsFor(social.staff.id);
    // Each mutation's response is a read of the consent, audited like any read.
    expect(events.filter((e) => e.entity_type === 'Consent').map((e) => e.action)).toEqual(['CREATE', 'READ', 'UPDATE', 'READ']);
    const reads = (await auditRowsFor(ngo.staff.id)).map((e) => e.fields);
    expect(reads[1]).toContain('region');
    expect(reads[2]).not.toContain('region');
  });

  it("takes a minor's consent only from an identified guardian", async () => {
    const child = await makeReturnee(hub.db.orm, social.agency, { dateOfBirth: '2017-02-02', guardianName: 'Saule Nurlanova' });
    const self = await gql(hub, social.token, RECORD_CONSENT, {
      input: { returneeId: child.id, givenBy: 'SELF', sectors: ['EDUCATION'], sections: ['IDENTITY'], purpose: 'School placement' },
    });
    expect(errorCode(self)).toBe('BAD_USER_INPUT');
    expect(self.errors![0].message).toMatch(/guardian/);
    const anonymous = await gql(hub, social.token, RECORD_CONSENT, {
      input: { returneeId: child.id, givenBy: 'GUARDIAN', sectors: ['EDUCATION'], sections: ['IDENTITY'], purpose: 'School placement' },
    });
    expect(errorCode(anonymous)).toBe('BAD_USER_INPUT');
    const ok = await gql(hub, social.token, RECORD_CONSENT, {
      input: {
        returneeId: child.id,
        givenBy: 'GUARDIAN',
        guardianName: '  saule   NURLANOVA ',
        sectors: ['EDUCATION'],
        sections: ['IDENTITY'],
        purpose: 'School placement',
      },
    });
    expect(ok.data.recordConsent.givenBy).toBe('GUARDIAN');
  });

  it('refuses consent management to agencies that do not see the record, and to sectors without cases', async () => {
    const r = await makeReturnee(hub.db.orm, social.agency);
    const outsider = await makeSectorUser(hub.db.orm, 'NGO');
    const res = await gql(hub, outsider.token, RECORD_CONSENT, {
      input: { returneeId: r.id, givenBy: 'SELF', sectors: ['NGO'], sections: ['CONTACT'], purpose: 'Let us see it' },
    });
    expect(errorCode(res)).toBe('NOT_FOUND');
    const auditor = await makeSectorUser(hub.db.orm, 'OVERSIGHT', ['AUDITOR']);
    expect(
      errorCode(
        await gql(hub, auditor.token, RECORD_CONSENT, {
          input: { returneeId: r.id, givenBy: 'SELF', sectors: ['HEALTH'], sections: ['HEALTH'], purpose: 'Oversight' },
        }),
      ),
    ).toBe('FORBIDDEN');
    expect((await auditRowsFor(auditor.staff.id))[0]).toMatchObject({ action: 'DENY', entity_type: 'Consent' });
  });
});

describe('referrals', () => {
  it('refuses a referral no consent covers, naming what to do', async () => {
    const r = await makeReturnee(hub.db.orm, social.agency);
    const health = await makeAgency(hub.db.orm, 'HEALTH');
    const res = await gql(hub, social.token, REFER, {
      input: { returneeId: r.id, toAgencyId: health.id, service: 'screening', reason: 'Arrival screening' },
    });
    expect(errorCode(res)).toBe('FORBIDDEN');
    expect(res.errors![0].message).toMatch(/recordConsent/);
    expect((await auditRowsFor(social.staff.id)).at(-1)).toMatchObject({ action: 'DENY', entity_type: 'Referral', returnee_id: r.id });
  });

  it('lets only a supervisor of the receiving agency decide; declines need a reason; others see NOT_FOUND', async () => {
    const orm = hub.db.orm;
    const r = await makeReturnee(orm, social.agency);
    await giveConsent(orm, r, social, ['EDUCATION']);
    const school = await makeAgency(orm, 'EDUCATION');
    const teacher = await makeStaff(orm, school, ['CASEWORKER']);
    const head = await makeStaff(orm, school, ['SUPERVISOR']);
    const otherHead = await makeSectorUser(orm, 'EDUCATION', ['SUPERVISOR']);
    const ref = await gql(hub, social.token, REFER, {
      input: { returneeId: r.id, toAgencyId: school.id, service: 'school placement', reason: 'Literacy class first' },
    });
    const id = ref.data.referReturnee.id;
    expect(errorCode(await gql(hub, teacher.token, ACCEPT, { input: { id } }))).toBe('FORBIDDEN');
    expect(errorCode(await gql(hub, otherHead.token, ACCEPT, { input: { id } }))).toBe('NOT_FOUND');
    expect(errorCode(await gql(hub, head.token, DECLINE, { input: { id } }))).toBe('BAD_USER_INPUT');
    const declined = await gql(hub, head.token, DECLINE, { input: { id, note: 'No places left this term' } });
    expect(declined.data.declineReferral).toMatchObject({ status: 'DECLINED', decisionNote: 'No places left this term' });
    expect(errorCode(await gql(hub, teacher.token, READ, { id: r.id }))).toBe('NOT_FOUND');
    expect(errorCode(await gql(hub, head.token, ACCEPT, { input: { id } }))).toBe('CONFLICT');
  });

  it('gives access on acceptance and takes it away when the referral is closed', async () => {
    const orm = hub.db.orm;
    const r = await makeReturnee(orm, social.agency);
    await giveConsent(orm, r, social, ['HEALTH']);
    const clinic = await makeAgency(orm, 'HEALTH');
    const doctor = await makeStaff(orm, clinic, ['CASEWORKER']);
    const chief = await makeStaff(orm, clinic, ['SUPERVISOR']);
    const ref = await gql(hub, social.token, REFER, {
      input: { returneeId: r.id, toAgencyId: clinic.id, service: 'health screening', reason: 'Arrival screening' },
    });
    expect(
      errorCode(
        await gql(hub, social.token, REFER, {
          input: { returneeId: r.id, toAgencyId: clinic.id, service: 'again', reason: 'Arrival screening' },
        }),
      ),
    ).toBe('CONFLICT');
    await gql(hub, chief.token, ACCEPT, { input: { id: ref.data.referReturnee.id, note: 'Appointment on Monday' } });
    expect((await gql(hub, doctor.token, READ, { id: r.id })).data.returnee.givenName).toBe('Aigerim');
    const incoming = await gql(
      hub,
      doctor.token,
      '{ referrals(filter: { direction: INCOMING }) { totalCount nodes { id status returnee { caseNumber } fromAgency { id } } } }',
    );
    expect(incoming.data.referrals).toMatchObject({ totalCount: 1, nodes: [{ status: 'ACCEPTED', fromAgency: { id: social.agency.id } }] });
    const closed = await gql(hub, chief.token, CLOSE, { input: { id: ref.data.referReturnee.id, note: 'Treatment complete' } });
    expect(closed.data.closeReferral.status).toBe('CLOSED');
    expect(errorCode(await gql(hub, doctor.token, READ, { id: r.id }))).toBe('NOT_FOUND');
    const client = await sqlClient();
    const { rows } = await client.query('select revoked_at from case_access where returnee_id = $1 and agency_id = $2', [r.id, clinic.id]);
    await client.end();
    expect(rows).toHaveLength(1);
    expect(rows[0].revoked_at).not.toBeNull();
    expect((await auditRowsFor(chief.staff.id)).map((e) => [e.action, e.entity_type])).toEqual([
      ['UPDATE', 'Referral'],
      ['CREATE', 'CaseAccess'],
      ['READ', 'Referral'],
      ['UPDATE', 'Referral'],
      ['UPDATE', 'CaseAccess'],
      ['READ', 'Referral'],
    ]);
  });

  it('does not cross a border unless the referral says so', async () => {
    const orm = hub.db.orm;
    const r = await makeReturnee(orm, social.agency);
    await giveConsent(orm, r, social, ['HEALTH']);
    const tashkent = await makeAgency(orm, 'HEALTH', 'UZ');
    const refused = await gql(hub, social.token, REFER, {
      input: { returneeId: r.id, toAgencyId: tashkent.id, service: 'surgery', reason: 'Specialist surgery in Tashkent' },
    });
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    const ok = await gql(hub, social.token, REFER, {
      input: { returneeId: r.id, toAgencyId: tashkent.id, service: 'surgery', reason: 'Specialist surgery in Tashkent', crossBorder: true },
    });
    expect(ok.data.referReturnee.crossBorder).toBe(true);
  });
});

describe('legal basis for minors, named in the policy files', () => {
  it("lets EDUCATION working on a child's case see identity and health flags without consent, nothing else", async () => {
    const orm = hub.db.orm;
    const child = await makeReturnee(orm, social.agency, { dateOfBirth: '2016-09-01' });
    const adult = await makeReturnee(orm, social.agency);
    const school = await makeSectorUser(orm, 'EDUCATION');
    await grantAccess(orm, child, school.agency);
    await grantAccess(orm, adult, school.agency);
    const c = await gql(hub, school.token, READ, { id: child.id });
    expect(c.data.returnee).toMatchObject({ givenName: 'Aigerim', fitForSchool: false, region: null });
    const a = await gql(hub, school.token, READ, { id: adult.id });
    expect(a.data.returnee).toMatchObject({ givenName: null, fitForSchool: null });
  });
});

describe('history', () => {
  it('keeps every replaced value and shows each reader only the fields they may read', async () => {
    const orm = hub.db.orm;
    const r = await makeReturnee(orm, social.agency);
    const upd = `mutation($id: ID!, $v: Int!, $input: UpdateReturneeInput!) { updateReturnee(id: $id, expectedVersion: $v, input: $input) { returnee { version } } }`;
    await gql(hub, social.token, upd, { id: r.id, v: 1, input: { region: 'Osh', givenName: 'Aigerim-Updated' } });
    await gql(hub, social.token, upd, { id: r.id, v: 2, input: { region: 'Bishkek' } });
    const HISTORY = `query($id: ID!) { returneeHistory(returneeId: $id) { version fields previous hiddenFieldCount } }`;
    const own = await gql(hub, social.token, HISTORY, { id: r.id });
    expect(own.data.returneeHistory).toEqual([
      { version: 2, fields: ['region'], previous: { region: 'Osh' }, hiddenFieldCount: 0 },
      { version: 1, fields: ['givenName', 'region'], previous: { region: 'Aqtobe', givenName: 'Aigerim' }, hiddenFieldCount: 0 },
    ]);
    const school = await makeSectorUser(orm, 'EDUCATION');
    await grantAccess(orm, r, school.agency);
    await giveConsent(orm, r, social, ['EDUCATION'], ['IDENTITY']);
    const other = await gql(hub, school.token, HISTORY, { id: r.id });
    // Version 2 changed only the region, which EDUCATION may not read: it is not shown at all.
    expect(other.data.returneeHistory).toEqual([
      { version: 1, fields: ['givenName'], previous: { givenName: 'Aigerim' }, hiddenFieldCount: 0 },
    ]);
    const stranger = await makeSectorUser(orm, 'EDUCATION');
    expect(errorCode(await gql(hub, stranger.token, HISTORY, { id: r.id }))).toBe('NOT_FOUND');
    expect((await auditRowsFor(school.staff.id)).map((e) => [e.entity_type, e.fields, e.denied_fields])).toEqual([
      ['ReturneeRevision', ['givenName'], ['region']],
    ]);
  });
});

describe('households', () => {
  it("shows the family as a unit, but only members inside the caller's own scope", async () => {
    const orm = hub.db.orm;
    const mother = await makeReturnee(orm, social.agency, { givenName: 'Madina' });
    const son = await makeReturnee(orm, social.agency, { givenName: 'Amir', dateOfBirth: '2016-01-01', guardianReturneeId: mother.id });
    const daughter = await makeReturnee(orm, social.agency, {
      givenName: 'Aisha',
      dateOfBirth: '2018-01-01',
      guardianReturneeId: mother.id,
    });
    const HOUSEHOLD = `query($id: ID!) { returnee(id: $id) { household { id caseNumber relation } } }`;
    const family = await gql(hub, social.token, HOUSEHOLD, { id: mother.id });
    expect(family.data.returnee.household.map((m: any) => [m.id, m.relation]).sort()).toEqual(
      [
        [daughter.id, 'WARD'],
        [son.id, 'WARD'],
      ].sort(),
    );
    expect((await gql(hub, social.token, HOUSEHOLD, { id: son.id })).data.returnee.household).toEqual([
      { id: mother.id, caseNumber: mother.caseNumber, relation: 'GUARDIAN' },
    ]);
    const health = await makeSectorUser(orm, 'HEALTH');
    await grantAccess(orm, son, health.agency);
    // HEALTH reads a minor's contact section on its legal basis, but the mother is not in its scope.
    expect((await gql(hub, health.token, HOUSEHOLD, { id: son.id })).data.returnee.household).toEqual([]);
  });
});
