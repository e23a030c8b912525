import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { HubServer } from '../src/server';
import { auditRowsFor, type AuditRow } from './support/audit';
import { giveConsent, makeAgency, makeReturnee, makeStaff, type StaffFixture } from './support/factories';
import { errorCode, gql, sqlClient, startHub, type GqlResponse } from './support/hub';

/**
 * A replay answers only what the caller may read now (issue 11, defect 10): a mutation retried
 * with its Idempotency-Key shows its record through the same scoped, projected, audited read
 * as a fresh query, so after the caller lost the record the replay is NOT_FOUND, after a field
 * was withdrawn it is redacted, and it leaves the same READ event a fresh read would.
 * One case per mutation whose response is an object other than a returnee.
 */
let hub: HubServer;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(() => hub.stop());

type Team = { caseworker: StaffFixture; supervisor: StaffFixture };
async function team(sector: 'SOCIAL' | 'HEALTH' | 'EDUCATION' | 'NGO'): Promise<Team> {
  const agency = await makeAgency(hub.db.orm, sector);
  return {
    caseworker: await makeStaff(hub.db.orm, agency, ['CASEWORKER']),
    supervisor: await makeStaff(hub.db.orm, agency, ['SUPERVISOR']),
  };
}

async function ok<T = any>(token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await gql(hub, token, query, variables);
  expect(res.errors).toBeUndefined();
  return res.data;
}

/** Sends a mutation under `key` as request `requestId`. */
const send = (who: StaffFixture, query: string, variables: Record<string, unknown>, key: string, requestId = randomUUID()) =>
  gql(hub, who.token, query, variables, { 'idempotency-key': key, 'x-request-id': requestId });

/** The replay's answer and the events of the replaying request. */
async function replay(
  who: StaffFixture,
  query: string,
  variables: Record<string, unknown>,
  key: string,
): Promise<{ res: GqlResponse; events: AuditRow[] }> {
  const res = await send(who, query, variables, key);
  // The hub names the request (a client's X-Request-Id is only a correlation id): read it from the answer.
  const requestId = res.headers.get('x-request-id');
  return { res, events: (await auditRowsFor(who.staff.id)).filter((e) => e.request_id === requestId) };
}

const REFER = `mutation($input: ReferReturneeInput!) { referReturnee(input: $input) { id status returnee { id caseNumber } } }`;
const ACCEPT = `mutation($input: DecideReferralInput!) { acceptReferral(input: $input) { id status } }`;
const DECLINE = `mutation($input: DecideReferralInput!) { declineReferral(input: $input) { id status decisionNote } }`;
const CLOSE = `mutation($input: DecideReferralInput!) { closeReferral(input: $input) { id status } }`;
const RECORD = `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id active revokedAt } }`;
const RECORD_GUARDIAN = `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id active revokedAt guardianName redactedFields } }`;
const REVOKE = `mutation($input: RevokeConsentInput!) { revokeConsent(input: $input) { id active revokedAt } }`;
const GRANT = `mutation($input: GrantCaseAccessInput!) { grantCaseAccess(input: $input) { id revokedAt } }`;
const REVOKE_ACCESS = `mutation($input: RevokeCaseAccessInput!) { revokeCaseAccess(input: $input) { id active } }`;
const REFERRALS = `{ referrals(first: 100) { nodes { id status decisionNote returnee { id caseNumber } } } }`;

/** A record registered by SOCIAL, consented for every sector, that NGO works on through an accepted referral. */
async function ngoCase(overrides = {}) {
  const [social, ngo] = [await team('SOCIAL'), await team('NGO')];
  const r = await makeReturnee(hub.db.orm, social.supervisor.agency, overrides);
  const consent = await giveConsent(hub.db.orm, r, social.supervisor);
  const { referReturnee } = await ok(social.caseworker.token, REFER, {
    input: { returneeId: r.id, toAgencyId: ngo.supervisor.agency.id, service: 'counselling', reason: 'After return' },
  });
  await ok(ngo.supervisor.token, ACCEPT, { input: { id: referReturnee.id } });
  const closeReferral = () => ok(social.supervisor.token, CLOSE, { input: { id: referReturnee.id } });
  return { social, ngo, r, consent, referral: referReturnee.id as string, closeReferral };
}

