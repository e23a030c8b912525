import type { HubServer } from '../src/server';
import { auditRowsFor } from './support/audit';
import { giveConsent, grantAccess, makeReturnee, makeSectorUser, type StaffFixture } from './support/factories';
import { errorCode, gql, sqlClient, startHub } from './support/hub';

/**
 * Every connection follows the Relay cursor-connection spec that Apollo Client's and Relay's
 * pagination helpers read: edges { cursor node } and pageInfo { hasNextPage hasPreviousPage
 * startCursor endCursor }. The API pages forward (first/after), so hasPreviousPage says whether
 * edges before `after` still exist in the caller's scope; startCursor/endCursor are the first
 * and last edge cursors; an edge's node is read and audited exactly like one in nodes.
 */
const PAGE_INFO = 'pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';
const RETURNEES = `query($first: Int, $after: String) {
  returnees(first: $first, after: $after) { ${PAGE_INFO} edges { cursor node { id } } } }`;
const REFERRALS = `query($first: Int, $after: String) {
  referrals(first: $first, after: $after, filter: { direction: OUTGOING }) {
    ${PAGE_INFO} hasNextPage endCursor edges { cursor node { id service returnee { caseNumber } } } } }`;
const EVENTS = `query($first: Int, $after: String, $id: ID) {
  auditEvents(first: $first, after: $after, filter: { returneeId: $id }) { ${PAGE_INFO} edges { cursor node { id } } } }`;

interface Page {
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: { cursor: string; node: { id: string } }[];
}

let hub: HubServer;
let social: StaffFixture;
let ngo: StaffFixture;
const ids: string[] = [];

beforeAll(async () => {
  hub = await startHub();
  social = await makeSectorUser(hub.db.orm, 'SOCIAL');
  ngo = await makeSectorUser(hub.db.orm, 'NGO');
  for (let i = 0; i < 5; i++) ids.push((await makeReturnee(hub.db.orm, social.agency, { familyName: `Relay${i}` })).id);
});
afterAll(() => hub.stop());

/** Pages of `size` through a connection at `path`, checking each page's info against its edges. */
async function pages(token: string, query: string, root: string, size: number, vars: Record<string, unknown> = {}): Promise<Page[]> {
  const out: Page[] = [];
  let after: string | null = null;
  do {
    const res: any = await gql(hub, token, query, { ...vars, first: size, after });
    expect(res.errors).toBeUndefined();
    const page: Page = res.data[root];
    expect(page.pageInfo.startCursor).toBe(page.edges[0]?.cursor ?? null);
    expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
    out.push(page);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after && out.length < 20);
  return out;
}

function flags(list: Page[]) {
  return list.map((p) => [p.edges.length, p.pageInfo.hasPreviousPage, p.pageInfo.hasNextPage]);
}

