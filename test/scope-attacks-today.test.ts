import type { HubServer } from '../src/server';
import { today } from '../src/common/calendar';
import { MAX_NAMES, statementName, statementNamesInUse } from '../src/db/statement-name';
import type { AuditRow } from './support/audit';
import { createScratchDb, type ScratchDb } from './support/audit-scratch-db';
import { giveConsent, grantAccess, makeReturnee, makeSectorUser, makeStaff, type StaffFixture } from './support/factories';
import { errorCode, gql, startHub } from './support/hub';

/**
 * A low-privilege caller's attacks on three paths, over HTTP: auditEvents' hideOwnReads (hides
 * the caller's own READ events and nothing else, in page, count and cursors alike), a person's
 * data-subject requests by id (an id out of scope answers like a missing one and names the
 * record in no event), and reads by key sent as named statements (a statement prepared for one
 * caller serves another only their own scope, and a change of scope counts on the next request,
 * after PostgreSQL has switched the statement to a generic plan).
 */
let scratch: ScratchDb;
let hub: HubServer;
let social: StaffFixture;
let auditor: StaffFixture;
let returneeId: string;

const EVENTS = `query($filter: AuditEventFilter, $first: Int, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id action outcome staff { id } } } } }`;
const ONE = 'query($id: ID!) { returnee(id: $id) { id givenName } }';

// A database of its own: the plan setting below, the hand-made event and the paging over the
// whole visible trail must not reach (or depend on) the other suites sharing the run's database.
const sqlRows = (sql: string, params: unknown[] = []) => scratch.query(sql, params);
const auditRowsFor = (staffId: string) =>
  scratch.query<AuditRow & Record<string, unknown>>('select * from audit_event where staff_id = $1 order by id', [staffId]);

beforeAll(async () => {
  scratch = await createScratchDb('attacks');
  // Every named statement on a generic plan from its first run (PostgreSQL's default: after five),
  // so a plan made for one caller's values would show on the next caller's read.
  await sqlRows(`do $$ begin execute format('alter database %I set plan_cache_mode = force_generic_plan', current_database()); end $$`);
  hub = await startHub({ DATABASE_URL: scratch.url, HUB_AUDIT_SEAL_INTERVAL_MS: '0' });
  social = await makeSectorUser(hub.db.orm, 'SOCIAL');
  auditor = await makeSectorUser(hub.db.orm, 'OVERSIGHT', ['AUDITOR']);
  returneeId = (await makeReturnee(hub.db.orm, social.agency)).id;
});
afterAll(async () => {
  await hub?.stop();
  await scratch?.drop();
});

/** Every event id about the returnee (the truth), newest first, with who and what. */
const about = (id: string) =>
  sqlRows(`select id::text, staff_id, action, outcome from audit_event where returnee_id = $1 order by occurred_at desc, id desc`, [id]);