function expectNotFoundReplay({ res, events }: { res: GqlResponse; events: AuditRow[] }, entityType: string) {
  expect(errorCode(res)).toBe('NOT_FOUND');
  expect(events.map((e) => [e.action, e.outcome])).toEqual([
    ...events.filter((e) => e.outcome === 'REPLAYED').map(() => ['READ', 'REPLAYED']),
    ['READ', 'NOT_FOUND'],
  ]);
  expect(events.at(-1)).toMatchObject({ entity_type: entityType });
}

describe('a replay after the caller lost the record is NOT_FOUND', () => {
  it('recordConsent', async () => {
    const c = await ngoCase();
    const key = randomUUID();
    const input = { returneeId: c.r.id, givenBy: 'SELF', sectors: ['NGO'], sections: ['HEALTH_FLAGS'], purpose: 'Group sessions' };
    const first = await send(c.ngo.caseworker, RECORD, { input }, key);
    expect(first.data.recordConsent).toMatchObject({ active: true, revokedAt: null });
    await ok(c.social.caseworker.token, REVOKE, { input: { id: first.data.recordConsent.id, reason: 'Withdrawn by the returnee' } });
    await c.closeReferral();
    expectNotFoundReplay(await replay(c.ngo.caseworker, RECORD, { input }, key), 'Consent');
  });

  it('revokeConsent', async () => {
    const c = await ngoCase();
    const key = randomUUID();
    const input = { id: c.consent.id, reason: 'Withdrawn by the returnee' };
    expect((await send(c.ngo.caseworker, REVOKE, { input }, key)).data.revokeConsent.active).toBe(false);
    await c.closeReferral();
    expectNotFoundReplay(await replay(c.ngo.caseworker, REVOKE, { input }, key), 'Consent');
  });

  it('grantCaseAccess', async () => {
    const c = await ngoCase();
    const edu = await team('EDUCATION');
    const key = randomUUID();
    const input = { returneeId: c.r.id, agencyId: edu.supervisor.agency.id, reason: 'School placement' };
    expect((await send(c.ngo.supervisor, GRANT, { input }, key)).data.grantCaseAccess.revokedAt).toBeNull();
    await c.closeReferral();
    expectNotFoundReplay(await replay(c.ngo.supervisor, GRANT, { input }, key), 'CaseAccess');
  });

  it('revokeCaseAccess', async () => {
    const c = await ngoCase();
    const edu = await team('EDUCATION');
    const { grantCaseAccess } = await ok(c.ngo.supervisor.token, GRANT, {
      input: { returneeId: c.r.id, agencyId: edu.supervisor.agency.id, reason: 'School placement' },
    });
    const key = randomUUID();
    const input = { id: grantCaseAccess.id, reason: 'Placement found elsewhere' };
    expect((await send(c.ngo.supervisor, REVOKE_ACCESS, { input }, key)).data.revokeCaseAccess.active).toBe(false);
    await c.closeReferral();
    expectNotFoundReplay(await replay(c.ngo.supervisor, REVOKE_ACCESS, { input }, key), 'CaseAccess');
  });
});