describe('returnees', () => {
  it('reports no previous page on the first page and one on every later page; no next page on the last', async () => {
    const list = await pages(social.token, RETURNEES, 'returnees', 2);
    expect(flags(list)).toEqual([
      [2, false, true],
      [2, true, true],
      [1, true, false],
    ]);
    expect(list.flatMap((p) => p.edges.map((e) => e.node.id)).sort()).toEqual([...ids].sort());
  });

  it('pages on from any edge cursor, startCursor included', async () => {
    const [first] = await pages(social.token, RETURNEES, 'returnees', 5);
    const fromStart = await gql(hub, social.token, RETURNEES, { first: 10, after: first.pageInfo.startCursor });
    expect(fromStart.data.returnees.edges.map((e: any) => e.node.id)).toEqual(first.edges.slice(1).map((e) => e.node.id));
    expect(fromStart.data.returnees.pageInfo.hasPreviousPage).toBe(true);
  });

  it('counts as previous only records still in scope: no previous page once the earlier records left it', async () => {
    const health = await makeSectorUser(hub.db.orm, 'HEALTH');
    const accesses = new Map<string, string>();
    for (const id of ids.slice(0, 3)) accesses.set(id, (await grantAccess(hub.db.orm, { id } as never, health.agency)).id);
    const [first] = await pages(health.token, RETURNEES, 'returnees', 1);
    expect(first.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
    const second = await gql(hub, health.token, RETURNEES, { first: 1, after: first.pageInfo.endCursor });
    expect(second.data.returnees.pageInfo.hasPreviousPage).toBe(true);

    // The first record leaves the agency's scope: nothing the agency may see comes before the cursor any more.
    const client = await sqlClient();
    try {
      await client.query(`update case_access set revoked_at = now() where id = $1`, [accesses.get(first.edges[0].node.id)]);
    } finally {
      await client.end();
    }
    const after = await gql(hub, health.token, RETURNEES, { first: 1, after: first.pageInfo.endCursor });
    expect(after.errors).toBeUndefined();
    expect(after.data.returnees.edges.map((e: any) => e.node.id)).toEqual([second.data.returnees.edges[0].node.id]);
    expect(after.data.returnees.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
  });

  it('gives an empty page null start and end cursors', async () => {
    const res = await gql(hub, social.token, `{ returnees(first: 5, filter: { search: "NoSuchName" }) { ${PAGE_INFO} edges { cursor } } }`);
    expect(res.data.returnees).toEqual({
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
      edges: [],
    });
  });
});

describe('referrals', () => {
  beforeAll(async () => {
    for (const id of ids.slice(0, 3)) {
      await giveConsent(hub.db.orm, { id } as never, social, ['NGO'], ['IDENTITY']);
      const res = await gql(hub, social.token, `mutation($input: ReferReturneeInput!) { referReturnee(input: $input) { id } }`, {
        input: { returneeId: id, toAgencyId: ngo.agency.id, service: 'counselling', reason: 'Counselling after return' },
      });
      expect(res.errors).toBeUndefined();
    }
  });

  it('is a Relay connection: edges with cursors, page info in both directions, the old fields unchanged', async () => {
    const list = await pages(social.token, REFERRALS, 'referrals', 2);
    expect(flags(list)).toEqual([
      [2, false, true],
      [1, true, false],
    ]);
    for (const p of list as any[]) {
      expect(p.hasNextPage).toBe(p.pageInfo.hasNextPage);
      expect(p.endCursor).toBe(p.pageInfo.endCursor);
    }
    expect(new Set(list.flatMap((p) => p.edges.map((e: any) => e.node.returnee.caseNumber))).size).toBe(3);
  });

  it('audits a referral read through edges exactly like one read through nodes', async () => {
    const reader = await makeSectorUser(hub.db.orm, 'NGO');
    await gql(hub, social.token, `mutation($input: ReferReturneeInput!) { referReturnee(input: $input) { id } }`, {
      input: { returneeId: ids[0], toAgencyId: reader.agency.id, service: 'counselling', reason: 'Counselling after return' },
    });
    const res = await gql(hub, reader.token, `{ referrals(first: 5) { edges { cursor node { id service returnee { caseNumber } } } } }`);
    expect(res.errors).toBeUndefined();
    const [edge] = res.data.referrals.edges;
    const reads = (await auditRowsFor(reader.staff.id)).filter((r) => r.action === 'READ');
    expect(reads).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ entity_type: 'Referral', entity_id: edge.node.id, fields: ['id', 'service', 'returnee'] }),
        expect.objectContaining({ entity_type: 'Returnee', entity_id: ids[0], fields: ['caseNumber'], reason: 'REFERRAL' }),
      ]),
    );
  });

  it("seals edge cursors to their caller: another agency's staff cannot page with them", async () => {
    const [first] = await pages(social.token, REFERRALS, 'referrals', 1);
    const stolen = await gql(hub, ngo.token, REFERRALS, { first: 1, after: first.edges[0].cursor });
    expect(errorCode(stolen)).toBe('BAD_USER_INPUT');
  });
});

describe('auditEvents', () => {
  it('pages the trail with the same page info', async () => {
    const auditor = await makeSectorUser(hub.db.orm, 'OVERSIGHT', ['AUDITOR']);
    for (let i = 0; i < 2; i++) await gql(hub, social.token, 'query($id: ID!) { returnee(id: $id) { id } }', { id: ids[4] });
    const list = await pages(auditor.token, EVENTS, 'auditEvents', 2, { id: ids[4] });
    expect(list.length).toBeGreaterThanOrEqual(2);
    expect(list[0].pageInfo.hasPreviousPage).toBe(false);
    for (const p of list.slice(1)) expect(p.pageInfo.hasPreviousPage).toBe(true);
    expect(list.at(-1)!.pageInfo.hasNextPage).toBe(false);
  });
});
