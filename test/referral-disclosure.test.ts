import type { HubServer } from '../src/server';
import { auditRowsFor } from './support/audit';
import { giveConsent, grantAccess, makeAgency, makeReturnee, makeSectorUser, makeStaff, type StaffFixture } from './support/factories';
import { errorCode, gql, startHub } from './support/hub';

/**
 * What referring and sharing a record tell the caller about it (issue 11): the answers to a
 * referral or a grant depend only on what the caller may read on the record (its country is an
 * identity field), and a referral shows its two agencies the record's reference (id, case
 * number) on the referral's own basis, audited as a READ of that record with that basis, and
 * nothing more of it.
 */
const REFER = `mutation($input: ReferReturneeInput!) { referReturnee(input: $input) { id crossBorder status } }`;
const GRANT = `mutation($input: GrantCaseAccessInput!) { grantCaseAccess(input: $input) { id crossBorder } }`;
const INCOMING = `{ referrals(filter: { direction: INCOMING }) { nodes { id status returnee { id caseNumber } } } }`;

let hub: HubServer;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(() => hub.stop());

describe("across borders, a caller who may not read the record's country", () => {
  // A Kyrgyz clinic treats two adults registered in Kazakhstan and Uzbekistan, through cross-border
  // accesses; neither has shared their identity with HEALTH, so the clinic may not read where they are.
  let clinic: { supervisor: StaffFixture; caseworker: StaffFixture };
  const records: Record<'KZ' | 'UZ', string> = { KZ: '', UZ: '' };
  beforeAll(async () => {
    const orm = hub.db.orm;
    const kg = await makeAgency(orm, 'HEALTH', 'KG');
    clinic = { supervisor: await makeStaff(orm, kg, ['SUPERVISOR']), caseworker: await makeStaff(orm, kg, ['CASEWORKER']) };
    for (const country of ['KZ', 'UZ'] as const) {
      const registrar = await makeSectorUser(orm, 'SOCIAL', ['CASEWORKER'], country);
      const r = await makeReturnee(orm, registrar.agency);
      await grantAccess(orm, r, kg, true);
      await giveConsent(orm, r, registrar, ['NGO', 'HEALTH'], ['PSYCHOSOCIAL_SUMMARY']);
      records[country] = r.id;
    }
    const check = await gql(hub, clinic.caseworker.token, 'query($id: ID!) { returnee(id: $id) { country redactedFields } }', {
      id: records.KZ,
    });
    expect(check.data.returnee).toMatchObject({ country: null, redactedFields: expect.arrayContaining(['country']) });
  });

  it("answers a grant to an agency of the record's country and of another alike, naming only its own country", async () => {
    const kzNgo = await makeAgency(hub.db.orm, 'NGO', 'KZ');
    const answers = [];
    for (const id of [records.KZ, records.UZ]) {
      answers.push(
        await gql(hub, clinic.supervisor.token, GRANT, {
          input: { returneeId: id, agencyId: kzNgo.id, reason: 'Community support near home' },
        }),
      );
    }
    for (const res of answers) {
      expect(res.errors?.[0]).toMatchObject({
        extensions: { code: 'BAD_USER_INPUT', fields: ['crossBorder'] },
        message: `${kzNgo.code} is in KZ and your agency is in KG: set crossBorder: true to share across the border explicitly`,
      });
    }
    const explicit = [];
    for (const id of [records.KZ, records.UZ]) {
      explicit.push(
        (
          await gql(hub, clinic.supervisor.token, GRANT, {
            input: { returneeId: id, agencyId: kzNgo.id, reason: 'Community support near home', crossBorder: true },
          })
        ).data.grantCaseAccess.crossBorder,
      );
    }
    expect(explicit).toEqual([true, true]);
  });

  it('answers a referral the same way, and stores a crossBorder flag that does not tell where the record is', async () => {
    const kzNgo = await makeAgency(hub.db.orm, 'NGO', 'KZ');
    const kgNgo = await makeAgency(hub.db.orm, 'NGO', 'KG');
    const refer = (returneeId: string, toAgencyId: string, crossBorder = false) =>
      gql(hub, clinic.caseworker.token, REFER, {
        input: { returneeId, toAgencyId, service: 'peer support', reason: 'Peer-support group after treatment', crossBorder },
      });
    const [kz, uz] = [await refer(records.KZ, kzNgo.id), await refer(records.UZ, kzNgo.id)];
    expect(errorCode(kz)).toBe('BAD_USER_INPUT');
    expect(uz.errors).toEqual(kz.errors);
    expect(kz.errors![0].message).toMatch(/your agency is in KG/);
    // Within the clinic's own country: the same answer for both records, whatever their country.
    const home = [(await refer(records.KZ, kgNgo.id)).data.referReturnee, (await refer(records.UZ, kgNgo.id)).data.referReturnee];
    expect(home).toEqual([
      expect.objectContaining({ crossBorder: false, status: 'PENDING' }),
      expect.objectContaining({ crossBorder: false, status: 'PENDING' }),
    ]);
  });
});