describe('auditEvents(filter: { hideOwnReads: true })', () => {
  it("hides only the caller's own READs: not its DENY, not the hub's events, not another's refused reads; cursors cross both ways", async () => {
    expect((await gql(hub, social.token, ONE, { id: returneeId })).errors).toBeUndefined();
    const health = await makeSectorUser(hub.db.orm, 'HEALTH');
    expect(errorCode(await gql(hub, health.token, ONE, { id: returneeId }))).toBe('NOT_FOUND'); // another's refused read
    // An event the hub recorded itself (no staff member), as a webhook delivery is.
    await sqlRows(
      `insert into audit_event (request_id, agency_id, action, entity_type, entity_id, returnee_id, fields, denied_fields, operation, outcome)
       values (gen_random_uuid(), null, 'READ', 'WebhookDelivery', $1::text, $1::uuid, '{}', '{}', 'webhook', 'SUCCESS')`,
      [returneeId],
    );
    // The auditor's own refused attempt (DENY) about the person, and own reads.
    const dsr = { returneeId, kind: 'ACCESS', receivedOn: today() };
    expect(
      errorCode(
        await gql(hub, auditor.token, 'mutation($i: RecordDataSubjectRequestInput!) { recordDataSubjectRequest(input: $i) { id } }', {
          i: dsr,
        }),
      ),
    ).toBe('FORBIDDEN');
    for (let i = 0; i < 3; i++)
      expect((await gql(hub, auditor.token, EVENTS, { filter: { returneeId }, first: 2 })).errors).toBeUndefined();

    const page1 = (await gql(hub, auditor.token, EVENTS, { filter: { returneeId, hideOwnReads: true }, first: 3 })).data.auditEvents;
    const truth = await about(returneeId);
    const shown = truth.filter((r) => !(r.staff_id === auditor.staff.id && r.action === 'READ'));
    expect(truth.length - shown.length).toBeGreaterThan(3);
    expect(shown.some((r) => r.staff_id === null)).toBe(true);
    expect(shown.some((r) => r.staff_id === auditor.staff.id && r.action === 'DENY')).toBe(true);
    expect(shown.some((r) => r.staff_id === health.staff.id && r.outcome === 'NOT_FOUND')).toBe(true);
    expect(page1.totalCount).toBe(shown.length);
    expect(page1.edges.map((e: any) => e.node.id)).toEqual(shown.slice(0, 3).map((r) => r.id));
    // The rest of the pages, with hideOwnReads: exactly `shown`.
    const ids = page1.edges.map((e: any) => e.node.id);
    let after = page1.pageInfo.endCursor;
    for (let more = page1.pageInfo.hasNextPage; more;) {
      const p = (await gql(hub, auditor.token, EVENTS, { filter: { returneeId, hideOwnReads: true }, first: 3, after })).data.auditEvents;
      ids.push(...p.edges.map((e: any) => e.node.id));
      [after, more] = [p.pageInfo.endCursor, p.pageInfo.hasNextPage];
    }
    expect(ids).toEqual(shown.map((r) => r.id));
    // A cursor issued with hideOwnReads, used without: every event older than it, own reads included.
    const cut = page1.edges[2].cursor;
    const older = truth.filter((r) => shown.indexOf(r) < 0 || shown.indexOf(r) > 2);
    const at = truth.findIndex((r) => r.id === page1.edges[2].node.id);
    const without = (await gql(hub, auditor.token, EVENTS, { filter: { returneeId }, first: 100, after: cut })).data.auditEvents;
    expect(without.edges.map((e: any) => e.node.id)).toEqual(truth.slice(at + 1).map((r) => r.id));
    expect(older.length).toBeGreaterThan(0);
    // And the other way: a cursor from a page with own reads, used with hideOwnReads.
    const plain = (await gql(hub, auditor.token, EVENTS, { filter: { returneeId }, first: 1 })).data.auditEvents;
    const truth2 = await about(returneeId);
    const hid = (
      await gql(hub, auditor.token, EVENTS, { filter: { returneeId, hideOwnReads: true }, first: 100, after: plain.edges[0].cursor })
    ).data.auditEvents;
    const from = truth2.findIndex((r) => r.id === plain.edges[0].node.id);
    expect(hid.edges.map((e: any) => e.node.id)).toEqual(
      truth2
        .slice(from + 1)
        .filter((r) => !(r.staff_id === auditor.staff.id && r.action === 'READ'))
        .map((r) => r.id),
    );
  });

  it("counts what it pages over the whole visible trail, and the count holds while each page records the caller's reads", async () => {
    const filter = { hideOwnReads: true };
    const first = (await gql(hub, auditor.token, EVENTS, { filter, first: 2 })).data.auditEvents;
    const ids: string[] = first.edges.map((e: any) => e.node.id);
    let [after, more, last] = [first.pageInfo.endCursor, first.pageInfo.hasNextPage, first.totalCount];
    while (more) {
      const p = (await gql(hub, auditor.token, EVENTS, { filter, first: 2, after })).data.auditEvents;
      ids.push(...p.edges.map((e: any) => e.node.id));
      [after, more, last] = [p.pageInfo.endCursor, p.pageInfo.hasNextPage, p.totalCount];
    }
    expect(ids.length).toBeGreaterThan(4); // several pages, each recording a READ
    expect([first.totalCount, last]).toEqual([ids.length, ids.length]);
    const own = await sqlRows(`select id::text from audit_event where staff_id = $1 and action = 'READ'`, [auditor.staff.id]);
    expect(own.length).toBeGreaterThan(3);
    expect(ids.filter((id) => own.some((o) => o.id === id))).toEqual([]);
  });

  it("shows an auditor of another country nothing of this one's events, and refuses non-auditors as before, with a DENY row", async () => {
    const elsewhere = await makeSectorUser(hub.db.orm, 'OVERSIGHT', ['AUDITOR'], 'KG');
    expect(errorCode(await gql(hub, elsewhere.token, EVENTS, { filter: { returneeId, hideOwnReads: true }, first: 5 }))).toBe('NOT_FOUND');
    const all = (await gql(hub, elsewhere.token, EVENTS, { filter: { hideOwnReads: true }, first: 100 })).data.auditEvents;
    const kz = new Set((await about(returneeId)).map((r) => r.id));
    expect(all.edges.filter((e: any) => kz.has(e.node.id))).toEqual([]);
    expect(errorCode(await gql(hub, social.token, EVENTS, { filter: { hideOwnReads: true }, first: 5 }))).toBe('FORBIDDEN');
    expect((await auditRowsFor(social.staff.id)).at(-1)).toMatchObject({ action: 'DENY', outcome: 'DENIED', entity_type: 'AuditEvent' });
  });
});

