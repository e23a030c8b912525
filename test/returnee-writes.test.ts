import type { HubServer } from '../src/server';
import { auditRowsFor } from './support/audit';
import { grantAccess, makeReturnee, makeSectorUser, type StaffFixture } from './support/factories';
import { errorCode, gql, sqlClient, startHub } from './support/hub';

/**
 * Writes: each sector writes only its own sections, a refused write is refused whole and
 * names the fields, a stale version is CONFLICT, history keeps previous values, and the
 * audit trail holds one event per record touched (denials included).
 */
const UPDATE = `mutation Update($id: ID!, $v: Int!, $input: UpdateReturneeInput!) {
  updateReturnee(id: $id, expectedVersion: $v, input: $input) { returnee { id version givenName region phone status } } }`;
const REGISTER = `mutation Register($input: RegisterReturneeInput!) {
  registerReturnee(input: $input) { returnee { id caseNumber version givenName familyName isMinor registeringAgency { id } redactedFields } } }`;
const ASSESS = `mutation Assess($id: ID!, $input: RecordHealthAssessmentInput!) {
  recordHealthAssessment(returneeId: $id, input: $input) { returnee { id version followUpNeeded fitForSchool healthAssessments { findings } } } }`;

let hub: HubServer;
let social: StaffFixture;
let health: StaffFixture;
let education: StaffFixture;

async function row(id: string) {
  const client = await sqlClient();
  try {
    return (await client.query('select * from returnee where id = $1', [id])).rows[0];
  } finally {
    await client.end();
  }
}

async function revisions(id: string) {
  const client = await sqlClient();
  try {
    return (await client.query('select version, fields, previous from returnee_revision where returnee_id = $1 order by id', [id])).rows;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  hub = await startHub();
  social = await makeSectorUser(hub.db.orm, 'SOCIAL');
  health = await makeSectorUser(hub.db.orm, 'HEALTH');
  education = await makeSectorUser(hub.db.orm, 'EDUCATION');
});
afterAll(() => hub.stop());

describe('registerReturnee', () => {
  it('lets SOCIAL register a child, audits the CREATE, and makes the agency the registrar', async () => {
    const input = {
      givenName: 'Muhammad',
      familyName: 'Saidov',
      sex: 'MALE',
      dateOfBirth: '2016-07-01',
      dateOfBirthEstimated: true,
      placeOfBirth: 'Al-Hol camp, Syria',
      region: 'Aqtobe',
      returnedOn: '2019-05-30',
      returnedFrom: 'SY',
    };
    const res = await gql(hub, social.token, REGISTER, { input });
    expect(res.errors).toBeUndefined();
    const r = res.data.registerReturnee.returnee;
    expect(r).toMatchObject({ givenName: 'Muhammad', isMinor: true, version: 1, registeringAgency: { id: social.agency.id } });
    expect(r.caseNumber).toMatch(/^KZ-\d{4}-[0-9A-Z]{8}$/);
    const events = (await auditRowsFor(social.staff.id)).filter((e) => e.returnee_id === r.id);
    expect(events.map((e) => [e.action, e.operation, e.outcome])).toEqual([
      ['CREATE', 'registerReturnee', 'SUCCESS'],
      ['READ', 'registerReturnee', 'SUCCESS'],
    ]);
    expect(events[0].fields.sort()).toEqual(Object.keys(input).sort());
  });

  it('refuses HEALTH, which registers nobody, and audits the refusal', async () => {
    const res = await gql(hub, health.token, REGISTER, {
      input: { givenName: 'A', familyName: 'B', sex: 'FEMALE', dateOfBirth: '1990-01-01' },
    });
    expect(errorCode(res)).toBe('FORBIDDEN');
    const events = await auditRowsFor(health.staff.id);
    expect(events.at(-1)).toMatchObject({ action: 'DENY', outcome: 'DENIED', operation: 'registerReturnee' });
  });

  it('rejects impossible dates and missing required fields with BAD_USER_INPUT, writing nothing', async () => {
    const future = await gql(hub, social.token, REGISTER, {
      input: { givenName: 'Zarina', familyName: 'Karimova', sex: 'FEMALE', dateOfBirth: '2999-01-01' },
    });
    expect(errorCode(future)).toBe('BAD_USER_INPUT');
    expect(future.errors![0].message).toMatch(/future/);
    const before = await gql(hub, social.token, REGISTER, {
      input: { givenName: 'Zarina', familyName: 'Karimova', sex: 'FEMALE', dateOfBirth: '2000-01-01', returnedOn: '1999-01-01' },
    });
    expect(errorCode(before)).toBe('BAD_USER_INPUT');
    const missing = await gql(hub, social.token, REGISTER, { input: { givenName: 'Zarina', sex: 'FEMALE' } });
    expect(errorCode(missing)).toBe('BAD_USER_INPUT');
    expect(missing.errors![0].message).toMatch(/familyName/);
    const client = await sqlClient();
    const { rows } = await client.query(
      "select count(*)::int as n from returnee where given_name = 'Zarina' and registering_agency_id = $1",
      [social.agency.id],
    );
    await client.end();
    expect(rows[0].n).toBe(0);
  });
});

