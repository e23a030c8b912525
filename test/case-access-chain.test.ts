import type { HubServer } from '../src/server';
import { auditRowsFor } from './support/audit';
import { giveConsent, makeAgency, makeReturnee, makeStaff, type StaffFixture } from './support/factories';
import { errorCode, gql, sqlClient, startHub } from './support/hub';

/**
 * Access ends with its source, transitively (issue 11, defect 4): every access derived from a
 * referral or a grant ends when that source ends, in the same transaction, each with an UPDATE
 * event; grants can be revoked (revokeCaseAccess) by the agency that gave them or the one that
 * registered the record; a record's accesses can be listed by the agencies working on it.
 */
const REFER = `mutation($input: ReferReturneeInput!) { referReturnee(input: $input) { id } }`;
const ACCEPT = `mutation($input: DecideReferralInput!) { acceptReferral(input: $input) { id status } }`;
const CLOSE = `mutation($input: DecideReferralInput!) { closeReferral(input: $input) { id status } }`;
const GRANT = `mutation($input: GrantCaseAccessInput!) { grantCaseAccess(input: $input) { id derivedFromId active agency { id } } }`;
const REVOKE = `mutation($input: RevokeCaseAccessInput!) { revokeCaseAccess(input: $input) { id active revokedAt revocationReason } }`;
const ACCESSES = `query($id: ID!, $all: Boolean!) { caseAccesses(returneeId: $id, includeEnded: $all) { id basis active derivedFromId referralId revocationReason agency { id } } }`;
const READ = `query($id: ID!) { returnee(id: $id) { id } }`;

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

async function ok<T = any>(token: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const res = await gql(hub, token, query, variables);
  expect(res.errors).toBeUndefined();
  return res.data;
}

const refer = async (from: Team, to: Team, returneeId: string) =>
  (
    await ok(from.caseworker.token, REFER, {
      input: { returneeId, toAgencyId: to.supervisor.agency.id, service: 'support', reason: 'Needs support' },
    })
  ).referReturnee.id as string;
const grant = async (by: Team, to: Team, returneeId: string) =>
  (await ok(by.supervisor.token, GRANT, { input: { returneeId, agencyId: to.supervisor.agency.id, reason: 'Shared for the case' } }))
    .grantCaseAccess;

it('ends an access granted under a referral when SOCIAL closes that referral, as reported', async () => {
  const [social, ngo, edu] = [await team('SOCIAL'), await team('NGO'), await team('EDUCATION')];
  const r = await makeReturnee(hub.db.orm, social.supervisor.agency);
  await giveConsent(hub.db.orm, r, social.supervisor);
  const referral = await refer(social, ngo, r.id);
  await ok(ngo.supervisor.token, ACCEPT, { input: { id: referral } });
  await ok(ngo.supervisor.token, `mutation($input: GrantCaseAccessInput!) { grantCaseAccess(input: $input) { id } }`, {
    input: { returneeId: r.id, agencyId: edu.supervisor.agency.id, reason: 'School placement' },
  });
  await ok(social.supervisor.token, CLOSE, { input: { id: referral } });
  expect(errorCode(await gql(hub, ngo.caseworker.token, READ, { id: r.id }))).toBe('NOT_FOUND');
  expect(errorCode(await gql(hub, edu.caseworker.token, READ, { id: r.id }))).toBe('NOT_FOUND');
  const back = await gql(hub, edu.supervisor.token, `mutation($input: GrantCaseAccessInput!) { grantCaseAccess(input: $input) { id } }`, {
    input: { returneeId: r.id, agencyId: ngo.supervisor.agency.id, reason: 'Give it back' },
  });
  expect(errorCode(back)).toBe('NOT_FOUND');
});