describe('dataSubjectRequests(returneeId:)', () => {
  const BY_PERSON = `query($r: ID) { dataSubjectRequests(returneeId: $r) { id person { id caseNumber } note } }`;

  it('answers an id out of scope like a missing one, names it in no event, and reads an upper-case id as the same id', async () => {
    const supervisor = await makeStaff(hub.db.orm, social.agency, ['SUPERVISOR']);
    const person = await makeReturnee(hub.db.orm, social.agency);
    const made = await gql(
      hub,
      social.token,
      'mutation($i: RecordDataSubjectRequestInput!) { recordDataSubjectRequest(input: $i) { id } }',
      {
        i: { returneeId: person.id, kind: 'ACCESS', receivedOn: today(), note: 'Secret of the social agency' },
      },
    );
    expect(made.errors).toBeUndefined();
    const upper = await gql(hub, supervisor.token, BY_PERSON, { r: person.id.toUpperCase() });
    expect(upper.data.dataSubjectRequests).toEqual([
      {
        id: made.data.recordDataSubjectRequest.id,
        person: { id: person.id, caseNumber: person.caseNumber },
        note: 'Secret of the social agency',
      },
    ]);
    // The country's auditor: the request, never the note (notes are for the agency that serves the person).
    const kzAuditor = await makeSectorUser(hub.db.orm, 'OVERSIGHT', ['AUDITOR']);
    const audited = await gql(hub, kzAuditor.token, BY_PERSON, { r: person.id });
    expect(audited.data.dataSubjectRequests).toEqual([expect.objectContaining({ id: made.data.recordDataSubjectRequest.id, note: null })]);
    const stranger = await makeStaff(hub.db.orm, (await makeSectorUser(hub.db.orm, 'SOCIAL')).agency, ['SUPERVISOR']);
    await grantAccess(hub.db.orm, person, stranger.agency); // case access to the person: not the agency that recorded the requests
    const kg = await makeSectorUser(hub.db.orm, 'OVERSIGHT', ['AUDITOR'], 'KG');
    for (const who of [stranger, kg]) {
      for (const r of [person.id, person.id.toUpperCase()]) {
        const res = await gql(hub, who.token, BY_PERSON, { r });
        expect([res.errors, res.data]).toEqual([undefined, { dataSubjectRequests: [] }]);
      }
      expect((await auditRowsFor(who.staff.id)).filter((e) => e.returnee_id === person.id)).toEqual([]);
    }
    expect(errorCode(await gql(hub, stranger.token, BY_PERSON, { r: `${person.id}x` }))).toBe('BAD_USER_INPUT');
  });
});

