import type { HubServer } from '../src/server';
import { auditRowsFor } from './support/audit';
import { giveConsent, grantAccess, makeReturnee, makeSectorUser, type StaffFixture } from './support/factories';
import { errorCode, gql, sqlClient, startHub } from './support/hub';

/**
 * The connection obeys the same rules as single reads: only rows in scope are returned and
 * counted, filters and sort keys need read access to their fields, page size is capped, and
 * every returned record has a READ event.
 */
const LIST = `query List($filter: ReturneeFilter, $first: Int, $after: String, $orderBy: ReturneeOrder) {
  returnees(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id familyName region } } } }`;

let hub: HubServer;
let social: StaffFixture;
let education: StaffFixture;
const mine: string[] = [];

beforeAll(async () => {
  hub = await startHub();
  const orm = hub.db.orm;
  social = await makeSectorUser(orm, 'SOCIAL');
  education = await makeSectorUser(orm, 'EDUCATION');
  for (let i = 0; i < 7; i++) {
    const r = await makeReturnee(orm, social.agency, {
      familyName: `Family${i}`,
      region: i % 2 ? 'Osh' : 'Bishkek',
      otherNames: [`Фамилия${i}`],
    });
    mine.push(r.id);
    if (i < 3) await grantAccess(orm, r, education.agency);
    if (i < 2) await giveConsent(orm, r, social, ['EDUCATION'], ['IDENTITY']);
  }
  // Noise: another agency's records must never show up or be counted.
  const other = await makeSectorUser(orm, 'SOCIAL');
  for (let i = 0; i < 4; i++) await makeReturnee(orm, other.agency);
});
afterAll(() => hub.stop());

it('pages through exactly the records in scope, with a total that counts only them', async () => {
  const seen: string[] = [];
  let after: string | null = null;
  let pages = 0;
  do {
    const res: any = await gql(hub, social.token, LIST, { first: 3, after });
    expect(res.errors).toBeUndefined();
    expect(res.data.returnees.totalCount).toBe(7);
    seen.push(...res.data.returnees.edges.map((e: any) => e.node.id));
    after = res.data.returnees.pageInfo.hasNextPage ? res.data.returnees.pageInfo.endCursor : null;
    pages++;
  } while (after);
  expect(pages).toBe(3);
  expect(new Set(seen)).toEqual(new Set(mine));
  expect(seen).toHaveLength(7);
});

it('gives a caseworker with case access only the shared records, and their identity only under consent', async () => {
  const res = await gql(hub, education.token, `{ returnees(first: 50) { totalCount nodes { id familyName region redactedFields } } }`);
  expect(res.errors).toBeUndefined();
  expect(res.data.returnees.totalCount).toBe(3);
  const byId = new Map(res.data.returnees.nodes.map((n: any) => [n.id, n]));
  expect([...byId.keys()].sort()).toEqual(mine.slice(0, 3).sort());
  expect((byId.get(mine[0]) as any).familyName).toBe('Family0');
  expect((byId.get(mine[1]) as any).familyName).toBe('Family1');
  expect(byId.get(mine[2])).toMatchObject({ familyName: null, region: null });
  expect((byId.get(mine[2]) as any).redactedFields).toContain('familyName');
  expect((byId.get(mine[0]) as any).redactedFields).toContain('region');
});

it('lets a search match only records whose names the caller may read (no oracle through consent)', async () => {
  const found = await gql(hub, education.token, LIST, { filter: { search: 'Family' } });
  expect(found.errors).toBeUndefined();
  expect(found.data.returnees.totalCount).toBe(2);
  const hidden = await gql(hub, education.token, LIST, { filter: { search: 'Family2' } });
  expect(hidden.data.returnees.totalCount).toBe(0);
});