it('scope chain: referral -> accept -> grant -> grant-back -> close ends every derived access', async () => {
  const [social, ngo, edu, health] = [await team('SOCIAL'), await team('NGO'), await team('EDUCATION'), await team('HEALTH')];
  const r = await makeReturnee(hub.db.orm, social.supervisor.agency);
  await giveConsent(hub.db.orm, r, social.supervisor);

  const referral = await refer(social, ngo, r.id);
  await ok(ngo.supervisor.token, ACCEPT, { input: { id: referral } });
  const [viaReferral] = (await ok(ngo.supervisor.token, ACCESSES, { id: r.id, all: false })).caseAccesses;
  const toEdu = await grant(ngo, edu, r.id);
  expect(toEdu.derivedFromId).toBe(viaReferral.id);
  const backToNgo = await grant(edu, ngo, r.id); // NGO now holds two accesses, one from each source
  const toHealth = await grant(edu, health, r.id);
  expect([backToNgo.derivedFromId, toHealth.derivedFromId]).toEqual([toEdu.id, toEdu.id]);
  for (const t of [ngo, edu, health]) expect((await gql(hub, t.caseworker.token, READ, { id: r.id })).data.returnee.id).toBe(r.id);

  await ok(social.supervisor.token, CLOSE, { input: { id: referral, note: 'Counselling complete' } });

  // Every agency whose access came through the referral loses the record …
  for (const t of [ngo, edu, health]) expect(errorCode(await gql(hub, t.caseworker.token, READ, { id: r.id }))).toBe('NOT_FOUND');
  // … and cannot give it back: EDUCATION no longer sees it to grant.
  expect(
    errorCode(
      await gql(hub, edu.supervisor.token, GRANT, {
        input: { returneeId: r.id, agencyId: ngo.supervisor.agency.id, reason: 'Give it back' },
      }),
    ),
  ).toBe('NOT_FOUND');
  const all = (await ok(social.supervisor.token, ACCESSES, { id: r.id, all: true })).caseAccesses;
  expect(all.map((a: any) => [a.id, a.active, a.revocationReason])).toEqual([
    [viaReferral.id, false, 'Referral closed'], // the note stays on the referral, for its two agencies
    [toEdu.id, false, `Ended with the access it derived from (${viaReferral.id})`],
    [backToNgo.id, false, `Ended with the access it derived from (${toEdu.id})`],
    [toHealth.id, false, `Ended with the access it derived from (${toEdu.id})`],
  ]);
  expect((await ok(social.supervisor.token, ACCESSES, { id: r.id, all: false })).caseAccesses).toEqual([]);
  // One UPDATE event per access ended, in the closing request, naming the source of each.
  const events = (await auditRowsFor(social.supervisor.staff.id)).filter((e) => e.operation === 'closeReferral');
  expect(events.map((e) => [e.action, e.entity_type, e.entity_id, e.reason])).toEqual([
    ['UPDATE', 'Referral', referral, null],
    ['UPDATE', 'CaseAccess', viaReferral.id, null],
    ['UPDATE', 'CaseAccess', toEdu.id, `ENDED_WITH_SOURCE ${viaReferral.id}`],
    ...[[backToNgo.id], [toHealth.id]].sort().map(([id]) => ['UPDATE', 'CaseAccess', id, `ENDED_WITH_SOURCE ${toEdu.id}`]),
    ['READ', 'Referral', referral, null],
  ]);
  expect(new Set(events.map((e) => e.request_id)).size).toBe(1);
});

