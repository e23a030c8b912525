import type { Knex } from '@mikro-orm/postgresql';
import type { HubServer } from '../src/server';
import { fillAllStaleKeys } from '../src/dedup/name-key-store';
import { fillAllStalePairs, fillStalePairs, nextBatchSize, PAIR_VERSION } from '../src/dedup/pair-store';
import { createScratchDb, type ScratchDb } from './support/audit-scratch-db';
import { makeReturnee, makeSectorUser, type StaffFixture } from './support/factories';
import { gql, startHub } from './support/hub';
import { unrelatedFamilyName } from './support/family-names';

/**
 * The review pairs against a backlog whose cost does not depend on the caller: a crowd of
 * records of one name and birth date, each with hundreds of candidate links. A listing fills and
 * counts only the records of its caller's scope (a crowd elsewhere changes neither its list nor
 * `complete`), spends a bounded time on them and then answers from the pairs already computed
 * (`complete: false`), never TIMEOUT; a batch cut by its budget is rolled back whole; batches
 * shrink with their links. A database of its own, and a hub without the background filler
 * (HUB_DEDUP_FILL_MS=0), so what is stale is what each test left stale.
 */
const LIST = `query { potentialDuplicates(first: 50) { complete edges { node { score recordA { id } recordB { id } } } } }`;

let scratch: ScratchDb;
let hub: HubServer;
let sup: StaffFixture;
let knex: Knex;

beforeAll(async () => {
  scratch = await createScratchDb('pairs');
  hub = await startHub({ DATABASE_URL: scratch.url, HUB_AUDIT_SEAL_INTERVAL_MS: '0', HUB_DEDUP_FILL_MS: '0' });
  knex = hub.db.orm.em.getConnection().getKnex();
  sup = await makeSectorUser(hub.db.orm, 'SOCIAL', ['SUPERVISOR']);
});
afterAll(async () => {
  await hub?.stop();
  await scratch?.drop();
});

/** `n` records of "Aigerim <family>" born 1994-03-12, registered in turn by `agencies`, keys computed. */
async function crowd(family: string, n: number, agencies: string[]): Promise<void> {
  await scratch.query(
    `insert into returnee (id, version, registering_agency_id, country, created_at, updated_at, case_number, given_name, family_name,
                           other_names, sex, date_of_birth, date_of_birth_estimated, status)
     select gen_random_uuid(), 1, ($1::uuid[])[1 + g % cardinality($1::uuid[])], 'KZ', now(), now(),
            'T-pairs-' || substr(md5(random()::text), 1, 12), 'Aigerim', $2, '{}', 'FEMALE', '1994-03-12', false, 'IN_CARE'
       from generate_series(1, $3) g`,
    [agencies, family, n],
  );
  await fillAllStaleKeys(knex);
}

async function otherAgencies(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await makeSectorUser(hub.db.orm, 'NGO')).agency.id);
  return ids;
}

const stalePairs = async () =>
  Number((await scratch.query(`select count(*) as n from returnee_name_key where pairs_version < $1`, [PAIR_VERSION]))[0].n);
const allPairs = () => scratch.query(`select low_id, high_id, score from duplicate_pair order by 1, 2`);
const markAllDone = () => scratch.query(`update returnee_name_key set pairs_version = $1`, [PAIR_VERSION]);

async function list() {
  const res = await gql(hub, sup.token, LIST);
  expect(res.errors).toBeUndefined();
  const page = res.data.potentialDuplicates as {
    complete: boolean;
    edges: { node: { recordA: { id: string }; recordB: { id: string } } }[];
  };
  return { complete: page.complete, pairs: page.edges.map((e) => [e.node.recordA.id, e.node.recordB.id].sort().join('|')) };
}

describe('review pairs against a crowd of look-alikes', () => {
  it('sizes batches by their links: ordinary records in batches up to 500, a crowd in small ones', () => {
    expect(nextBatchSize(20, { records: 20, links: 10 })).toBe(40);
    expect(nextBatchSize(400, { records: 400, links: 400 })).toBe(500);
    expect(nextBatchSize(20, { records: 20, links: 20 * 2_000 })).toBe(10);
    expect(nextBatchSize(1, { records: 1, links: 100_000 })).toBe(1);
    expect(nextBatchSize(20, { records: 0, links: 0 })).toBe(40);
  });

  it("a crowd outside the caller's scope changes neither its list nor `complete`, and its listing does not compute their pairs", async () => {
    const family = unrelatedFamilyName();
    const a = await makeReturnee(hub.db.orm, sup.agency, { familyName: family });
    const b = await makeReturnee(hub.db.orm, sup.agency, { familyName: family });
    await fillAllStaleKeys(knex);
    await fillAllStalePairs(knex);
    const alone = await list();
    expect(alone).toEqual({ complete: true, pairs: [[a.id, b.id].sort().join('|')] });

    // More records than a listing fills (200), of the same name and birth date, all elsewhere.
    await crowd(family, 300, await otherAgencies(30));
    expect(await list()).toEqual(alone);
    expect(await stalePairs()).toBe(300);

    // A batch whose statement budget is far below its work: cancelled, nothing of it written.
    const before = await allPairs();
    expect(await fillStalePairs(knex, 20, { timeoutMs: 1 })).toEqual({ records: 0, links: 0 });
    expect(await stalePairs()).toBe(300);
    expect(await allPairs()).toEqual(before);
    await markAllDone();
  });

  it("a backlog in the caller's scope beyond the listing's budget: complete false with the pairs it has, no TIMEOUT", async () => {
    const family = unrelatedFamilyName();
    // 1,500 records of one agency: 200 candidate links each (the per-agency cap), 300,000 in
    // all, several times what the listing's 2 s budget computes on any machine this runs on.
    await crowd(family, 1_500, [sup.agency.id]);
    const page = await list();
    expect(page.complete).toBe(false);
    const left = await stalePairs();
    expect(left).toBeGreaterThan(0);
    // A fill with a deadline stops at it without an error: what it did is whole, the rest stale.
    const done = await fillAllStalePairs(knex, undefined, { deadline: Date.now() + 300 });
    expect(done).toBeLessThan(left);
    expect(await stalePairs()).toBe(left - done);
    await markAllDone();
  });

  it('fills a crowd to the end in batches that grow with few links, every pair kept once', async () => {
    const family = unrelatedFamilyName();
    await crowd(family, 150, await otherAgencies(40));
    const sizes: number[] = [];
    let last = 0;
    await fillAllStalePairs(knex, (done) => {
      sizes.push(done - last);
      last = done;
    });
    expect(await stalePairs()).toBe(0);
    // 149 links per record: batches of 20, 40, 80 then at most 20,000 / 149 = 134 records.
    expect(sizes.slice(0, 3)).toEqual([20, 40, 80]);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(134);
    const [{ n }] = await scratch.query(
      `select count(*) as n from duplicate_pair p join returnee a on a.id = p.low_id join returnee b on b.id = p.high_id
        where a.family_name = $1 and b.family_name = $1`,
      [family],
    );
    expect(Number(n)).toBe((150 * 149) / 2);
  });
});
