import type { Agency } from '../src/agency/agency.entity';
import { fillAllStaleKeys } from '../src/dedup/name-key-store';
import { fillAllStalePairs, PAIR_VERSION } from '../src/dedup/pair-store';
import type { HubServer } from '../src/server';
import { makeReturnee, makeSectorUser } from './support/factories';
import { gql, sqlClient, startHub } from './support/hub';
import { unrelatedFamilyName } from './support/family-names';

/**
 * The candidate caps (40 per duplicate check, 200 per record for the review pairs, 200 per
 * agency for identity checks) against a crowd: records the caller may not see, closer to the
 * probe than the caller's own match. A crowd larger than every cap must change nothing of what
 * the caller sees — each answer is compared with the same question's answer without a crowd.
 * With a cap applied before the scope, the crowd would fill it and the in-scope match vanish.
 */
const CROWD = 210;

const CHECK = `query($input: DuplicateCheckInput!) { likelyDuplicates(input: $input, first: 50) {
  complete candidates { score reasons { code fields } returnee { id caseNumber givenName } } } }`;
const REGISTER = `mutation($input: RegisterReturneeInput!) { registerReturnee(input: $input, duplicateCheck: REFUSE) { returnee { id } } }`;
const LIST = `query { potentialDuplicates(first: 50) { edges { node { score reasons { code fields } recordA { id } recordB { id } } } } }`;
const REQUEST = `mutation($input: RequestIdentityCheckInput!) { requestIdentityCheck(input: $input) { id status } }`;
const QUESTIONS = `query { identityCheckRequests(status: OPEN) { id matches { score reasons { code } returnee { id } } } }`;

let hub: HubServer;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  // Other suites share this database, and a review listing computes the pairs of 200 stale
  // records before answering: hundreds of stale crowd records would hold theirs back. The crowd's
  // pairs among themselves are not what this suite looks at; mark them computed.
  const client = await sqlClient();
  try {
    await client.query(
      `update returnee_name_key set pairs_version = $1 where returnee_id in (select id from returnee where case_number like 'T-crowd-%')`,
      [PAIR_VERSION],
    );
  } finally {
    await client.end();
  }
  await hub.stop();
});

const uniqueFamily = unrelatedFamilyName;

/**
 * `n` records of "Aigerim <family>", born 1994-03-12, registered by `agency` straight in SQL (the
 * fastest way to a crowd; the database marks their name keys stale, `keys` computes them).
 */
async function crowd(agency: Agency, family: string, n: number, keys = true): Promise<void> {
  const client = await sqlClient();
  try {
    await client.query(
      `insert into returnee (id, version, registering_agency_id, country, created_at, updated_at, case_number, given_name, family_name,
                             other_names, sex, date_of_birth, date_of_birth_estimated, status)
       select gen_random_uuid(), 1, $1, $2, now(), now(), 'T-crowd-' || substr(md5(random()::text), 1, 12), 'Aigerim', $3,
              '{}', 'FEMALE', '1994-03-12', false, 'IN_CARE'
         from generate_series(1, $4)`,
      [agency.id, agency.country, family, n],
    );
  } finally {
    await client.end();
  }
  if (keys) await fillAllStaleKeys(hub.db.orm.em.getConnection().getKnex());
}

/** The caller's record: one letter off the crowd's given name, so every crowd record is closer to the probe. */
const near = (family: string) => ({ givenName: 'Aigerima', familyName: family, dateOfBirth: '1994-03-12' });
const probe = (family: string) => ({ givenName: 'Aigerim', familyName: family, sex: 'FEMALE' as const, dateOfBirth: '1994-03-12' });

