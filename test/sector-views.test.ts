import { ALL_RETURNEE_FIELDS, fieldsOfSections, Section } from '../src/access/sections';
import { POLICIES } from '../policies';
import type { HubServer } from '../src/server';
import { auditRowsFor } from './support/audit';
import {
  addAssessment,
  giveConsent,
  grantAccess,
  makeAgency,
  makeReturnee,
  makeSectorUser,
  makeStaff,
  type StaffFixture,
} from './support/factories';
import { errorCode, gql, startHub } from './support/hub';

/**
 * Each sector's view of one returnee over real HTTP, checked against the policy files: the
 * fields a sector may read carry values, every other field is null and listed in
 * redactedFields, and the READ audit event names exactly the fields returned.
 */
const RETURNEE_QUERY = `query Read($id: ID!) { returnee(id: $id) {
  id caseNumber version redactedFields
  givenName familyName patronymic otherNames sex dateOfBirth dateOfBirthEstimated placeOfBirth citizenship
  returnedOn returnedFrom status isMinor country registeringAgency { code } createdAt updatedAt
  region district address phone guardianReturneeId guardianName guardianRelation
  healthAssessments { id findings mentalHealthNotes agency { code } }
  followUpNeeded fitForSchool accommodationsNeeded
} }`;

const CASE_SECTORS = ['HEALTH', 'EDUCATION', 'SOCIAL', 'NGO'] as const;
// Fields the fixture fills (sections of this slice); a readable one must carry a value.
const EMPTY_IN_FIXTURE = new Set(['patronymic', 'guardianReturneeId', 'guardianName', 'guardianRelation']);
const FILLED = new Set(
  fieldsOfSections([Section.REFERENCE, Section.IDENTITY, Section.CONTACT, Section.HEALTH, Section.HEALTH_FLAGS]).filter(
    (f) => !EMPTY_IN_FIXTURE.has(f),
  ),
);

function expectedReadable(sector: keyof typeof POLICIES): Set<string> {
  // The fixture holds no data-sharing agreement: a section the policy shares only under one
  // and a consent stays closed (test/sharing-agreement.test.ts opens it).
  const policy = POLICIES[sector];
  const sections = (Object.keys(policy.sections) as Section[]).filter((s) => policy.agreements?.[s]?.consent !== 'also');
  return new Set(fieldsOfSections([Section.REFERENCE, ...sections]));
}

let hub: HubServer;
let registrar: StaffFixture;
let returneeId: string;
const users: Record<string, StaffFixture> = {};

beforeAll(async () => {
  hub = await startHub();
  const orm = hub.db.orm;
  registrar = await makeSectorUser(orm, 'SOCIAL');
  const returnee = await makeReturnee(orm, registrar.agency);
  returneeId = returnee.id;
  for (const sector of CASE_SECTORS) {
    users[sector] = sector === 'SOCIAL' ? registrar : await makeSectorUser(orm, sector);
    if (sector !== 'SOCIAL') await grantAccess(orm, returnee, users[sector].agency);
  }
  await addAssessment(orm, returnee, users.HEALTH);
  await giveConsent(orm, returnee, registrar);
});
afterAll(() => hub.stop());

describe.each(CASE_SECTORS)('%s caseworker reading a record it has access to, with consent for every sector', (sector) => {
  it('sees exactly the fields its policy grants, the rest null and listed as redacted', async () => {
    const user = users[sector];
    const res = await gql(hub, user.token, RETURNEE_QUERY, { id: returneeId });
    expect(res.errors).toBeUndefined();
    const record = res.data.returnee;
    const readable = expectedReadable(sector);
    for (const field of ALL_RETURNEE_FIELDS) {
      if (!(field in record)) continue; // sections beyond this query are covered by the policy matrix suite
      if (readable.has(field)) {
        if (FILLED.has(field)) expect({ field, value: record[field] }).not.toEqual({ field, value: null });
      } else {
        expect({ field, value: record[field] }).toEqual({ field, value: null });
      }
    }
    expect(new Set(record.redactedFields)).toEqual(new Set(ALL_RETURNEE_FIELDS.filter((f) => !readable.has(f))));
  });

  it('leaves one READ event naming the fields returned and the fields withheld, never values', async () => {
    const user = users[sector];
    const rows = (await auditRowsFor(user.staff.id)).filter((r) => r.operation === 'returnee');
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row).toMatchObject({
      action: 'READ',
      outcome: 'SUCCESS',
      entity_type: 'Returnee',
      returnee_id: returneeId,
      agency_id: user.agency.id,
      purpose: 'test: case review',
    });
    const readable = expectedReadable(sector);
    for (const f of row.fields) expect(readable.has(f)).toBe(true);
    for (const f of row.denied_fields) expect(readable.has(f)).toBe(false);
    expect(JSON.stringify(row)).not.toContain('Aigerim');
  });
});