describe('updateReturnee', () => {
  it('applies a permitted change, bumps the version and keeps the previous values', async () => {
    const r = await makeReturnee(hub.db.orm, social.agency);
    const res = await gql(hub, social.token, UPDATE, { id: r.id, v: 1, input: { region: 'Qaraghandy', phone: '+7 701 000 0000' } });
    expect(res.errors).toBeUndefined();
    expect(res.data.updateReturnee.returnee).toMatchObject({ version: 2, region: 'Qaraghandy' });
    expect(await revisions(r.id)).toEqual([
      { version: 1, fields: ['region', 'phone'], previous: { region: 'Aqtobe', phone: '+7 701 555 0101' } },
    ]);
    const events = (await auditRowsFor(social.staff.id)).filter((e) => e.returnee_id === r.id && e.action === 'UPDATE');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ outcome: 'SUCCESS', fields: ['region', 'phone'] });
    expect(JSON.stringify(events[0])).not.toContain('Qaraghandy');
  });

  it('refuses a write touching a field the sector may not write, whole, naming the fields', async () => {
    const r = await makeReturnee(hub.db.orm, social.agency);
    await grantAccess(hub.db.orm, r, health.agency);
    const res = await gql(hub, health.token, UPDATE, { id: r.id, v: 1, input: { followUpNeeded: false, region: 'Osh', givenName: 'X' } });
    expect(errorCode(res)).toBe('FORBIDDEN');
    expect(res.errors![0].extensions!.fields).toEqual(['givenName', 'region']);
    expect(res.errors![0].message).toMatch(/givenName, region/);
    const after = await row(r.id);
    expect(after).toMatchObject({ version: 1, follow_up_needed: true, region: 'Aqtobe', given_name: 'Aigerim' });
    expect(await revisions(r.id)).toEqual([]);
    const events = (await auditRowsFor(health.staff.id)).filter((e) => e.returnee_id === r.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'DENY', outcome: 'DENIED', reason: 'FORBIDDEN', denied_fields: ['givenName', 'region'] });
  });

  it('answers a stale version with CONFLICT and writes nothing', async () => {
    const r = await makeReturnee(hub.db.orm, social.agency);
    expect((await gql(hub, social.token, UPDATE, { id: r.id, v: 1, input: { status: 'RESETTLED' } })).errors).toBeUndefined();
    const stale = await gql(hub, social.token, UPDATE, { id: r.id, v: 1, input: { status: 'IN_CARE' } });
    expect(errorCode(stale)).toBe('CONFLICT');
    expect(stale.errors![0].extensions!.currentVersion).toBe(2);
    expect(await row(r.id)).toMatchObject({ version: 2, status: 'RESETTLED' });
    const events = (await auditRowsFor(social.staff.id)).filter((e) => e.returnee_id === r.id && e.action === 'UPDATE');
    expect(events.map((e) => e.outcome)).toEqual(['SUCCESS', 'CONFLICT']);
  });

  it('lets exactly one of many concurrent updates with the same version win', async () => {
    const r = await makeReturnee(hub.db.orm, social.agency);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => gql(hub, social.token, UPDATE, { id: r.id, v: 1, input: { district: `District ${i}` } })),
    );
    const codes = results.map((x) => (x.errors ? errorCode(x) : 'OK'));
    expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
    expect(codes.filter((c) => c === 'CONFLICT')).toHaveLength(19);
    expect((await row(r.id)).version).toBe(2);
    expect(await revisions(r.id)).toHaveLength(1);
  });

  it('loses no update when 20 concurrent writers re-read and retry after CONFLICT', async () => {
    const r = await makeReturnee(hub.db.orm, social.agency);
    const WRITERS = 20;
    let conflicts = 0;
    const writer = async (i: number) => {
      let version = 1; // what every writer read
      for (let attempt = 1; ; attempt++) {
        const res = await gql(hub, social.token, UPDATE, { id: r.id, v: version, input: { district: `Writer ${i}` } });
        if (!res.errors) return;
        expect(errorCode(res)).toBe('CONFLICT');
        conflicts++;
        version = res.errors[0].extensions!.currentVersion as number; // the client's re-read
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 40 * attempt)); // jittered backoff
      }
    };
    await Promise.all(Array.from({ length: WRITERS }, (_, i) => writer(i)));
    // Every writer's value is either the current one or kept in the history of the one after it.
    const current = await row(r.id);
    expect(current.version).toBe(WRITERS + 1);
    const history = await revisions(r.id);
    expect(history.map((h) => h.version)).toEqual(Array.from({ length: WRITERS }, (_, i) => i + 1));
    const written = [...history.slice(1).map((h) => h.previous.district), current.district];
    expect(new Set(written)).toEqual(new Set(Array.from({ length: WRITERS }, (_, i) => `Writer ${i}`)));
    const updates = (await auditRowsFor(social.staff.id)).filter((e) => e.returnee_id === r.id && e.action === 'UPDATE');
    expect(updates.filter((e) => e.outcome === 'SUCCESS')).toHaveLength(WRITERS);
    expect(updates.filter((e) => e.outcome === 'CONFLICT')).toHaveLength(conflicts);
    console.log(`concurrent writers (one process): ${JSON.stringify({ writers: WRITERS, applied: WRITERS, conflictsRetried: conflicts })}`);
  });

  it("answers NOT_FOUND for a record outside the caller's scope and changes nothing", async () => {
    const r = await makeReturnee(hub.db.orm, social.agency);
    const otherSocial = await makeSectorUser(hub.db.orm, 'SOCIAL');
    const res = await gql(hub, otherSocial.token, UPDATE, { id: r.id, v: 1, input: { region: 'Osh' } });
    expect(errorCode(res)).toBe('NOT_FOUND');
    expect((await row(r.id)).region).toBe('Aqtobe');
    const events = await auditRowsFor(otherSocial.staff.id);
    expect(events).toMatchObject([{ action: 'UPDATE', outcome: 'NOT_FOUND', returnee_id: r.id }]);
  });

  it('rejects a malformed id as BAD_USER_INPUT, never INTERNAL_SERVER_ERROR', async () => {
    const res = await gql(hub, social.token, UPDATE, { id: "1' or '1'='1", v: 1, input: { region: 'Osh' } });
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
  });

  it('stores text that looks like SQL or HTML verbatim', async () => {
    const r = await makeReturnee(hub.db.orm, social.agency);
    const address = `'); drop table returnee; -- <script>alert(1)</script>`;
    const res = await gql(
      hub,
      social.token,
      `mutation($id: ID!) { updateReturnee(id: $id, expectedVersion: 1, input: { address: ${JSON.stringify(address)} }) { returnee { address } } }`,
      { id: r.id },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.updateReturnee.returnee.address).toBe(address);
  });
});

