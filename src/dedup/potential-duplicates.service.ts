import type { Knex } from '@mikro-orm/postgresql';
import { conditionSql } from '../access/condition-sql';
import { readProjection, type ReadProjection } from '../access/projection';
import { cursorsFor, type CursorSpec } from '../common/cursor';
import { pageInfoOf, type PageInfo } from '../common/paging';
import { badInput, forbidden } from '../errors';
import type { Operation } from '../request/operation';
import { readReturneesByIdOrThrow, type Subfields } from '../returnee/returnee-read.service';
import type { ReturneeView } from '../returnee/returnee.types';
import { gate } from './candidate-search';
import type { MatchReason } from './match-score';
import { fillStaleKeys } from './name-key-store';
import { NAME_KEY_VERSION } from './name-keys';
import { fillAllStalePairs, PAIR_FIELDS, PAIR_MIN_SCORE, PAIR_VERSION } from './pair-store';

/**
 * potentialDuplicates: a supervisor's review list of pairs of records that may be one person.
 *
 * - Rows: a pair is listed only when BOTH records are in the caller's row scope (the same SQL as
 *   every read, over each record) and the caller reads the IDENTITY section (the fields the
 *   pair's score uses, pair-store.ts) on both — in SQL, so nothing about a pair with a record
 *   out of scope leaves the database, and the order (score, then ids) and the cursors are made
 *   of what the caller may see. Merged records are out of every scope; pairs decided
 *   NOT_DUPLICATE (duplicate_decision) are left out.
 * - Cost: the pairs are precomputed when records change (pair-store.ts), so a page is an indexed
 *   walk of duplicate_pair in score order joined to both records' scope: no search per record.
 * - Audit: one READ event per record shown, naming the fields shown and the fields compared.
 */
export const MAX_PAIRS_PAGE = 50;

const CURSORS: CursorSpec = { connection: 'potentialDuplicates', order: 'score desc, lowId, highId', value: 'text', id: 'uuid' };

/** Stale records whose keys and pairs a listing computes first (the rest: background, `complete: false`). */
const FILL_BEFORE_LIST = 200;

/**
 * How long a listing spends on those pairs at most. Their cost depends on records elsewhere (a
 * crowd of look-alikes has thousands of candidate links per record), so it is a budget, not a
 * count: past it the batch under way is rolled back and the page answers `complete: false`
 * from the pairs already computed, instead of failing with TIMEOUT.
 */
const FILL_BUDGET_MS = 2_000;

export interface DuplicatePairView {
  recordA: ReturneeView;
  recordB: ReturneeView;
  score: number;
  reasons: MatchReason[];
}

export interface DuplicatePairPage {
  edges: { cursor: string; node: DuplicatePairView }[];
  pageInfo: PageInfo;
  complete: boolean;
}

async function reviewerProjectionOrThrow(op: Operation): Promise<ReadProjection> {
  const p = readProjection(op.ability);
  if (op.actor.roles.includes('SUPERVISOR') && p && PAIR_FIELDS.every((f) => p.readable.has(f))) return p;
  return op.denyOrThrow(
    { entityType: 'DuplicatePair', fields: [...PAIR_FIELDS] },
    forbidden(
      `Reviewing duplicate pairs is for supervisors of a sector that reads identity data; you are ${op.actor.roles.join('/')} of ${op.actor.sector}`,
    ),
  );
}

/** The WHERE of the caller's listable pairs `p` (records `a`, `b`), values appended to `params`. */
function listableSql(p: ReadProjection, minScore: number, params: unknown[]): string {
  params.push(minScore);
  const parts = ['p.score >= ?'];
  for (const alias of ['a', 'b']) {
    parts.push(conditionSql(p.scopeTemplate, alias, params));
    for (const field of PAIR_FIELDS) parts.push(gate(p, field, alias, params));
  }
  parts.push('not exists (select 1 from duplicate_decision d where d.low_id = p.low_id and d.high_id = p.high_id)');
  return parts.filter((s) => s !== 'true').join(' and ');
}

const FROM = 'duplicate_pair p join returnee a on a.id = p.low_id join returnee b on b.id = p.high_id';

interface PairRow {
  low_id: string;
  high_id: string;
  score: number;
  reasons: MatchReason[];
}

function positionOf(cursor: string, op: Operation): { score: number; low: string; high: string } {
  const { value, id } = cursorsFor(op, CURSORS).openOrThrow(cursor);
  const [score, low] = value.split('|');
  if (!/^[0-9a-f-]{36}$/.test(low ?? '') || !Number.isFinite(Number(score))) throw badInput('after is not a cursor of this list');
  return { score: Number(score), low, high: id };
}

