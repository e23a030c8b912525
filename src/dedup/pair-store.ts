import type { Knex } from '@mikro-orm/postgresql';
import { scoreMatch, type MatchInput, type MatchReason } from './match-score';
import { NAME_KEY_VERSION } from './name-keys';
import { NAME_SIMILARITY_THRESHOLD, nearRowsSql, PART_SIMILARITY } from './candidate-search';
import { pgArray } from '../common/pg-array';
import { isStatementTimeout } from '../errors';
import { inline } from '../access/condition-sql';
import type { ReadProjection } from '../access/projection';

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

/**
 * The stale records of a batch (locked) and, per record, its closest records by name keys. The
 * records found through the vocabulary drive the join, each read by its key (`offset 0`): with
 * statistics older than the table's growth the planner otherwise scanned returnee and tested
 * each row against the found set, N x N comparisons per record (bench/dedup/crowd-cost.ts,
 * STALE_STATS=1, 20 records of a crowd of 2,000: 2.7 s, now 0.29 s, as with fresh statistics).
 */
const candidates = (within: string) => `with batch as (
    select k.returnee_id as id, k.given_key, k.family_key, k.name_key, k.given_key || '|' || k.family_key as pair
      from returnee_name_key k
     where k.pairs_version < ? and k.key_version >= ?${within}
     order by k.pairs_version, k.returnee_id limit ? for update of k skip locked
  )
  select b.id as source_id, c.id as candidate_id
    from batch b join returnee rb on rb.id = b.id and rb.merged_into_id is null
    cross join lateral (
      select ranked.id from (
        select k.returnee_id as id,
               row_number() over (partition by r.registering_agency_id
                                  order by similarity(k.name_key, b.name_key) desc, abs(r.date_of_birth - rb.date_of_birth) nulls last, k.returnee_id) as n
          from (select distinct x.returnee_id from (${nearRowsSql('b.given_key', 'b.family_key', 'b.family_key', 'b.given_key', 'b.pair')}) x) near
          join returnee_name_key k on k.returnee_id = near.returnee_id
          cross join lateral (select x.registering_agency_id, x.date_of_birth from returnee x
                               where x.id = near.returnee_id and x.merged_into_id is null offset 0) r
         where k.returnee_id <> b.id
           and (similarity(k.name_key, b.name_key) >= ?
                 and greatest(least(similarity(k.given_key, b.given_key), similarity(k.family_key, b.family_key)),
                              least(similarity(k.given_key, b.family_key), similarity(k.family_key, b.given_key))) >= ?
             or k.name_pairs @> array[b.pair])
           and (r.date_of_birth is null or rb.date_of_birth is null
             or abs(extract(year from r.date_of_birth) - extract(year from rb.date_of_birth)) <= 1)
      ) ranked where ranked.n <= ?
    ) c
  union all select b.id, null from batch b`;

/** Pairs written per INSERT: one jsonb document stays far below PostgreSQL's 256 MB limit. */
const INSERT_CHUNK = 5_000;

/** What one batch did: records whose pairs it recomputed, candidate links it scored. */
export interface PairBatch {
  records: number;
  links: number;
}

export interface FillOptions {
  /**
   * A budget for each statement of a batch (`set local statement_timeout`); a batch that
   * overruns it is rolled back whole and reports nothing done, so a caller with a deadline (a
   * listing) answers `complete: false` instead of failing.
   */
  timeoutMs?: number;
  /** Only records in this caller's row scope (a listing fills what it could list). */
  within?: ReadProjection;
}

/** Recomputes the pairs of up to `limit` stale records (one transaction). Records whose name keys are stale wait for them. */
export async function fillStalePairs(knex: Knex, limit: number, opts: FillOptions = {}): Promise<PairBatch> {
  try {
    return await knex.transaction((trx) => fillBatch(trx, limit, opts));
  } catch (error) {
    if (opts.timeoutMs !== undefined && isStatementTimeout(error)) return { records: 0, links: 0 };
    throw error;
  }
}