describe('recordHealthAssessment', () => {
  it('lets HEALTH record an assessment and derives the shareable flags in one audited transaction', async () => {
    const r = await makeReturnee(hub.db.orm, social.agency, { followUpNeeded: false, fitForSchool: undefined });
    await grantAccess(hub.db.orm, r, health.agency);
    const res = await gql(hub, health.token, ASSESS, {
      id: r.id,
      input: { assessedOn: '2024-06-01', findings: 'Latent TB screening negative', followUpNeeded: true, fitForSchool: true },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.recordHealthAssessment.returnee).toMatchObject({
      version: 2,
      followUpNeeded: true,
      fitForSchool: true,
      healthAssessments: [{ findings: 'Latent TB screening negative' }],
    });
    const events = (await auditRowsFor(health.staff.id)).filter((e) => e.returnee_id === r.id);
    expect(events.map((e) => [e.action, e.entity_type])).toEqual([
      ['CREATE', 'HealthAssessment'],
      ['UPDATE', 'Returnee'],
      ['READ', 'Returnee'],
    ]);
  });

  it('answers a write that loses a race for the record with CONFLICT naming the current version, and writes nothing for it', async () => {
    const r = await makeReturnee(hub.db.orm, social.agency, { followUpNeeded: false, fitForSchool: undefined });
    await grantAccess(hub.db.orm, r, health.agency);
    // Concurrent assessments that each change the flags: each one updates the returnee row, so
    // all but the first to commit find its version moved (before the fix: INTERNAL_SERVER_ERROR).
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        gql(hub, health.token, ASSESS, {
          id: r.id,
          input: { assessedOn: '2024-06-01', findings: `Race ${i}`, followUpNeeded: i % 2 === 0, fitForSchool: i % 3 === 0 },
        }),
      ),
    );
    const codes = results.map((x) => (x.errors ? errorCode(x) : 'OK'));
    expect(codes.filter((c) => c !== 'OK' && c !== 'CONFLICT')).toEqual([]);
    const ok = codes.filter((c) => c === 'OK').length;
    expect(ok).toBeGreaterThan(0);
    for (const res of results.filter((x) => x.errors)) {
      expect(res.errors![0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: expect.any(Number) });
      expect(res.errors![0].message).toMatch(/nothing was written/);
    }
    const client = await sqlClient();
    const { rows } = await client.query('select count(*)::int as n from health_assessment where returnee_id = $1', [r.id]);
    await client.end();
    expect(rows[0].n).toBe(ok);
    const events = (await auditRowsFor(health.staff.id)).filter((e) => e.returnee_id === r.id);
    expect(events.filter((e) => e.outcome === 'CONFLICT')).toHaveLength(codes.length - ok);
    expect(events.filter((e) => e.action === 'CREATE' && e.outcome === 'SUCCESS')).toHaveLength(ok);
  });

  it('refuses EDUCATION, which may only read the flags, and records the denial', async () => {
    const r = await makeReturnee(hub.db.orm, social.agency);
    await grantAccess(hub.db.orm, r, education.agency);
    const res = await gql(hub, education.token, ASSESS, {
      id: r.id,
      input: { assessedOn: '2024-06-01', findings: 'x', followUpNeeded: false },
    });
    expect(errorCode(res)).toBe('FORBIDDEN');
    const client = await sqlClient();
    const { rows } = await client.query('select count(*)::int as n from health_assessment where returnee_id = $1', [r.id]);
    await client.end();
    expect(rows[0].n).toBe(0);
    expect((await auditRowsFor(education.staff.id)).at(-1)).toMatchObject({
      action: 'DENY',
      entity_type: 'HealthAssessment',
      returnee_id: r.id,
    });
  });
});
