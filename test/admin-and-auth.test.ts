import { SignJWT } from 'jose';
import { healthPolicy } from '../policies/health.policy';
import { POLICIES } from '../policies';
import type { Sector } from '../src/access/policy';
import { SECTION_FIELDS, type Section } from '../src/access/sections';
import type { HubServer } from '../src/server';
import { auditRowsFor } from './support/audit';
import { makeAgency, makeSectorUser, makeStaff } from './support/factories';
import { errorCode, gql, startHub, TEST_JWT_SECRET, tokenFor } from './support/hub';

/** Sign-in per the contract, the bootstrap admin, and administration of agencies and staff. */
let hub: HubServer;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(() => hub.stop());

const ME =
  '{ me { staff { username roles agency { sector } } readableSections writableSections canRegisterReturnees canGrantCaseAccess canManageStaff canReadAuditTrail } }';

describe('authentication', () => {
  it('bootstraps the ADMIN named by HUB_BOOTSTRAP_ADMIN in an ADMINISTRATION agency', async () => {
    const res = await gql(hub, await tokenFor('admin'), ME);
    expect(res.data.me).toMatchObject({
      staff: { username: 'admin', roles: ['ADMIN'], agency: { sector: 'ADMINISTRATION' } },
      readableSections: [],
      canManageStaff: true,
    });
  });

  it('describes what a sector may do, read from the compiled policy', async () => {
    const health = await makeSectorUser(hub.db.orm, 'HEALTH', ['SUPERVISOR']);
    const res = await gql(hub, health.token, ME);
    const withFields = (sections: string[]) => sections.filter((s) => SECTION_FIELDS[s as Section].length > 0);
    expect(res.data.me).toMatchObject({
      readableSections: withFields(Object.keys(healthPolicy.sections)),
      writableSections: withFields(
        Object.entries(healthPolicy.sections)
          .filter(([, a]) => a === 'write')
          .map(([s]) => s),
      ),
      canRegisterReturnees: false,
      canGrantCaseAccess: true,
      canManageStaff: false,
      canReadAuditTrail: false,
    });
  });

  // Generated from the policy files: a sector gains or loses consent recording there, and `me` follows.
  it.each(Object.entries(POLICIES).filter(([, p]) => p.recordScope === 'case'))(
    "says whether %s caseworkers may record consent, as the policy's consentRoles do",
    async (sector, policy) => {
      const user = await makeSectorUser(hub.db.orm, sector as Sector, ['CASEWORKER']);
      const res = await gql(hub, user.token, '{ me { canRecordConsent } }');
      expect(res.data.me.canRecordConsent).toBe(policy.consentRoles.includes('CASEWORKER'));
    },
  );

  it('refuses a request without a token as UNAUTHENTICATED', async () => {
    expect(errorCode(await gql(hub, undefined, ME))).toBe('UNAUTHENTICATED');
  });

  it.each([
    [
      'a token signed with another key',
      async () =>
        new SignJWT({})
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('admin')
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode('another-secret-another-secret-another')),
      /not valid/,
    ],
    [
      'a token without exp',
      async () => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('admin').sign(new TextEncoder().encode(TEST_JWT_SECRET)),
      /exp/,
    ],
    ['an expired token', async () => tokenFor('admin', -10), /expired/],
    [
      'an alg:none token',
      async () =>
        `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'admin', exp: 9999999999 })).toString('base64url')}.`,
      /not valid/,
    ],
    ['a token for an unknown user', async () => tokenFor('nobody-at-all'), /no active staff member/],
  ])('refuses %s as UNAUTHENTICATED with a reason', async (_name, make, message) => {
    const res = await gql(hub, await make(), ME);
    expect(errorCode(res)).toBe('UNAUTHENTICATED');
    expect(res.errors![0].message).toMatch(message);
    expect(res.status).toBe(401);
  });

  it('answers with the request id and records it and the purpose of use on audit events', async () => {
    const user = await makeSectorUser(hub.db.orm, 'NGO');
    const res = await gql(hub, user.token, ME, {}, { 'x-purpose-of-use': 'Monthly case conference' });
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await auditRowsFor(user.staff.id)).toMatchObject([
      { request_id: requestId, purpose: 'Monthly case conference', operation: 'me' },
    ]);
  });

  it('refuses an over-long purpose of use with BAD_USER_INPUT', async () => {
    const user = await makeSectorUser(hub.db.orm, 'NGO');
    expect(errorCode(await gql(hub, user.token, ME, {}, { 'x-purpose-of-use': 'x'.repeat(201) }))).toBe('BAD_USER_INPUT');
  });
});