describe('what a referral shows', () => {
  it("shows a pending referral's addressee the record's reference, audited as a READ on the referral's basis, and nothing else of it", async () => {
    const orm = hub.db.orm;
    const social = await makeSectorUser(orm, 'SOCIAL');
    const clinic = await makeSectorUser(orm, 'HEALTH', ['SUPERVISOR']);
    const r = await makeReturnee(orm, social.agency);
    await giveConsent(orm, r, social);
    const referral = (
      await gql(hub, social.token, REFER, {
        input: { returneeId: r.id, toAgencyId: clinic.agency.id, service: 'health screening', reason: 'Arrival screening' },
      })
    ).data.referReturnee;

    const incoming = await gql(hub, clinic.token, INCOMING);
    expect(incoming.data.referrals.nodes).toEqual([
      { id: referral.id, status: 'PENDING', returnee: { id: r.id, caseNumber: r.caseNumber } },
    ]);
    const reads = (await auditRowsFor(clinic.staff.id)).filter((e) => e.action === 'READ');
    expect(reads.map((e) => [e.entity_type, e.entity_id, e.fields, e.reason])).toEqual([
      ['Referral', referral.id, ['id', 'status', 'returnee'], null],
      ['Returnee', r.id, ['id', 'caseNumber'], 'REFERRAL'],
    ]);
    // The record itself is not in the clinic's scope until it accepts.
    expect(errorCode(await gql(hub, clinic.token, 'query($id: ID!) { returnee(id: $id) { id caseNumber } }', { id: r.id }))).toBe(
      'NOT_FOUND',
    );
    expect(errorCode(await gql(hub, clinic.token, 'query($id: ID!) { caseAccesses(returneeId: $id) { id } }', { id: r.id }))).toBe(
      'NOT_FOUND',
    );
  });

  it("does not tell an agency that another agency's referral of the record is pending", async () => {
    const orm = hub.db.orm;
    const social = await makeSectorUser(orm, 'SOCIAL');
    const ngo = await makeSectorUser(orm, 'NGO');
    const clinic = await makeSectorUser(orm, 'HEALTH');
    const r = await makeReturnee(orm, social.agency);
    await grantAccess(orm, r, ngo.agency);
    await giveConsent(orm, r, social);
    const refer = (by: StaffFixture) =>
      gql(hub, by.token, REFER, {
        input: { returneeId: r.id, toAgencyId: clinic.agency.id, service: 'health screening', reason: 'Arrival screening' },
      });
    expect((await refer(social)).errors).toBeUndefined();
    expect((await refer(ngo)).data.referReturnee.status).toBe('PENDING');
    // Its own pending referral it knows of: a second one is a conflict.
    expect(errorCode(await refer(ngo))).toBe('CONFLICT');
  });
});