it('keeps an access from a second source when one source ends, and revokes grants on request', async () => {
  const [social, ngo, health, edu] = [await team('SOCIAL'), await team('NGO'), await team('HEALTH'), await team('EDUCATION')];
  const r = await makeReturnee(hub.db.orm, social.supervisor.agency);
  await giveConsent(hub.db.orm, r, social.supervisor);
  const fromRegistrar = await grant(social, ngo, r.id);
  expect(fromRegistrar.derivedFromId).toBeNull();
  await grant(social, health, r.id);
  const referral = await refer(health, ngo, r.id);
  await ok(ngo.supervisor.token, ACCEPT, { input: { id: referral } }); // NGO already sees it: the referral still gives its own access
  const ngoAccesses = (await ok(ngo.supervisor.token, ACCESSES, { id: r.id, all: false })).caseAccesses.filter(
    (a: any) => a.agency.id === ngo.supervisor.agency.id,
  );
  expect(ngoAccesses.map((a: any) => a.basis)).toEqual(['GRANT', 'REFERRAL']);

  await ok(health.supervisor.token, CLOSE, { input: { id: referral } });
  expect((await gql(hub, ngo.caseworker.token, READ, { id: r.id })).data.returnee.id).toBe(r.id); // the grant remains

  const toEdu = await grant(ngo, edu, r.id);
  // Only a supervisor of the agency that gave an access, or of the registering agency, revokes it.
  for (const who of [health.supervisor, ngo.caseworker]) {
    const res = await gql(hub, who.token, REVOKE, { input: { id: toEdu.id, reason: 'Not ours to end' } });
    expect(errorCode(res)).toBe('FORBIDDEN');
    expect((await auditRowsFor(who.staff.id)).at(-1)).toMatchObject({ action: 'DENY', entity_type: 'CaseAccess', entity_id: toEdu.id });
  }
  const revoked = await ok(social.supervisor.token, REVOKE, { input: { id: fromRegistrar.id, reason: 'Programme finished' } });
  expect(revoked.revokeCaseAccess).toMatchObject({ id: fromRegistrar.id, active: false, revocationReason: 'Programme finished' });
  for (const t of [ngo, edu]) expect(errorCode(await gql(hub, t.caseworker.token, READ, { id: r.id }))).toBe('NOT_FOUND');
  expect(
    (await auditRowsFor(social.supervisor.staff.id))
      .filter((e) => e.operation === 'revokeCaseAccess')
      .map((e) => [e.action, e.entity_id, e.fields]),
  ).toEqual([
    ['UPDATE', fromRegistrar.id, ['revokedAt', 'revocationReason']],
    ['UPDATE', toEdu.id, ['revokedAt', 'revocationReason']],
    ['READ', fromRegistrar.id, ['id', 'active', 'revokedAt', 'revocationReason']],
  ]);
  expect(
    errorCode(await gql(hub, social.supervisor.token, REVOKE, { input: { id: fromRegistrar.id, reason: 'Programme finished' } })),
  ).toBe('CONFLICT');
});

it('lets the giving agency revoke its grant; revoking an access from a referral closes the referral', async () => {
  const [social, ngo, edu] = [await team('SOCIAL'), await team('NGO'), await team('EDUCATION')];
  const r = await makeReturnee(hub.db.orm, social.supervisor.agency);
  await giveConsent(hub.db.orm, r, social.supervisor);
  const referral = await refer(social, ngo, r.id);
  await ok(ngo.supervisor.token, ACCEPT, { input: { id: referral } });
  const toEdu = await grant(ngo, edu, r.id);
  await ok(ngo.supervisor.token, REVOKE, { input: { id: toEdu.id, reason: 'Placement found elsewhere' } });
  expect(errorCode(await gql(hub, edu.caseworker.token, READ, { id: r.id }))).toBe('NOT_FOUND');
  expect((await gql(hub, ngo.caseworker.token, READ, { id: r.id })).data.returnee.id).toBe(r.id);

  const [viaReferral] = (await ok(social.supervisor.token, ACCESSES, { id: r.id, all: false })).caseAccesses;
  await ok(social.supervisor.token, REVOKE, { input: { id: viaReferral.id, reason: 'Case moved to another NGO' } });
  const referrals = await ok(social.supervisor.token, '{ referrals(filter: { direction: OUTGOING }) { nodes { id status } } }', {});
  expect(referrals.referrals.nodes).toEqual([{ id: referral, status: 'CLOSED' }]);
  // A referral whose referring agency lost the record can no longer be accepted.
  const lateGrant = await grant(social, edu, r.id);
  const onward = await refer(edu, ngo, r.id);
  await ok(social.supervisor.token, REVOKE, { input: { id: lateGrant.id, reason: 'School year over' } });
  const stale = await gql(hub, ngo.supervisor.token, ACCEPT, { input: { id: onward } });
  expect(errorCode(stale)).toBe('CONFLICT');
  expect(stale.errors![0].message).toMatch(/referring agency no longer has access/);
  await ok(ngo.supervisor.token, `mutation($input: DecideReferralInput!) { declineReferral(input: $input) { id } }`, {
    input: { id: onward, note: 'Referrer left the case' },
  });
  const again = await refer(social, ngo, r.id);
  expect((await ok(ngo.supervisor.token, ACCEPT, { input: { id: again } })).acceptReferral.status).toBe('ACCEPTED');
});