describe('administration', () => {
  const CREATE_AGENCY = 'mutation($input: CreateAgencyInput!) { createAgency(input: $input) { id code sector country } }';
  const CREATE_STAFF = 'mutation($input: CreateStaffMemberInput!) { createStaffMember(input: $input) { id username active roles } }';
  const DEACTIVATE = 'mutation($id: ID!) { deactivateStaffMember(id: $id) { id active } }';

  it('lets an administrator onboard an agency and its staff, audited', async () => {
    const admin = await makeStaff(hub.db.orm, await makeAgency(hub.db.orm, 'ADMINISTRATION'), ['ADMIN']);
    const code = `kg-osh-health-${Date.now()}`;
    const agency = await gql(hub, admin.token, CREATE_AGENCY, {
      input: { code, name: 'Osh City Polyclinic', sector: 'HEALTH', country: 'KG' },
    });
    expect(agency.errors).toBeUndefined();
    const username = `osh-nurse-${Date.now()}`;
    const staff = await gql(hub, admin.token, CREATE_STAFF, {
      input: { username, displayName: 'Gulnara A.', agencyId: agency.data.createAgency.id, roles: ['CASEWORKER'] },
    });
    expect(staff.data.createStaffMember).toMatchObject({ username, active: true, roles: ['CASEWORKER'] });
    const me = await gql(hub, await tokenFor(username), ME);
    expect(me.data.me.staff.agency.sector).toBe('HEALTH');
    const events = await auditRowsFor(admin.staff.id);
    // Each mutation's response is a read of what it created, audited like any read.
    expect(events.map((e) => [e.action, e.entity_type])).toEqual([
      ['CREATE', 'Agency'],
      ['READ', 'Agency'],
      ['CREATE', 'StaffMember'],
      ['READ', 'StaffMember'],
    ]);
  });

  it('refuses roles that do not fit the agency, duplicate codes and bad input', async () => {
    const admin = await makeStaff(hub.db.orm, await makeAgency(hub.db.orm, 'ADMINISTRATION'), ['ADMIN']);
    const health = await makeAgency(hub.db.orm, 'HEALTH');
    const wrongRole = await gql(hub, admin.token, CREATE_STAFF, {
      input: { username: `x-${Date.now()}`, displayName: 'X Y', agencyId: health.id, roles: ['AUDITOR'] },
    });
    expect(errorCode(wrongRole)).toBe('BAD_USER_INPUT');
    const dup = await gql(hub, admin.token, CREATE_AGENCY, { input: { code: health.code, name: 'Dup', sector: 'HEALTH', country: 'KZ' } });
    expect(errorCode(dup)).toBe('CONFLICT');
    const bad = await gql(hub, admin.token, CREATE_AGENCY, {
      input: { code: 'Bad Code!', name: 'x', sector: 'HEALTH', country: 'Kazakhstan' },
    });
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors![0].message).toMatch(/code/);
    expect(bad.errors![0].message).toMatch(/country/);
  });

  it.each(['HEALTH', 'EDUCATION', 'SOCIAL', 'NGO', 'OVERSIGHT'] as const)(
    'refuses %s staff who try to administer, and audits it',
    async (sector) => {
      const user = await makeSectorUser(hub.db.orm, sector, sector === 'OVERSIGHT' ? ['AUDITOR'] : ['SUPERVISOR']);
      const res = await gql(hub, user.token, CREATE_AGENCY, {
        input: { code: `nope-${Date.now()}`, name: 'Nope', sector: 'NGO', country: 'KZ' },
      });
      expect(errorCode(res)).toBe('FORBIDDEN');
      expect(errorCode(await gql(hub, user.token, DEACTIVATE, { id: user.staff.id }))).toBe('FORBIDDEN');
      const events = await auditRowsFor(user.staff.id);
      expect(events.map((e) => [e.action, e.outcome, e.entity_type])).toEqual([
        ['DENY', 'DENIED', 'Agency'],
        ['DENY', 'DENIED', 'StaffMember'],
      ]);
    },
  );

  it('deactivation locks the account out on its next request', async () => {
    const admin = await makeStaff(hub.db.orm, await makeAgency(hub.db.orm, 'ADMINISTRATION'), ['ADMIN']);
    const user = await makeSectorUser(hub.db.orm, 'HEALTH');
    expect((await gql(hub, user.token, ME)).errors).toBeUndefined();
    const res = await gql(hub, admin.token, DEACTIVATE, { id: user.staff.id });
    expect(res.data.deactivateStaffMember.active).toBe(false);
    const after = await gql(hub, user.token, ME);
    expect(errorCode(after)).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql(hub, admin.token, DEACTIVATE, { id: admin.staff.id }))).toBe('BAD_USER_INPUT');
  });

  it('lists the agency directory for any signed-in user, audited per agency', async () => {
    const user = await makeSectorUser(hub.db.orm, 'EDUCATION', ['CASEWORKER'], 'TJ');
    const res = await gql(hub, user.token, '{ agencies(filter: { country: "TJ", sector: EDUCATION }) { id code country } }');
    expect(res.data.agencies.map((a: any) => a.id)).toContain(user.agency.id);
    expect(res.data.agencies.every((a: any) => a.country === 'TJ')).toBe(true);
    const events = await auditRowsFor(user.staff.id);
    expect(events).toHaveLength(res.data.agencies.length);
  });
});