/**
 * Whether every record the caller could see in a pair has its keys and pairs computed, after
 * computing some first (newest first, within FILL_BUDGET_MS). Only records in the caller's scope
 * with their identity readable count and are filled: a pair is listed only when both of its
 * records are, so a record elsewhere can change nothing the caller sees. Counting the whole
 * table had told any supervisor, through `complete`, that some agency in any country had just
 * registered someone or changed a name, and made the listing wait for their pairs.
 */
async function fillFirst(op: Operation, p: ReadProjection): Promise<boolean> {
  const knex = op.em.getConnection().getKnex();
  const stale = async () => {
    const params: unknown[] = [NAME_KEY_VERSION, PAIR_VERSION];
    const mine =
      [conditionSql(p.scopeTemplate, 'r', params), ...PAIR_FIELDS.map((f) => gate(p, f, 'r', params))]
        .filter((c) => c !== 'true')
        .join(' and ') || 'true';
    const { rows } = (await knex.raw(
      `select exists (select 1 from returnee_name_key k join returnee r on r.id = k.returnee_id
                       where (k.key_version < ? or k.pairs_version < ?) and ${mine}) as stale`,
      params as Knex.RawBinding[],
    )) as { rows: { stale: boolean }[] };
    return rows[0].stale;
  };
  if (!(await stale())) return true;
  const deadline = Date.now() + FILL_BUDGET_MS;
  await fillStaleKeys(knex, FILL_BEFORE_LIST, p, true);
  await fillAllStalePairs(knex, undefined, { deadline, maxRecords: FILL_BEFORE_LIST, within: p });
  return !(await stale());
}

export async function potentialDuplicatesOrThrow(
  op: Operation,
  args: { first: number; after?: string | null; minScore: number },
  requested: Set<string>,
  subfields?: Subfields,
): Promise<DuplicatePairPage> {
  if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_PAIRS_PAGE)
    throw badInput(`first must be between 1 and ${MAX_PAIRS_PAGE}`);
  if (!(args.minScore >= PAIR_MIN_SCORE && args.minScore <= 1))
    throw badInput(`minScore must be between ${PAIR_MIN_SCORE} and 1 (pairs below ${PAIR_MIN_SCORE} are not kept)`);
  const p = await reviewerProjectionOrThrow(op);
  const position = args.after ? positionOf(args.after, op) : null;
  const complete = await fillFirst(op, p);
  const db = op.em.getConnection().getKnex();
  const params: unknown[] = [];
  let where = listableSql(p, args.minScore, params);
  let before = 'false';
  if (position) {
    const keyset = (cmp: '<' | '>') =>
      `(p.score ${cmp} ?::float8 or (p.score = ?::float8 and (p.low_id, p.high_id) ${cmp === '<' ? '>' : '<='} (?::uuid, ?::uuid)))`;
    const beforeParams = [...params];
    before = `exists (select 1 from ${FROM} where ${where} and ${keyset('>')})`;
    beforeParams.push(position.score, position.score, position.low, position.high);
    const { rows } = (await db.raw(`select ${before} as before`, beforeParams as Knex.RawBinding[])) as { rows: { before: boolean }[] };
    before = rows[0].before ? 'true' : 'false';
    where += ` and ${keyset('<')}`;
    params.push(position.score, position.score, position.low, position.high);
  }
  params.push(args.first + 1);
  const { rows } = (await db.raw(
    `select p.low_id, p.high_id, p.score, p.reasons from ${FROM} where ${where} order by p.score desc, p.low_id, p.high_id limit ?`,
    params as Knex.RawBinding[],
  )) as { rows: PairRow[] };
  const page = rows.slice(0, args.first);
  const ids = [...new Set(page.flatMap((r) => [r.low_id, r.high_id]))];
  const views = await readReturneesByIdOrThrow(op, ids, requested, subfields, () => [...PAIR_FIELDS]);
  const byId = new Map(views.map((v) => [v.id, v]));
  const cursors = cursorsFor(op, CURSORS);
  const edges = page
    .filter((r) => byId.has(r.low_id) && byId.has(r.high_id))
    .map((r) => ({
      cursor: cursors.seal(`${r.score}|${r.low_id}`, r.high_id),
      node: { recordA: byId.get(r.low_id)!, recordB: byId.get(r.high_id)!, score: r.score, reasons: r.reasons },
    }));
  return {
    edges,
    pageInfo: pageInfoOf(
      edges.map((e) => e.cursor),
      rows.length > args.first,
      before === 'true',
    ),
    complete,
  };
}
