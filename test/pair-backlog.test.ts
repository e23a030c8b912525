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
 * records of one name and birth date in many agencies, each with hundreds of candidate links.
 * A listing spends a bounded time on it and answers from the pairs already computed
 * (`complete: false`), never TIMEOUT; a batch cut by its budget is rolled back whole; batches
 * shrink with their links. A database of its own: the crowd's pairs (N x N) would otherwise be
 * computed by the hub of every suite sharing the run's database.
 */
const CROWD = 600;
const LIST = `query { potentialDuplicates(first: 50) { complete edges { node { score recordA { id } recordB { id } } } } }`;

let scratch: ScratchDb;
let hub: HubServer;
let sup: StaffFixture;
let knex: Knex;

beforeAll(async () => {
  scratch = await createScratchDb('pairs');
  hub = await startHub({ DATABASE_URL: scratch.url, HUB_AUDIT_SEAL_INTERVAL_MS: '0' });
  knex = hub.db.orm.em.getConnection().getKnex();
  sup = await makeSectorUser(hub.db.orm, 'SOCIAL', ['SUPERVISOR']);
});
afterAll(async () => {
  await hub?.stop();
  await scratch?.drop();
});

/** `n` records of "Aigerim <family>" born 1994-03-12, spread over `agencies` new NGO agencies, keys computed. */
async function crowd(family: string, n: number, agencies = 60): Promise<void> {
  const ids: string[] = [];
  for (let i = 0; i < agencies; i++) ids.push((await makeSectorUser(hub.db.orm, 'NGO')).agency.id);
  await scratch.query(
    `insert into returnee (id, version, registering_agency_id, country, created_at, updated_at, case_number, given_name, family_name,
                           other_names, sex, date_of_birth, date_of_birth_estimated, status)
     select gen_random_uuid(), 1, ($1::uuid[])[1 + g % cardinality($1::uuid[])], 'KZ', now(), now(), 'T-pairs-' || substr(md5(random()::text), 1, 12), 'Aigerim', $2,
            '{}', 'FEMALE', '1994-03-12', false, 'IN_CARE'
       from generate_series(1, $3) g`,
    [ids, family, n],
  );
  await fillAllStaleKeys(knex);
}

const stalePairs = async () =>
  Number((await scratch.query(`select count(*) as n from returnee_name_key where pairs_version < $1`, [PAIR_VERSION]))[0].n);

describe('review pairs against a crowd of look-alikes', () => {
  it('sizes batches by their links: ordinary records in batches up to 500, a crowd in small ones', () => {
    expect(nextBatchSize(20, { records: 20, links: 10 })).toBe(40);
    expect(nextBatchSize(400, { records: 400, links: 400 })).toBe(500);
    expect(nextBatchSize(20, { records: 20, links: 20 * 2_000 })).toBe(10);
    expect(nextBatchSize(1, { records: 1, links: 100_000 })).toBe(1);
    expect(nextBatchSize(20, { records: 0, links: 0 })).toBe(40);
  });

  it('rolls back a batch cut by its budget whole, and the listing answers complete: false with the pairs it has', async () => {
    const family = unrelatedFamilyName();
    const a = await makeReturnee(hub.db.orm, sup.agency, { familyName: family });
    const b = await makeReturnee(hub.db.orm, sup.agency, { familyName: family });
    await fillAllStaleKeys(knex);
    await fillAllStalePairs(knex);
    const before = await scratch.query(`select low_id, high_id, score from duplicate_pair order by 1, 2`);
    expect(before).toHaveLength(1);

    await crowd(family, CROWD);
    // A statement budget far below one batch's work: cancelled, nothing of it written.
    expect(await fillStalePairs(knex, 20, 1)).toEqual({ records: 0, links: 0 });
    expect(await stalePairs()).toBe(CROWD);
    expect(await scratch.query(`select low_id, high_id, score from duplicate_pair order by 1, 2`)).toEqual(before);

    // The crowd's pairs are 600 x 601 links: more than a listing's budget (and than the
    // background filler of the hub, sharing the work, finishes meanwhile).
    const res = await gql(hub, sup.token, LIST);
    expect(res.errors).toBeUndefined();
    expect(res.data.potentialDuplicates.complete).toBe(false);
    // The caller's pair with each of the crowd is out of its scope; its own pair is listed.
    const pairs = res.data.potentialDuplicates.edges.map((e: { node: { recordA: { id: string }; recordB: { id: string } } }) =>
      [e.node.recordA.id, e.node.recordB.id].sort().join('|'),
    );
    expect(pairs).toEqual([[a.id, b.id].sort().join('|')]);
    // A fill with a deadline stops at it without an error: what it did is whole, the rest stale.
    const left = await stalePairs();
    const done = await fillAllStalePairs(knex, undefined, { deadline: Date.now() + 300 });
    expect(done).toBeLessThan(left);
    expect(await stalePairs()).toBeLessThanOrEqual(left - done);
  });

  it('fills a crowd to the end in batches that grow with few links, every pair kept once', async () => {
    // The first crowd's pairs (600 x 600 links) are not this test's: mark them done, so neither
    // this fill nor the hub's background filler spends its time on them.
    await scratch.query(`update returnee_name_key set pairs_version = $1`, [PAIR_VERSION]);
    const family = unrelatedFamilyName();
    await crowd(family, 150, 40);
    const sizes: number[] = [];
    let last = 0;
    await fillAllStalePairs(knex, (done) => {
      sizes.push(done - last);
      last = done;
    });
    expect(await stalePairs()).toBe(0);
    // 150 links per record: 20, 40, 80 records... (the hub's background filler may take some).
    expect(sizes.length).toBeGreaterThan(1);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(133);
    const [{ n }] = await scratch.query(
      `select count(*) as n from duplicate_pair p join returnee a on a.id = p.low_id join returnee b on b.id = p.high_id
        where a.family_name = $1 and b.family_name = $1`,
      [family],
    );
    expect(Number(n)).toBe((150 * 149) / 2);
  });
});