describe('health details stay with health', () => {
  it('only HEALTH sees assessments; others see the derived flags as their policy says', async () => {
    const health = await gql(hub, users.HEALTH.token, RETURNEE_QUERY, { id: returneeId });
    expect(health.data.returnee.healthAssessments[0]).toMatchObject({
      findings: 'Mild anaemia',
      mentalHealthNotes: 'Sleeps poorly; nightmares',
    });
    for (const sector of ['EDUCATION', 'SOCIAL', 'NGO'] as const) {
      const res = await gql(hub, users[sector].token, RETURNEE_QUERY, { id: returneeId });
      expect(res.data.returnee.healthAssessments).toBeNull();
      expect(res.data.returnee.fitForSchool).toBe(false);
      expect(res.data.returnee.redactedFields).toContain('healthAssessments');
    }
  });
});

describe('record scope', () => {
  it('a record of another agency without case access reads NOT_FOUND, exactly like a missing one', async () => {
    const stranger = await makeSectorUser(hub.db.orm, 'HEALTH');
    const res = await gql(hub, stranger.token, RETURNEE_QUERY, { id: returneeId });
    const missing = await gql(hub, stranger.token, RETURNEE_QUERY, { id: '00000000-0000-4000-8000-000000000000' });
    expect(errorCode(res)).toBe('NOT_FOUND');
    expect(res.data).toBeNull();
    expect(res.errors![0].message.replace(returneeId, 'X')).toBe(
      missing.errors![0].message.replace('00000000-0000-4000-8000-000000000000', 'X'),
    );
    const rows = await auditRowsFor(stranger.staff.id);
    expect(rows.map((r) => [r.action, r.outcome, r.returnee_id])).toEqual([
      ['READ', 'NOT_FOUND', returneeId],
      ['READ', 'NOT_FOUND', '00000000-0000-4000-8000-000000000000'],
    ]);
  });

  it('case access does not cross a border unless it was marked cross-border', async () => {
    const orm = hub.db.orm;
    const kgHealth = await makeSectorUser(orm, 'HEALTH', ['CASEWORKER'], 'KG');
    const r = await makeReturnee(orm, registrar.agency);
    const access = await grantAccess(orm, r, kgHealth.agency, false);
    expect(errorCode(await gql(hub, kgHealth.token, RETURNEE_QUERY, { id: r.id }))).toBe('NOT_FOUND');
    const em = orm.em.fork();
    await em.nativeUpdate('CaseAccess', { id: access.id }, { crossBorder: true });
    const res = await gql(hub, kgHealth.token, RETURNEE_QUERY, { id: r.id });
    expect(res.errors).toBeUndefined();
    expect(res.data.returnee.id).toBe(r.id);
  });

  it('a revoked case access cuts access on the next request', async () => {
    const orm = hub.db.orm;
    const ngo = await makeSectorUser(orm, 'NGO');
    const r = await makeReturnee(orm, registrar.agency);
    const access = await grantAccess(orm, r, ngo.agency);
    expect((await gql(hub, ngo.token, RETURNEE_QUERY, { id: r.id })).errors).toBeUndefined();
    await orm.em.fork().nativeUpdate('CaseAccess', { id: access.id }, { revokedAt: new Date() });
    expect(errorCode(await gql(hub, ngo.token, RETURNEE_QUERY, { id: r.id }))).toBe('NOT_FOUND');
  });
});

describe('sectors without case records', () => {
  it('OVERSIGHT sees a record of its country only as id and case number', async () => {
    const auditor = await makeSectorUser(hub.db.orm, 'OVERSIGHT', ['AUDITOR']);
    const res = await gql(hub, auditor.token, RETURNEE_QUERY, { id: returneeId });
    expect(res.errors).toBeUndefined();
    const { id, caseNumber, version, redactedFields, ...rest } = res.data.returnee;
    expect(id).toBe(returneeId);
    expect(caseNumber).toMatch(/^T-/);
    expect(Object.values(rest).every((v) => v === null)).toBe(true);
    expect(redactedFields).toContain('givenName');
  });

  it('ADMINISTRATION may not read returnee records at all, and the refusal is audited', async () => {
    const admin = await makeStaff(hub.db.orm, await makeAgency(hub.db.orm, 'ADMINISTRATION'), ['ADMIN']);
    const res = await gql(hub, admin.token, RETURNEE_QUERY, { id: returneeId });
    expect(errorCode(res)).toBe('FORBIDDEN');
    const rows = await auditRowsFor(admin.staff.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'DENY', outcome: 'DENIED', entity_type: 'Returnee' });
  });
});
