import type { HubServer } from '../src/server';
import { auditRowsFor } from './support/audit';
import { giveConsent, grantAccess, makeAgency, makeReturnee, makeSectorUser, makeStaff } from './support/factories';
import { errorCode, gql, startHub } from './support/hub';

/** A supervisor of an agency that already sees a record may share it; nobody else may. */
const GRANT = `mutation($input: GrantCaseAccessInput!) { grantCaseAccess(input: $input) { id basis crossBorder agency { id } returneeId } }`;
const READ = 'query($id: ID!) { returnee(id: $id) { id givenName } }';

let hub: HubServer;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(() => hub.stop());

it('lets a supervisor of the registering agency share a record, which the other agency then sees', async () => {
  const orm = hub.db.orm;
  const supervisor = await makeSectorUser(orm, 'SOCIAL', ['SUPERVISOR']);
  const health = await makeSectorUser(orm, 'HEALTH');
  const r = await makeReturnee(orm, supervisor.agency);
  await giveConsent(orm, r, supervisor, ['HEALTH']);
  expect(errorCode(await gql(hub, health.token, READ, { id: r.id }))).toBe('NOT_FOUND');
  const res = await gql(hub, supervisor.token, GRANT, {
    input: { returneeId: r.id, agencyId: health.agency.id, reason: 'Health screening after arrival' },
  });
  expect(res.errors).toBeUndefined();
  expect(res.data.grantCaseAccess).toMatchObject({
    basis: 'GRANT',
    crossBorder: false,
    agency: { id: health.agency.id },
    returneeId: r.id,
  });
  expect((await gql(hub, health.token, READ, { id: r.id })).data.returnee.givenName).toBe('Aigerim');
  const id = res.data.grantCaseAccess.id;
  expect(await auditRowsFor(supervisor.staff.id)).toMatchObject([
    { action: 'CREATE', entity_type: 'CaseAccess', entity_id: id, returnee_id: r.id, outcome: 'SUCCESS' },
    {
      action: 'READ',
      entity_type: 'CaseAccess',
      entity_id: id,
      returnee_id: r.id,
      outcome: 'SUCCESS',
      fields: ['id', 'basis', 'crossBorder', 'agency', 'returneeId'],
    },
  ]);
  const again = await gql(hub, supervisor.token, GRANT, {
    input: { returneeId: r.id, agencyId: health.agency.id, reason: 'Health screening after arrival' },
  });
  expect(errorCode(again)).toBe('CONFLICT');
});

it('lets a supervisor of an agency that holds case access pass it on; refuses caseworkers', async () => {
  const orm = hub.db.orm;
  const registrar = await makeSectorUser(orm, 'SOCIAL');
  const healthAgency = await makeAgency(orm, 'HEALTH');
  const healthSupervisor = await makeStaff(orm, healthAgency, ['SUPERVISOR']);
  const healthCaseworker = await makeStaff(orm, healthAgency, ['CASEWORKER']);
  const education = await makeSectorUser(orm, 'EDUCATION');
  const r = await makeReturnee(orm, registrar.agency);
  await grantAccess(orm, r, healthAgency);
  const refused = await gql(hub, healthCaseworker.token, GRANT, {
    input: { returneeId: r.id, agencyId: education.agency.id, reason: 'School placement' },
  });
  expect(errorCode(refused)).toBe('FORBIDDEN');
  expect(await auditRowsFor(healthCaseworker.staff.id)).toMatchObject([{ action: 'DENY', entity_type: 'CaseAccess', returnee_id: r.id }]);
  const ok = await gql(hub, healthSupervisor.token, GRANT, {
    input: { returneeId: r.id, agencyId: education.agency.id, reason: 'School placement' },
  });
  expect(ok.errors).toBeUndefined();
});

it('answers NOT_FOUND to a supervisor whose agency does not see the record', async () => {
  const orm = hub.db.orm;
  const registrar = await makeSectorUser(orm, 'SOCIAL');
  const outsider = await makeSectorUser(orm, 'NGO', ['SUPERVISOR']);
  const r = await makeReturnee(orm, registrar.agency);
  const res = await gql(hub, outsider.token, GRANT, {
    input: { returneeId: r.id, agencyId: outsider.agency.id, reason: 'Let us in please' },
  });
  expect(errorCode(res)).toBe('NOT_FOUND');
});

it('refuses to cross a border unless the grant says so explicitly', async () => {
  const orm = hub.db.orm;
  const supervisor = await makeSectorUser(orm, 'SOCIAL', ['SUPERVISOR'], 'TJ');
  const uzHealth = await makeAgency(orm, 'HEALTH', 'UZ');
  const r = await makeReturnee(orm, supervisor.agency);
  const refused = await gql(hub, supervisor.token, GRANT, {
    input: { returneeId: r.id, agencyId: uzHealth.id, reason: 'Treatment in Tashkent' },
  });
  expect(errorCode(refused)).toBe('BAD_USER_INPUT');
  expect(refused.errors![0].message).toMatch(/crossBorder: true/);
  const ok = await gql(hub, supervisor.token, GRANT, {
    input: { returneeId: r.id, agencyId: uzHealth.id, reason: 'Treatment in Tashkent', crossBorder: true },
  });
  expect(ok.data.grantCaseAccess.crossBorder).toBe(true);
});

it('refuses to grant case access to oversight or administration agencies', async () => {
  const orm = hub.db.orm;
  const supervisor = await makeSectorUser(orm, 'SOCIAL', ['SUPERVISOR']);
  const oversight = await makeAgency(orm, 'OVERSIGHT');
  const r = await makeReturnee(orm, supervisor.agency);
  const res = await gql(hub, supervisor.token, GRANT, { input: { returneeId: r.id, agencyId: oversight.id, reason: 'Curious auditors' } });
  expect(errorCode(res)).toBe('BAD_USER_INPUT');
});