it('answers NOT_FOUND for accesses of records out of scope, exactly as for missing ones, and audits listing', async () => {
  const [social, health] = [await team('SOCIAL'), await team('HEALTH')];
  const outsider = await team('SOCIAL');
  const r = await makeReturnee(hub.db.orm, social.supervisor.agency);
  const access = await grant(social, health, r.id);
  const missing = await gql(hub, outsider.supervisor.token, REVOKE, {
    input: { id: '00000000-0000-4000-8000-000000000000', reason: 'Probe probe' },
  });
  const hidden = await gql(hub, outsider.supervisor.token, REVOKE, { input: { id: access.id, reason: 'Probe probe' } });
  expect(errorCode(hidden)).toBe('NOT_FOUND');
  expect(hidden.errors).toEqual(missing.errors);
  expect(errorCode(await gql(hub, outsider.caseworker.token, ACCESSES, { id: r.id, all: true }))).toBe('NOT_FOUND');
  const listed = await ok(health.caseworker.token, ACCESSES, { id: r.id, all: false });
  expect(listed.caseAccesses.map((a: any) => a.id)).toEqual([access.id]);
  expect((await auditRowsFor(health.caseworker.staff.id)).at(-1)).toMatchObject({
    action: 'READ',
    entity_type: 'CaseAccess',
    entity_id: access.id,
    returnee_id: r.id,
    outcome: 'SUCCESS',
    fields: ['id', 'basis', 'active', 'derivedFromId', 'referralId', 'revocationReason', 'agency'],
  });
  const admin = (await makeStaff(hub.db.orm, await makeAgency(hub.db.orm, 'ADMINISTRATION'), ['ADMIN'])).token;
  expect(errorCode(await gql(hub, admin, ACCESSES, { id: r.id, all: true }))).toBe('FORBIDDEN');
});

it('never leaves an access derived from one that ended, when grants race the end of their source', async () => {
  const [social, ngo, edu, health] = [await team('SOCIAL'), await team('NGO'), await team('EDUCATION'), await team('HEALTH')];
  const records: string[] = [];
  for (let i = 0; i < 6; i++) {
    const r = await makeReturnee(hub.db.orm, social.supervisor.agency);
    records.push(r.id);
    await giveConsent(hub.db.orm, r, social.supervisor);
    const referral = await refer(social, ngo, r.id);
    await ok(ngo.supervisor.token, ACCEPT, { input: { id: referral } });
    // NGO shares the record with two agencies while SOCIAL closes the referral it came from.
    const racing = await Promise.all([
      gql(hub, ngo.supervisor.token, GRANT, {
        input: { returneeId: r.id, agencyId: edu.supervisor.agency.id, reason: 'School placement' },
      }),
      gql(hub, social.supervisor.token, CLOSE, { input: { id: referral } }),
      gql(hub, ngo.supervisor.token, GRANT, { input: { returneeId: r.id, agencyId: health.supervisor.agency.id, reason: 'Screening' } }),
    ]);
    expect(racing[1].errors).toBeUndefined();
    for (const g of [racing[0], racing[2]]) expect([undefined, 'NOT_FOUND']).toContain(errorCode(g));
  }
  const c = await sqlClient();
  try {
    const { rows } = await c.query(
      `select a.id from case_access a join case_access s on s.id = a.derived_from_id
      where a.returnee_id = any($1) and a.revoked_at is null and s.revoked_at is not null`,
      [records],
    );
    expect(rows).toEqual([]);
    const { rows: active } = await c.query(
      'select count(*)::int as n from case_access where returnee_id = any($1) and revoked_at is null',
      [records],
    );
    expect(active[0].n).toBe(0);
  } finally {
    await c.end();
  }
});
