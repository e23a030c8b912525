import { sealAll } from '../src/trail/audit-sealer';
import type { HubServer } from '../src/server';
import { auditRowsFor } from './support/audit';
import { makeReturnee, makeSectorUser, type StaffFixture } from './support/factories';
import { errorCode, gql, sqlClient, startHub } from './support/hub';

/**
 * The auditor's GraphQL tools over real HTTP: the trail newest first with filters and cursors,
 * the per-person disclosure report, integrity; auditors see returnees as id and case number
 * only, within their own country; caseworkers cannot read the trail; every read of the trail
 * is itself recorded.
 */
let hub: HubServer;
let social: StaffFixture;
let health: StaffFixture;
let auditor: StaffFixture;
let returneeId: string;
let caseNumber: string;

const EVENTS = `query($filter: AuditEventFilter, $first: Int, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id occurredAt action outcome entityType fields deniedFields sections purpose operation chainPosition
      returnee { id caseNumber } staff { id username } agency { code country } } }
  } }`;

const REPORT = `query($id: ID!) { disclosureReport(returneeId: $id) {
  returnee { id caseNumber } eventCount
  agencies { agency { code sector } sectionsRead sectionsChanged firstAt lastAt
    entries { staff { username } action outcome purpose sections records fields times firstAt lastAt } } } }`;

/** The truth to compare with: event ids about a returnee (optionally one action), newest first. */
async function eventIdsAbout(id: string, action?: string): Promise<string[]> {
  const client = await sqlClient();
  try {
    const { rows } = await client.query(
      `select id::text from audit_event where returnee_id = $1 and ($2::text is null or action = $2)
      order by occurred_at desc, id desc`,
      [id, action ?? null],
    );
    return rows.map((r) => r.id);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  hub = await startHub();
  social = await makeSectorUser(hub.db.orm, 'SOCIAL');
  health = await makeSectorUser(hub.db.orm, 'HEALTH');
  auditor = await makeSectorUser(hub.db.orm, 'OVERSIGHT', ['AUDITOR']);
  const r = await makeReturnee(hub.db.orm, social.agency);
  returneeId = r.id;
  caseNumber = r.caseNumber;
  const read = (token: string, purpose: string) =>
    gql(hub, token, 'query($id: ID!) { returnee(id: $id) { id givenName address } }', { id: r.id }, { 'x-purpose-of-use': purpose });
  expect((await read(social.token, 'Housing assessment')).errors).toBeUndefined();
  expect((await read(social.token, 'Housing assessment')).errors).toBeUndefined();
  const upd = await gql(
    hub,
    social.token,
    'mutation($id: ID!) { updateReturnee(id: $id, expectedVersion: 1, input: { region: "Osh" }) { returnee { id } } }',
    { id: r.id },
    { 'x-purpose-of-use': 'Resettlement' },
  );
  expect(upd.errors).toBeUndefined();
  expect(errorCode(await read(health.token, 'Screening'))).toBe('NOT_FOUND'); // no case access: an attempt, recorded
  await sealAll(hub.runtime.audit.knex, { wait: true }); // what the 0.5 s timer does, now
});
afterAll(() => hub.stop());