it('a replay of recordConsent redacts the guardian once the caller may no longer read it', async () => {
  const c = await ngoCase({ dateOfBirth: '2015-06-01', guardianName: 'Gulnara Saidova' });
  // The guardian shared the contact section with the NGO, so its caseworker can see who consents.
  const contact = await giveConsent(hub.db.orm, c.r, c.social.supervisor, ['NGO'], ['CONTACT']);
  const key = randomUUID();
  const input = {
    returneeId: c.r.id,
    givenBy: 'GUARDIAN',
    guardianName: 'Gulnara Saidova',
    sectors: ['NGO'],
    sections: ['HEALTH_FLAGS'],
    purpose: 'Group sessions',
  };
  expect((await send(c.ngo.caseworker, RECORD_GUARDIAN, { input }, key)).data.recordConsent).toMatchObject({
    guardianName: 'Gulnara Saidova',
    redactedFields: [],
  });
  // Every consent that shared the contact section with the NGO is withdrawn.
  for (const id of [contact.id, c.consent.id])
    await ok(c.social.caseworker.token, REVOKE, { input: { id, reason: 'Withdrawn by the guardian' } });
  const { res, events } = await replay(c.ngo.caseworker, RECORD_GUARDIAN, { input }, key);
  expect(res.data.recordConsent).toMatchObject({ guardianName: null, redactedFields: ['guardianReturneeId', 'guardianName'] });
  expect(events.at(-1)).toMatchObject({
    action: 'READ',
    entity_type: 'Consent',
    outcome: 'SUCCESS',
    fields: ['id', 'active', 'revokedAt'],
    denied_fields: ['guardianName'],
  });
});

describe('a replay of a referral decision shows the referral as a fresh read does, audited as one', () => {
  const node = async (who: StaffFixture, id: string) =>
    (await ok(who.token, REFERRALS)).referrals.nodes.find((n: { id: string }) => n.id === id);

  it.each([
    ['referReturnee', REFER],
    ['acceptReferral', ACCEPT],
    ['declineReferral', DECLINE],
    ['closeReferral', CLOSE],
  ] as const)('%s', async (name, mutation) => {
    const [social, health] = [await team('SOCIAL'), await team('HEALTH')];
    const r = await makeReturnee(hub.db.orm, social.supervisor.agency);
    await giveConsent(hub.db.orm, r, social.supervisor);
    const referInput = { returneeId: r.id, toAgencyId: health.supervisor.agency.id, service: 'screening', reason: 'Arrival screening' };
    const key = randomUUID();
    let who = social.caseworker;
    let vars: Record<string, unknown> = { input: referInput };
    if (name === 'referReturnee') {
      const first = await send(who, mutation, vars, key);
      await ok(health.supervisor.token, DECLINE, { input: { id: first.data.referReturnee.id, note: 'No capacity' } });
    } else {
      const id = (await ok(social.caseworker.token, REFER, vars)).referReturnee.id;
      if (name === 'closeReferral') await ok(health.supervisor.token, ACCEPT, { input: { id } });
      who = name === 'closeReferral' ? social.supervisor : health.supervisor;
      vars = { input: { id, note: 'Decided' } };
      expect((await send(who, mutation, vars, key)).errors).toBeUndefined();
      if (name === 'acceptReferral') await ok(social.supervisor.token, CLOSE, { input: { id } });
    }
    const { res, events } = await replay(who, mutation, vars, key);
    const shown = res.data[name];
    expect(shown).toMatchObject({ status: (await node(who, shown.id)).status });
    if (name !== 'declineReferral') expect(shown.status).toBe(name === 'referReturnee' ? 'DECLINED' : 'CLOSED');
    // As the referrals query: a READ of the referral and, for the reference it shows, of the record on the referral's basis.
    const reads = [
      ['READ', 'Referral', 'SUCCESS', null],
      ...(mutation.includes('returnee {') ? [['READ', 'Returnee', 'SUCCESS', 'REFERRAL']] : []),
    ];
    expect(events.slice(-reads.length).map((e) => [e.action, e.entity_type, e.outcome, e.reason])).toEqual(reads);
    expect(events.filter((e) => e.outcome === 'REPLAYED').length).toBeGreaterThan(0);
  });
});