it('filters by name in any spelling and by region', async () => {
  const latin = await gql(hub, social.token, LIST, { filter: { search: 'family3' } });
  expect(latin.data.returnees.edges.map((e: any) => e.node.familyName)).toEqual(['Family3']);
  const cyrillic = await gql(hub, social.token, LIST, { filter: { search: 'амилия4' } });
  expect(cyrillic.data.returnees.edges.map((e: any) => e.node.familyName)).toEqual(['Family4']);
  const osh = await gql(hub, social.token, LIST, { filter: { region: 'Osh' } });
  expect(osh.data.returnees.totalCount).toBe(3);
});

it('sorts by a readable field in either direction', async () => {
  const res = await gql(hub, social.token, LIST, { first: 7, orderBy: { field: 'FAMILY_NAME', direction: 'DESC' } });
  expect(res.data.returnees.edges.map((e: any) => e.node.familyName)).toEqual([
    'Family6',
    'Family5',
    'Family4',
    'Family3',
    'Family2',
    'Family1',
    'Family0',
  ]);
});

it('refuses to filter by a field the caller may not read (an oracle for its value) and audits it', async () => {
  const res = await gql(hub, education.token, LIST, { filter: { region: 'Osh' } });
  expect(errorCode(res)).toBe('FORBIDDEN');
  expect(res.errors![0].message).toMatch(/region/);
  const auditor = await makeSectorUser(hub.db.orm, 'OVERSIGHT', ['AUDITOR']);
  const sorted = await gql(hub, auditor.token, LIST, { orderBy: { field: 'FAMILY_NAME', direction: 'ASC' } });
  expect(errorCode(sorted)).toBe('FORBIDDEN');
  expect((await auditRowsFor(education.staff.id)).at(-1)).toMatchObject({ action: 'DENY', denied_fields: ['region'] });
});

it('caps the page size', async () => {
  const res = await gql(hub, social.token, LIST, { first: 1000 });
  expect(errorCode(res)).toBe('BAD_USER_INPUT');
  expect(res.errors![0].message).toMatch(/between 1 and 100/);
  expect(errorCode(await gql(hub, social.token, LIST, { first: 0 }))).toBe('BAD_USER_INPUT');
});

it('rejects a forged cursor', async () => {
  const res = await gql(hub, social.token, LIST, { after: 'not-a-cursor' });
  expect(errorCode(res)).toBe('BAD_USER_INPUT');
});

it('records one READ event per returned record, none for records not returned', async () => {
  const user = await makeSectorUser(hub.db.orm, 'SOCIAL');
  const r1 = await makeReturnee(hub.db.orm, user.agency);
  const r2 = await makeReturnee(hub.db.orm, user.agency);
  const res = await gql(hub, user.token, `{ returnees(first: 1) { nodes { id givenName } } }`);
  const returned = res.data.returnees.nodes[0].id;
  const events = await auditRowsFor(user.staff.id);
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({ action: 'READ', returnee_id: returned, operation: 'returnees', fields: ['id', 'givenName'] });
  expect([r1.id, r2.id]).toContain(returned);
});

it('uses a constant number of SQL statements whatever the page size (no N+1)', async () => {
  const knex = hub.db.orm.em.getConnection().getKnex();
  let statements = 0;
  // Who the token names is cached per process and the cache empties on any staff or agency
  // change in the database (src/auth/actor-cache.ts): other suites' writes make that look-up
  // come back at random. It is per request, not per record: not counted.
  const onQuery = (q: { sql: string }) => {
    if (!/from staff_member s join agency a/.test(q.sql)) statements++;
  };
  knex.on('query', onQuery);
  const count = async (first: number) => {
    statements = 0;
    const res = await gql(
      hub,
      social.token,
      `query($first: Int) { returnees(first: $first) { totalCount nodes { id givenName registeringAgency { code } healthAssessments { findings agency { code } } } } }`,
      { first },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.returnees.nodes).toHaveLength(first);
    return statements;
  };
  await count(1);
  const small = await count(2);
  const large = await count(7);
  knex.off('query', onQuery);
  expect(large).toBe(small);
  expect(small).toBeLessThanOrEqual(7);
});