describe('auditEvents', () => {
  it("lists a returnee's events newest first, with the returnee as id and case number only", async () => {
    const expected = await eventIdsAbout(returneeId);
    const res = await gql(hub, auditor.token, EVENTS, { filter: { returneeId }, first: 100 });
    expect(res.errors).toBeUndefined();
    const nodes = res.data.auditEvents.edges.map((e: any) => e.node);
    expect(nodes.map((n: any) => n.id)).toEqual(expected);
    expect(res.data.auditEvents.totalCount).toBe(expected.length);
    // the caseworker's reads and change, and the health worker's attempt without case access
    expect(nodes.filter((n: any) => n.entityType === 'Returnee').map((n: any) => [n.action, n.outcome, n.staff.username])).toEqual([
      ['READ', 'NOT_FOUND', health.staff.username],
      ['READ', 'SUCCESS', social.staff.username],
      ['UPDATE', 'SUCCESS', social.staff.username],
      ['READ', 'SUCCESS', social.staff.username],
      ['READ', 'SUCCESS', social.staff.username],
    ]);
    const update = nodes.find((n: any) => n.action === 'UPDATE');
    expect(update).toMatchObject({
      fields: ['region'],
      sections: ['CONTACT'],
      purpose: 'Resettlement',
      operation: 'updateReturnee',
      returnee: { id: returneeId, caseNumber },
      agency: { code: social.agency.code, country: 'KZ' },
      chainPosition: expect.stringMatching(/^\d+$/),
    });
    expect(Object.keys(update.returnee)).toEqual(['id', 'caseNumber']);
    expect(JSON.stringify(res.data)).not.toMatch(/Aigerim|Abay|"Osh"/); // names of fields, never values
  });

  it('pages with cursors and filters by staff, agency, action, outcome and time', async () => {
    const expected = await eventIdsAbout(returneeId);
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = (await gql(hub, auditor.token, EVENTS, { filter: { returneeId }, first: 2, after })).data.auditEvents;
      seen.push(...page.edges.map((e: any) => e.node.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : undefined;
    } while (after);
    expect(seen.slice(0, expected.length)).toEqual(expected); // later pages may add the pager's own reads, never skip or repeat

    const ids = async (filter: Record<string, unknown>) =>
      (await gql(hub, auditor.token, EVENTS, { filter, first: 100 })).data.auditEvents.edges.map((e: any) => e.node.id);
    expect(await ids({ returneeId, actions: ['UPDATE'] })).toEqual(await eventIdsAbout(returneeId, 'UPDATE'));
    expect(await ids({ agencyId: health.agency.id })).toHaveLength(1);
    expect(await ids({ staffId: social.staff.id, outcomes: ['SUCCESS'], actions: ['UPDATE'] })).toEqual(
      await eventIdsAbout(returneeId, 'UPDATE'),
    );
    expect(await ids({ returneeId, outcomes: ['NOT_FOUND'] })).toHaveLength(1);
    expect(await ids({ returneeId, from: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
    expect((await ids({ returneeId, to: new Date(Date.now() + 60_000).toISOString() })).length).toBeGreaterThanOrEqual(expected.length);
  });

  it("hides the auditor's own reads on request, in the rows and in the count alike, and nobody else's", async () => {
    const auditor2 = await makeSectorUser(hub.db.orm, 'OVERSIGHT', ['AUDITOR']);
    for (const who of [auditor, auditor2]) await gql(hub, who.token, EVENTS, { filter: { returneeId }, first: 5 });
    const page = (await gql(hub, auditor.token, EVENTS, { filter: { returneeId, hideOwnReads: true }, first: 100 })).data.auditEvents;
    const client = await sqlClient();
    try {
      const { rows } = await client.query(
        `select id::text, staff_id, action from audit_event where returnee_id = $1 order by occurred_at desc, id desc`,
        [returneeId],
      );
      // Read after the request: its own reads (of the trail, of the case number) are in `rows`, and hidden like the rest.
      const others = rows.filter((r) => !(r.staff_id === auditor.staff.id && r.action === 'READ'));
      expect(rows.length - others.length).toBeGreaterThan(2); // there were own reads to hide
      expect(page.edges.map((e: any) => e.node.id)).toEqual(others.map((r) => r.id));
      expect(page.totalCount).toBe(others.length);
      expect(page.edges.some((e: any) => e.node.staff?.id === auditor2.staff.id && e.node.action === 'READ')).toBe(true); // not another auditor's
      expect(page.edges.some((e: any) => e.node.staff?.id === social.staff.id && e.node.action === 'UPDATE')).toBe(true);
    } finally {
      await client.end();
    }
  });

  it('refuses a cursor it did not issue', async () => {
    expect(errorCode(await gql(hub, auditor.token, EVENTS, { after: 'not-a-cursor' }))).toBe('BAD_USER_INPUT');
  });

  it('records each read of the trail as one event, with the returnee it was about, and the case number it showed as a read of that record', async () => {
    const before = (await auditRowsFor(auditor.staff.id)).length;
    await gql(hub, auditor.token, EVENTS, { filter: { returneeId }, first: 2 });
    const rows = await auditRowsFor(auditor.staff.id);
    expect(rows).toHaveLength(before + 2);
    expect(rows.at(-2)).toMatchObject({
      action: 'READ',
      entity_type: 'AuditEvent',
      returnee_id: returneeId,
      operation: 'auditEvents',
      outcome: 'SUCCESS',
    });
    expect(rows.at(-1)).toMatchObject({
      action: 'READ',
      entity_type: 'Returnee',
      entity_id: returneeId,
      fields: ['caseNumber'],
      operation: 'auditEvents',
    });
    // Without the case number in the selection, only the read of the trail.
    await gql(hub, auditor.token, `query($f: AuditEventFilter) { auditEvents(filter: $f, first: 2) { nodes { id returnee { id } } } }`, {
      f: { returneeId },
    });
    expect((await auditRowsFor(auditor.staff.id)).slice(before + 2).map((r) => r.entity_type)).toEqual(['AuditEvent']);
  });
});

describe('disclosureReport', () => {
  it('groups who did what to which sections, when and why, by agency', async () => {
    const res = await gql(hub, auditor.token, REPORT, { id: returneeId });
    expect(res.errors).toBeUndefined();
    const report = res.data.disclosureReport;
    expect(report.returnee).toEqual({ id: returneeId, caseNumber });
    const socialPart = report.agencies.find((a: any) => a.agency?.code === social.agency.code);
    expect(socialPart.sectionsRead).toEqual(expect.arrayContaining(['IDENTITY', 'CONTACT']));
    expect(socialPart.sectionsChanged).toEqual(['CONTACT']);
    expect(socialPart.entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          staff: { username: social.staff.username },
          action: 'READ',
          purpose: 'Housing assessment',
          times: 2,
          records: ['Returnee'],
        }),
        expect.objectContaining({ action: 'UPDATE', purpose: 'Resettlement', sections: ['CONTACT'], fields: ['region'], times: 1 }),
      ]),
    );
    const healthPart = report.agencies.find((a: any) => a.agency?.code === health.agency.code);
    expect(healthPart.entries).toEqual([expect.objectContaining({ action: 'READ', outcome: 'NOT_FOUND', purpose: 'Screening', times: 1 })]);
    expect(healthPart.sectionsRead).toEqual([]);
    expect(JSON.stringify(report)).not.toMatch(/Aigerim|Abay/);
  });

  it('is recorded as a read of the trail about that returnee (and of its case number, which it shows)', async () => {
    await gql(hub, auditor.token, REPORT, { id: returneeId });
    expect((await auditRowsFor(auditor.staff.id)).slice(-2)).toMatchObject([
      { entity_type: 'AuditEvent', returnee_id: returneeId, operation: 'disclosureReport' },
      { entity_type: 'Returnee', entity_id: returneeId, fields: ['caseNumber'], operation: 'disclosureReport' },
    ]);
  });
});

