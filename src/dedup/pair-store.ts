import type { Knex } from '@mikro-orm/postgresql';
import { scoreMatch, type MatchInput, type MatchReason } from './match-score';
import { NAME_KEY_VERSION } from './name-keys';
import { NAME_SIMILARITY_THRESHOLD, nearRowsSql, PART_SIMILARITY } from './candidate-search';
import { pgArray } from '../common/pg-array';

/**
 * Keeps duplicate_pair (duplicate-pair.entity.ts) in step with the records: for each record whose
 * pairs are stale (`pairs_version` below PAIR_VERSION: new, or an IDENTITY field or its merge
 * state changed, database trigger), one statement finds its closest records by name keys — the
 * same blocking through the key vocabulary as a registration check (candidate-search.ts), over the whole
 * table, at most PAIR_CANDIDATES of each registering agency — the hub scores each pair over the IDENTITY fields only,
 * and the pairs scoring at least PAIR_MIN_SCORE replace the record's previous ones.
 *
 * A system task, like computing name keys: it discloses nothing to anyone (the list shows a pair
 * only to a caller who reads the IDENTITY section on both records, potential-duplicates.ts), so
 * it writes no audit event. Runs in the background in every hub process (SKIP LOCKED shares the
 * work), before each `potentialDuplicates` for a batch, and with `hub dedup:reindex`.
 */
export const PAIR_VERSION = 1;

/** Pairs scoring below this are not kept (the default threshold of a duplicate check). */
export const PAIR_MIN_SCORE = 0.5;

/**
 * Candidates looked at per record and per registering agency of the candidate: those with a
 * similar name born within a year of it (or with no date), the most similar names first. A pair
 * of records born further apart cannot reach PAIR_MIN_SCORE on identity fields
 * (DATE_OF_BIRTH_DIFFERS outweighs equal names and sex), so the year blocking loses no pair; the
 * cap only bites when one agency registered more than this many records of a similar name born
 * within a year of each other. It is per agency because the pairs are computed for everyone and
 * listed per caller: a cap over the whole table would let another agency's crowd of look-alikes
 * push a pair of the caller's records out of the list (test/duplicate-review.test.ts).
 */
export const PAIR_CANDIDATES = 200;

/** The fields a pair's score uses: the IDENTITY section, which a caller must read on both records. */
export const PAIR_FIELDS = [
  'givenName',
  'familyName',
  'patronymic',
  'otherNames',
  'sex',
  'dateOfBirth',
  'dateOfBirthEstimated',
  'placeOfBirth',
] as const;

interface IdentityRow {
  id: string;
  given_name: string;
  family_name: string;
  patronymic: string | null;
  other_names: string[] | null;
  sex: string | null;
  date_of_birth: string | null;
  date_of_birth_estimated: boolean | null;
  place_of_birth: string | null;
}

function personOf(r: IdentityRow): MatchInput {
  return {
    givenName: r.given_name,
    familyName: r.family_name,
    patronymic: r.patronymic,
    otherNames: r.other_names ?? [],
    sex: r.sex,
    dateOfBirth: r.date_of_birth,
    dateOfBirthEstimated: r.date_of_birth_estimated,
    placeOfBirth: r.place_of_birth,
  };
}

/** The stale records of a batch (locked) and, per record, its closest records by name keys. */
const CANDIDATES = `with batch as (
    select k.returnee_id as id, k.given_key, k.family_key, k.name_key, k.given_key || '|' || k.family_key as pair
      from returnee_name_key k
     where k.pairs_version < ? and k.key_version >= ?
     order by k.pairs_version, k.returnee_id limit ? for update of k skip locked
  )
  select b.id as source_id, c.id as candidate_id
    from batch b join returnee rb on rb.id = b.id and rb.merged_into_id is null
    cross join lateral (
      select ranked.id from (
        select k.returnee_id as id,
               row_number() over (partition by r.registering_agency_id
                                  order by similarity(k.name_key, b.name_key) desc, abs(r.date_of_birth - rb.date_of_birth) nulls last, r.id) as n
          from returnee_name_key k join returnee r on r.id = k.returnee_id
         where k.returnee_id in (${nearRowsSql('b.given_key', 'b.family_key', 'b.family_key', 'b.given_key', 'b.pair')})
           and k.returnee_id <> b.id and r.merged_into_id is null
           and (similarity(k.name_key, b.name_key) >= ?
                 and greatest(least(similarity(k.given_key, b.given_key), similarity(k.family_key, b.family_key)),
                              least(similarity(k.given_key, b.family_key), similarity(k.family_key, b.given_key))) >= ?
             or k.name_pairs @> array[b.pair])
           and (r.date_of_birth is null or rb.date_of_birth is null
             or abs(extract(year from r.date_of_birth) - extract(year from rb.date_of_birth)) <= 1)
      ) ranked where ranked.n <= ?
    ) c
  union all select b.id, null from batch b`;