describe("a replay of an administrator's mutation needs the administrator's role now", () => {
  async function demote(staffId: string) {
    const c = await sqlClient();
    try {
      await c.query(`update staff_member set roles = '{}' where id = $1`, [staffId]);
    } finally {
      await c.end();
    }
    // A change by hand in SQL reaches the hub's actor cache as a notification: wait until it is heard.
    await hub.runtime.actors?.sync();
  }

  it.each([
    ['createStaffMember', `mutation($input: CreateStaffMemberInput!) { createStaffMember(input: $input) { id username active } }`],
    ['deactivateStaffMember', `mutation($id: ID!) { deactivateStaffMember(id: $id) { id username active } }`],
  ] as const)('%s', async (name, mutation) => {
    const admins = await makeAgency(hub.db.orm, 'ADMINISTRATION');
    const admin = await makeStaff(hub.db.orm, admins, ['ADMIN']);
    const target = await makeStaff(hub.db.orm, await makeAgency(hub.db.orm, 'HEALTH'), ['CASEWORKER']);
    const vars =
      name === 'createStaffMember'
        ? {
            input: {
              username: `replay-${randomUUID().slice(0, 8)}`,
              displayName: 'Replay Test',
              agencyId: target.agency.id,
              roles: ['CASEWORKER'],
            },
          }
        : { id: target.staff.id };
    const key = randomUUID();
    const first = await send(admin, mutation, vars, key);
    expect(first.data[name]).toMatchObject({ active: name === 'createStaffMember' });
    const again = await replay(admin, mutation, vars, key);
    expect(again.res.data).toEqual(first.data);
    expect(again.events.at(-1)).toMatchObject({ action: 'READ', entity_type: 'StaffMember', outcome: 'SUCCESS' });
    await demote(admin.staff.id);
    const after = await replay(admin, mutation, vars, key);
    expect(errorCode(after.res)).toBe('FORBIDDEN');
    expect(after.events.at(-1)).toMatchObject({ action: 'DENY', entity_type: 'StaffMember' });
  });
});

it('a replay of createAgency shows the agency as the directory does, audited as a read', async () => {
  const admin = await makeStaff(hub.db.orm, await makeAgency(hub.db.orm, 'ADMINISTRATION'), ['ADMIN']);
  const CREATE = `mutation($input: CreateAgencyInput!) { createAgency(input: $input) { id code sector country } }`;
  const vars = { input: { code: `replay-${randomUUID().slice(0, 8)}`, name: 'Replay clinic', sector: 'HEALTH', country: 'KZ' } };
  const key = randomUUID();
  const first = await send(admin, CREATE, vars, key);
  const { res, events } = await replay(admin, CREATE, vars, key);
  expect(res.data).toEqual(first.data);
  const listed = (await ok(admin.token, '{ agencies(filter: { country: "KZ" }) { id code sector country } }')).agencies;
  expect(listed).toContainEqual(res.data.createAgency);
  expect(events.at(-1)).toMatchObject({ action: 'READ', entity_type: 'Agency', entity_id: res.data.createAgency.id, outcome: 'SUCCESS' });
});

it('every mutation shows its result through a read: op.once yields an id, never a loaded entity', () => {
  const src = path.resolve(__dirname, '../src');
  const resolvers = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.resolver.ts'));
  const unread: string[] = [];
  for (const file of resolvers) {
    for (const block of readFileSync(path.join(src, file), 'utf8').split('@Mutation(').slice(1)) {
      const body = block.split(/@(Query|Mutation|FieldResolver)\(/)[0];
      // A mutation answering a scalar (a count, a flag) shows no object: nothing to read back.
      if (/^\(\) => (Int|Boolean)\b/.test(block)) continue;
      if (!/\bread\w*OrThrow\(/.test(body)) unread.push(`${file}: ${/async (\w+)\(/.exec(body)?.[1] ?? '?'}`);
    }
  }
  expect(unread).toEqual([]);
  expect(readFileSync(path.join(src, 'request/idempotency.ts'), 'utf8')).not.toMatch(/findOne|em\.find/);
});