describe('scope: an auditor of another country', () => {
  it('gets NOT_FOUND for a returnee of another country, exactly as for one that does not exist', async () => {
    const kg = await makeSectorUser(hub.db.orm, 'OVERSIGHT', ['AUDITOR'], 'KG');
    const foreign = await gql(hub, kg.token, REPORT, { id: returneeId });
    const missing = await gql(hub, kg.token, REPORT, { id: '00000000-0000-4000-8000-000000000000' });
    expect(errorCode(foreign)).toBe('NOT_FOUND');
    expect(foreign.errors![0].message.replace(returneeId, 'ID')).toBe(
      missing.errors![0].message.replace('00000000-0000-4000-8000-000000000000', 'ID'),
    );
    expect(errorCode(await gql(hub, kg.token, EVENTS, { filter: { returneeId } }))).toBe('NOT_FOUND');
    const kgStaff = await gql(hub, kg.token, EVENTS, { filter: { staffId: social.staff.id }, first: 100 });
    expect(kgStaff.data.auditEvents.totalCount).toBe(0); // a KZ agency's work on KZ records
    expect((await auditRowsFor(kg.staff.id)).find((r) => r.returnee_id === returneeId)).toMatchObject({ outcome: 'NOT_FOUND' });
  });
});

describe("scope: another country's agency touching a record of the auditor's country", () => {
  it("is visible to both countries' auditors, the record's case number only to its own", async () => {
    const kgHealth = await makeSectorUser(hub.db.orm, 'HEALTH', ['CASEWORKER'], 'KG');
    expect(errorCode(await gql(hub, kgHealth.token, 'query($id: ID!) { returnee(id: $id) { id } }', { id: returneeId }))).toBe('NOT_FOUND');
    const kgAuditor = await makeSectorUser(hub.db.orm, 'OVERSIGHT', ['AUDITOR'], 'KG');
    const byAgency = async (token: string) => {
      const res = await gql(hub, token, EVENTS, { filter: { agencyId: kgHealth.agency.id }, first: 10 });
      expect(res.errors).toBeUndefined();
      return { total: res.data.auditEvents.totalCount, nodes: res.data.auditEvents.edges.map((e: any) => e.node) };
    };
    // The KZ auditor sees it because the record is in its scope (page and count agree) ...
    const kz = await byAgency(auditor.token);
    expect(kz.total).toBe(1);
    expect(kz.nodes).toEqual([expect.objectContaining({ action: 'READ', outcome: 'NOT_FOUND', returnee: { id: returneeId, caseNumber } })]);
    // ... the KG auditor because the acting agency is Kyrgyz, without learning the Kazakh case number.
    const kg = await byAgency(kgAuditor.token);
    expect(kg.total).toBe(1);
    expect(kg.nodes).toEqual([expect.objectContaining({ id: kz.nodes[0].id, returnee: { id: returneeId, caseNumber: null } })]);
  });
});