/**
 * Recomputes the pairs of up to `limit` stale records (one transaction) and returns how many
 * records it did. Records whose name keys are stale wait for them.
 */
export async function fillStalePairs(knex: Knex, limit: number): Promise<number> {
  return knex.transaction(async (trx) => {
    const { rows } = (await trx.raw(CANDIDATES, [
      PAIR_VERSION,
      NAME_KEY_VERSION,
      limit,
      NAME_SIMILARITY_THRESHOLD,
      PART_SIMILARITY,
      PAIR_CANDIDATES,
    ])) as { rows: { source_id: string; candidate_id: string | null }[] };
    const sources = [...new Set(rows.map((r) => r.source_id))];
    if (sources.length === 0) return 0;
    const links = rows.filter((r): r is { source_id: string; candidate_id: string } => r.candidate_id !== null);
    const ids = [...new Set([...sources, ...links.map((l) => l.candidate_id)])];
    const { rows: people } = (await trx.raw(
      `select id, given_name, family_name, patronymic, to_json(other_names) as other_names, sex, date_of_birth::text as date_of_birth,
              date_of_birth_estimated, place_of_birth from returnee where id = any(?::uuid[])`,
      [pgArray(ids)],
    )) as { rows: IdentityRow[] };
    const byId = new Map(people.map((p) => [p.id, personOf(p)]));
    const pairs = new Map<string, { low_id: string; high_id: string; score: number; reasons: MatchReason[] }>();
    for (const { source_id, candidate_id } of links) {
      const [low, high] = source_id < candidate_id ? [source_id, candidate_id] : [candidate_id, source_id];
      const key = `${low}|${high}`;
      if (pairs.has(key)) continue;
      const { score, reasons } = scoreMatch(byId.get(low)!, byId.get(high)! as MatchInput);
      if (score >= PAIR_MIN_SCORE) pairs.set(key, { low_id: low, high_id: high, score, reasons });
    }
    const list = pgArray(sources);
    await trx.raw('delete from duplicate_pair where low_id = any(?::uuid[]) or high_id = any(?::uuid[])', [list, list]);
    if (pairs.size > 0) {
      await trx.raw(
        `insert into duplicate_pair (low_id, high_id, score, reasons, computed_at)
         select x.low_id, x.high_id, x.score, x.reasons, now()
           from jsonb_to_recordset(?::jsonb) as x(low_id uuid, high_id uuid, score float8, reasons jsonb)
         on conflict (low_id, high_id) do update set score = excluded.score, reasons = excluded.reasons, computed_at = excluded.computed_at`,
        [JSON.stringify([...pairs.values()])],
      );
    }
    await trx.raw('update returnee_name_key set pairs_version = ? where returnee_id = any(?::uuid[])', [PAIR_VERSION, list]);
    return sources.length;
  });
}

const BATCH = 500;

/** Fills stale pairs until none is left (records still waiting for name keys excepted). */
export async function fillAllStalePairs(knex: Knex, onBatch?: (done: number) => void): Promise<number> {
  let done = 0;
  for (let n = await fillStalePairs(knex, BATCH); n > 0; n = await fillStalePairs(knex, BATCH)) {
    done += n;
    onBatch?.(done);
  }
  return done;
}

/** Marks every record's pairs stale (`hub dedup:reindex --all`). */
export async function markAllPairsStale(knex: Knex): Promise<void> {
  await knex.raw('update returnee_name_key set pairs_version = 0 where pairs_version <> 0');
}