describe('reads by key as named statements', () => {
  it("serves two agencies' callers one statement with their own scope, past the generic plan, and a revoked access counts on the next request", async () => {
    const other = await makeSectorUser(hub.db.orm, 'SOCIAL'); // same sector, same statement text, other agency
    const mine = await makeReturnee(hub.db.orm, social.agency);
    const theirs = await makeReturnee(hub.db.orm, other.agency);
    const names = new Set<string | undefined>();
    const onQuery = (q: { sql: string; options?: { name?: string } }) => {
      if (q.sql.trim().startsWith('select r.id, r.case_number')) names.add(q.options?.name);
    };
    hub.db.orm.em.getConnection().getKnex().on('query', onQuery);
    for (let i = 0; i < 8; i++) {
      expect((await gql(hub, social.token, ONE, { id: mine.id })).data.returnee.id).toBe(mine.id);
      expect((await gql(hub, other.token, ONE, { id: theirs.id })).data.returnee.id).toBe(theirs.id);
      expect(errorCode(await gql(hub, other.token, ONE, { id: mine.id }))).toBe('NOT_FOUND');
      expect(errorCode(await gql(hub, social.token, ONE, { id: theirs.id }))).toBe('NOT_FOUND');
    }
    hub.db.orm.em.getConnection().getKnex().off('query', onQuery);
    expect([...names]).toEqual([expect.stringMatching(/^hub_read_/)]); // one statement served both agencies
    expect((await sqlRows('show plan_cache_mode'))[0].plan_cache_mode).toBe('force_generic_plan');
    await grantAccess(hub.db.orm, mine, other.agency);
    for (let i = 0; i < 6; i++) expect((await gql(hub, other.token, ONE, { id: mine.id })).data.returnee.id).toBe(mine.id);
    await sqlRows(`update case_access set revoked_at = now() where returnee_id = $1 and agency_id = $2`, [mine.id, other.agency.id]);
    expect(errorCode(await gql(hub, other.token, ONE, { id: mine.id }))).toBe('NOT_FOUND');
    await sqlRows(`update staff_member set active = false where id = $1`, [other.staff.id]);
    await hub.runtime.actors?.sync(); // a change made by hand in SQL, heard as the hub's own are (src/auth/actor-cache.ts)
    expect(errorCode(await gql(hub, other.token, ONE, { id: theirs.id }))).toBe('UNAUTHENTICATED');
  });
  it('withholds a section on the next request after its consent is revoked, though the statement has a generic plan', async () => {
    const ngo = await makeSectorUser(hub.db.orm, 'NGO');
    const person = await makeReturnee(hub.db.orm, social.agency, { address: '12 Abay Avenue' });
    await grantAccess(hub.db.orm, person, ngo.agency);
    const consent = await giveConsent(hub.db.orm, person, social, ['NGO'], ['CONTACT']);
    const READ = 'query($id: ID!) { returnee(id: $id) { id address redactedFields } }';
    for (let i = 0; i < 7; i++) expect((await gql(hub, ngo.token, READ, { id: person.id })).data.returnee.address).toBe('12 Abay Avenue');
    await sqlRows(`update consent set revoked_at = now() where id = $1`, [consent.id]);
    const after = (await gql(hub, ngo.token, READ, { id: person.id })).data.returnee;
    expect(after.address).toBeNull();
    expect(after.redactedFields).toContain('address');
  });
  it("names a section write by its shape only: other values, records and agencies use no new name (the cap is not a caller's to spend)", async () => {
    const other = await makeSectorUser(hub.db.orm, 'SOCIAL');
    const [a, b] = [await makeReturnee(hub.db.orm, social.agency), await makeReturnee(hub.db.orm, other.agency)];
    const RECORD = `mutation($id: ID!, $input: RecordSocialSupportInput!) { recordSocialSupport(returneeId: $id, input: $input) { __typename } }`;
    const names: number[] = [];
    const writes = [
      [social, a, 'Child allowance'],
      [other, b, 'Housing'],
      [social, a, 'Food'],
      [other, b, 'Fuel'],
    ] as const;
    for (const [who, r, description] of writes) {
      const res = await gql(hub, who.token, RECORD, { id: r.id, input: { kind: 'BENEFIT', description, startedOn: '2020-01-01' } });
      expect(res.errors).toBeUndefined();
      names.push(statementNamesInUse());
    }
    expect(names.slice(1)).toEqual([names[0], names[0], names[0]]);
  });

  // Last: fills the process's names for good.
  it('writes, reads and audits as before once the names are used up, a shape never named included', async () => {
    const r = await makeReturnee(hub.db.orm, social.agency);
    for (let i = 0; statementNamesInUse() < MAX_NAMES; i++) statementName('filler', `select ${i} as attack`);
    const UPDATE = `mutation($id: ID!, $v: Int!) { updateReturnee(id: $id, expectedVersion: $v, input: { region: "Aktobe", address: "3 Lenin St" }) {
      returnee { id region address version } } }`;
    const before = (await auditRowsFor(social.staff.id)).length;
    for (let v = 1; v <= 3; v++) {
      const res = await gql(hub, social.token, UPDATE.replace('Aktobe', `Aktobe ${v}`), { id: r.id, v });
      expect(res.errors).toBeUndefined();
      expect(res.data.updateReturnee.returnee).toMatchObject({ region: `Aktobe ${v}`, address: '3 Lenin St', version: v + 1 });
    }
    const read = await gql(hub, social.token, 'query($id: ID!) { returnee(id: $id) { id region address phone } }', { id: r.id });
    expect(read.data.returnee).toMatchObject({ id: r.id, region: 'Aktobe 3', address: '3 Lenin St' });
    const rows = (await auditRowsFor(social.staff.id)).slice(before);
    expect(rows.filter((e) => e.action === 'UPDATE' && e.entity_id === r.id)).toHaveLength(3);
    expect(rows.at(-1)).toMatchObject({ action: 'READ', entity_id: r.id, fields: ['id', 'region', 'address', 'phone'] });
  });
});