describe('who may use the audit tools', () => {
  it('refuses caseworkers and records the refusal', async () => {
    for (const query of [EVENTS, REPORT, '{ auditIntegrity { verified } }']) {
      const res = await gql(hub, social.token, query, { id: returneeId });
      expect(errorCode(res)).toBe('FORBIDDEN');
      expect(res.data).toBeNull();
    }
    expect((await auditRowsFor(social.staff.id)).filter((r) => r.action === 'DENY' && r.entity_type === 'AuditEvent')).toHaveLength(3);
  });

  it('shows an auditor no record contents', async () => {
    const res = await gql(hub, auditor.token, 'query($id: ID!) { returnee(id: $id) { id caseNumber givenName address redactedFields } }', {
      id: returneeId,
    });
    expect(res.data.returnee).toMatchObject({ id: returneeId, caseNumber, givenName: null, address: null });
    expect(res.data.returnee.redactedFields).toEqual(expect.arrayContaining(['givenName', 'address']));
  });
});

describe('auditIntegrity', () => {
  it('verifies the chain and says how much it checked', async () => {
    const res = await gql(
      hub,
      auditor.token,
      '{ auditIntegrity { verified eventsChecked headPosition headHash firstBadEvent { kind } problemCount latestCheckpoint { id } } }',
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.auditIntegrity).toMatchObject({ verified: true, firstBadEvent: null, problemCount: 0 });
    expect(res.data.auditIntegrity.eventsChecked).toBeGreaterThan(0);
    expect(res.data.auditIntegrity.headHash).toMatch(/^[0-9a-f]{64}$/);
    expect((await auditRowsFor(auditor.staff.id)).at(-1)).toMatchObject({ entity_type: 'AuditEvent', operation: 'auditIntegrity' });
  });
});