async function fillBatch(trx: Knex.Transaction, limit: number, { timeoutMs, within }: FillOptions): Promise<PairBatch> {
  if (timeoutMs !== undefined) await trx.raw(`set local statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
  const params: unknown[] = [PAIR_VERSION, NAME_KEY_VERSION];
  const scope = within ? ` and exists (select 1 from returnee r where r.id = k.returnee_id and ${inline(within.scopeSql, params)})` : '';
  params.push(limit, NAME_SIMILARITY_THRESHOLD, PART_SIMILARITY, PAIR_CANDIDATES);
  const { rows } = (await trx.raw(candidates(scope), params as Knex.RawBinding[])) as {
    rows: { source_id: string; candidate_id: string | null }[];
  };
  const sources = [...new Set(rows.map((r) => r.source_id))];
  if (sources.length === 0) return { records: 0, links: 0 };
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
  const kept = [...pairs.values()];
  for (let i = 0; i < kept.length; i += INSERT_CHUNK) {
    await trx.raw(
      `insert into duplicate_pair (low_id, high_id, score, reasons, computed_at)
       select x.low_id, x.high_id, x.score, x.reasons, now()
         from jsonb_to_recordset(?::jsonb) as x(low_id uuid, high_id uuid, score float8, reasons jsonb)
       on conflict (low_id, high_id) do update set score = excluded.score, reasons = excluded.reasons, computed_at = excluded.computed_at`,
      [JSON.stringify(kept.slice(i, i + INSERT_CHUNK))],
    );
  }
  await trx.raw('update returnee_name_key set pairs_version = ? where returnee_id = any(?::uuid[])', [PAIR_VERSION, list]);
  return { records: sources.length, links: links.length };
}

/** Records per batch at most, and at first (the size grows from FIRST_BATCH while links allow). */
const BATCH = 500;
const FIRST_BATCH = 20;

/**
 * Candidate links one batch aims at. A batch's cost follows its links, not its records: a record
 * of a common name born in a common year may have hundreds of look-alikes in other agencies (up
 * to PAIR_CANDIDATES per agency), and 500 such records would be one statement of 10^5-10^6
 * links (bench/dedup/crowd-cost.ts: ~50 ms per record of 2,000 links on this machine, and a
 * jsonb past PostgreSQL's limit at 500 records). So batches start at FIRST_BATCH records and
 * grow (doubling, up to BATCH) only while a record's links allow about this many per batch.
 */
const LINKS_PER_BATCH = 20_000;

/** The size of the batch after one of `size` records that did `last`. */
export function nextBatchSize(size: number, last: PairBatch, max = BATCH): number {
  const perRecord = last.records === 0 ? 0 : last.links / last.records;
  const byLinks = perRecord === 0 ? max : Math.floor(LINKS_PER_BATCH / perRecord);
  return Math.max(1, Math.min(max, size * 2, byLinks));
}

/**
 * Fills stale pairs until none is left (records still waiting for name keys excepted), in
 * batches sized by nextBatchSize; returns the records done. `deadline` (epoch ms): no batch
 * starts after it and a batch running into it is rolled back (a listing's budget);
 * `maxRecords`: stop after about that many; `within`: only records in that caller's scope.
 */
export async function fillAllStalePairs(
  knex: Knex,
  onBatch?: (done: number) => void,
  opts: { deadline?: number; maxRecords?: number; within?: ReadProjection } = {},
): Promise<number> {
  const cap = opts.maxRecords ?? Infinity;
  let done = 0;
  let size = Math.min(FIRST_BATCH, cap);
  while (done < cap) {
    const left = opts.deadline === undefined ? undefined : opts.deadline - Date.now();
    if (left !== undefined && left <= 0) break;
    const last = await fillStalePairs(knex, size, { timeoutMs: left, within: opts.within });
    if (last.records === 0) break;
    done += last.records;
    onBatch?.(done);
    size = Math.min(nextBatchSize(size, last), cap - done);
  }
  return done;
}

/** Marks every record's pairs stale (`hub dedup:reindex --all`). */
export async function markAllPairsStale(knex: Knex): Promise<void> {
  await knex.raw('update returnee_name_key set pairs_version = 0 where pairs_version <> 0');
}