describe('a crowd of out-of-scope look-alikes', () => {
  it('changes neither likelyDuplicates (candidates, scores, complete) nor what REFUSE refuses', async () => {
    const orm = hub.db.orm;
    const mine = await makeSectorUser(orm, 'SOCIAL');
    const family = uniqueFamily();
    const own = await makeReturnee(orm, mine.agency, near(family));
    const ask = async () => {
      const check = await gql(hub, mine.token, CHECK, { input: probe(family) });
      expect(check.errors).toBeUndefined();
      const refused = await gql(hub, mine.token, REGISTER, { input: probe(family) });
      return { check: check.data.likelyDuplicates, refused: refused.errors?.map((e) => [e.message, e.extensions]) };
    };
    const alone = await ask();
    expect(alone.check.complete).toBe(true);
    expect(alone.check.candidates.map((c: { returnee: { id: string } }) => c.returnee.id)).toEqual([own.id]);
    expect(alone.refused).toHaveLength(1);

    const theirs = await makeSectorUser(orm, 'NGO');
    // Waiting for their keys: a stale record out of scope does not make the caller's answer incomplete.
    await crowd(theirs.agency, family, CROWD, false);
    expect(await ask()).toEqual(alone);
    await fillAllStaleKeys(orm.em.getConnection().getKnex());
    // With keys, every one of them is closer to the probe than the caller's record, and more than any cap.
    expect(await ask()).toEqual(alone);
  });

  it('hides no review pair of the caller: the same pair and score as for a name nobody crowds', async () => {
    const orm = hub.db.orm;
    const sup = await makeSectorUser(orm, 'SOCIAL', ['SUPERVISOR']);
    const theirs = await makeSectorUser(orm, 'NGO', ['SUPERVISOR']);
    const knex = orm.em.getConnection().getKnex();
    const [quiet, crowded] = [uniqueFamily(), uniqueFamily()];
    const pairs: Record<string, [string, string]> = {};
    for (const family of [quiet, crowded]) {
      const first = await makeReturnee(orm, sup.agency, near(family));
      await fillAllStaleKeys(knex);
      await fillAllStalePairs(knex);
      // The crowd is registered before the second record, whose pairs are then computed among it.
      if (family === crowded) await crowd(theirs.agency, family, CROWD);
      const second = await makeReturnee(orm, sup.agency, probe(family));
      await fillAllStaleKeys(knex);
      await fillAllStalePairs(knex);
      pairs[family] = [first.id, second.id].sort() as [string, string];
    }
    const res = await gql(hub, sup.token, LIST, {});
    expect(res.errors).toBeUndefined();
    const edges = res.data.potentialDuplicates.edges.map(
      (e: { node: { score: number; reasons: unknown; recordA: { id: string }; recordB: { id: string } } }) => ({
        pair: [e.node.recordA.id, e.node.recordB.id].sort(),
        score: e.node.score,
        reasons: e.node.reasons,
      }),
    );
    const of = (family: string) => edges.filter((e: { pair: string[] }) => e.pair.join() === pairs[family].join());
    expect(of(quiet)).toHaveLength(1);
    expect(of(crowded)).toEqual([{ ...of(quiet)[0], pair: pairs[crowded] }]);
    // (Two made-up family names of one run may be close enough to pair across: not counted here.)
  });

  it('does not keep an identity check from reaching a holder (the crowd at the requester and at a third agency)', async () => {
    const orm = hub.db.orm;
    const family = uniqueFamily();
    const requester = await makeSectorUser(orm, 'NGO', ['CASEWORKER']);
    const own = await makeReturnee(orm, requester.agency, probe(family));
    const holder = await makeSectorUser(orm, 'SOCIAL', ['SUPERVISOR']);
    const held = await makeReturnee(orm, holder.agency, near(family));
    const third = await makeSectorUser(orm, 'SOCIAL', ['SUPERVISOR']);
    const ask = async () => {
      const res = await gql(hub, requester.token, REQUEST, { input: { returneeId: own.id, reason: 'Registered today' } });
      expect(res.errors).toBeUndefined();
      const questions = await gql(hub, holder.token, QUESTIONS, {});
      expect(questions.errors).toBeUndefined();
      // One question per request that reached the holder, oldest first.
      return questions.data.identityCheckRequests.map((q: { matches: unknown[] }) => q.matches);
    };
    await fillAllStaleKeys(orm.em.getConnection().getKnex());
    const [alone] = await ask();
    expect(alone.map((m: { returnee: { id: string } }) => m.returnee.id)).toEqual([held.id]);
    // The requester's own look-alikes (never asked about) and a third agency's, each closer than the holder's record.
    await crowd(requester.agency, family, CROWD);
    await crowd(third.agency, family, CROWD);
    expect(await ask()).toEqual([alone, alone]);
    // The third agency is asked too, about at most 200 of its records: a question per agency, each about its own.
    const asked = (await gql(hub, third.token, QUESTIONS, {})).data.identityCheckRequests;
    expect(asked).toHaveLength(1);
    expect(asked[0].matches.length).toBeGreaterThan(0);
  });
});
