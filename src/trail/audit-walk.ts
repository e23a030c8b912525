import type { Knex } from '@mikro-orm/postgresql';
import { canonicalSql, EVENT_COLUMNS_SQL, GENESIS_HASH, linkHash, type CanonicalEventRow } from './audit-canonical';
import type { Problem } from './audit-problems';

/**
 * One month of the chain checked inside the database: every link's hash is recomputed there
 * (`sha256` over the SQL form of the canonical event, audit-canonical.ts) from the stored hash
 * of the position before it, so only the links that do not match, the ends of runs of
 * positions and the positions a checkpoint or seal names come back to the hub. Months are
 * independent (each link is checked against the stored hash before it, as the walk always
 * resynchronised), so the verifier runs several at once, one connection each.
 *
 * A link the database reports as not matching is checked again in JavaScript with
 * `canonicalEvent` (the sealer's own code) before it is reported: the SQL form can only ever
 * make verification faster, never make it accuse an event the sealer would accept.
 */
export interface MonthWalk {
  month: string;
  checked: number;
  /** Runs of consecutive positions in this month, in order: one for a month sealed whole. */
  runs: [bigint, bigint][];
  /** Stored hash at the last position of each run (hex), same order. */
  runEndHashes: string[];
  /** Stored hash at the positions asked for (checkpoints, seals) found in this month. */
  seen: Map<string, Buffer>;
  problems: Problem[];
  /** Positions whose link hash is checked against a hash before them that no month holds. */
  orphanStarts: bigint[];
}

interface WalkRow {
  position: string;
  event_id: string;
  hash: Buffer;
  prev_position: string | null;
  next_position: string | null;
  present: boolean;
  ok: boolean | null;
  before_missing: boolean;
  total: string;
}

const GENESIS_SQL = `'\\x${GENESIS_HASH.toString('hex')}'::bytea`;

function walkSql(): string {
  return `with l as (
    select c.position, c.event_id, c.hash, lag(c.position) over w as prev_position, lead(c.position) over w as next_position,
      lag(c.hash) over w as prev_hash, e.id is not null as present, ${canonicalSql()} as canon, count(*) over () as total
    from audit_chain c
    left join audit_event e on e.id = c.event_id and e.occurred_at >= ?::timestamptz and e.occurred_at < ?::timestamptz
    where c.occurred_at >= ?::timestamptz and c.occurred_at < ?::timestamptz
    window w as (order by c.position)
  ), k as (
    select l.*, case when l.prev_position = l.position - 1 then l.prev_hash when l.position = 1 then ${GENESIS_SQL}
      else (select h.hash from audit_chain h where h.position = l.position - 1 limit 1) end as before
    from l
  )
  select k.position::text as position, k.event_id::text as event_id, k.hash, k.prev_position::text as prev_position,
    k.next_position::text as next_position, k.present, k.before is null as before_missing, k.total::text as total, k.ok
  from (select k.*, k.present and k.before is not null
          and sha256(k.before || int8send(k.position) || convert_to(k.canon, 'UTF8')) = k.hash as ok from k) k
  where not k.ok or k.prev_position is distinct from k.position - 1 or k.next_position is distinct from k.position + 1
    or k.position = any(?::bigint[])
  order by k.position`;
}

const RECHECK_SQL = `select ${EVENT_COLUMNS_SQL} from audit_event e where e.id = ? and e.occurred_at >= ?::timestamptz and e.occurred_at < ?::timestamptz`;

/** Months are UTC calendar months, named `YYYY-MM`; their bounds as timestamptz text. */
export function monthBounds(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { from: `${month}-01T00:00:00Z`, to: `${next}-01T00:00:00Z` };
}

async function recheck(knex: Knex, row: WalkRow, before: Buffer, b: { from: string; to: string }): Promise<boolean> {
  return recheckLink(knex, row.event_id, row.position, row.hash, before, b);
}

/** The link at `position` recomputed with `canonicalEvent` (the sealer's own code) from the event row as the database holds it. */
export async function recheckLink(
  knex: Knex,
  eventId: string,
  position: string,
  hash: Buffer,
  before: Buffer,
  b: { from: string; to: string },
): Promise<boolean> {
  const { rows } = (await knex.raw(RECHECK_SQL, [eventId, b.from, b.to])) as { rows: CanonicalEventRow[] };
  return rows.length === 1 && linkHash(before, BigInt(position), rows[0]).equals(hash);
}

async function storedHash(knex: Knex, position: bigint): Promise<Buffer | undefined> {
  if (position === 0n) return GENESIS_HASH;
  const { rows } = (await knex.raw('select hash from audit_chain where position = ? limit 1', [position.toString()])) as {
    rows: { hash: Buffer }[];
  };
  return rows[0]?.hash;
}

export async function walkMonth(knex: Knex, month: string, wanted: readonly string[]): Promise<MonthWalk> {
  const b = monthBounds(month);
  const { rows } = (await knex.raw(walkSql(), [b.from, b.to, b.from, b.to, `{${wanted.join(',')}}`])) as { rows: WalkRow[] };
  const walk: MonthWalk = { month, checked: 0, runs: [], runEndHashes: [], seen: new Map(), problems: [], orphanStarts: [] };
  const wantedSet = new Set(wanted);
  let runStart: bigint | undefined;
  for (const row of rows) {
    const position = BigInt(row.position);
    walk.checked = Number(row.total);
    if (row.prev_position === null || BigInt(row.prev_position) !== position - 1n) runStart = position;
    if (wantedSet.has(row.position)) walk.seen.set(row.position, row.hash);
    const where = { position: row.position, eventId: row.event_id };
    if (!row.present) walk.problems.push({ kind: 'EVENT_MISSING', ...where, month, detail: 'the sealed event row is gone (deleted)' });
    else if (row.before_missing) walk.orphanStarts.push(position);
    else if (!row.ok) {
      const before = await storedHash(knex, position - 1n);
      if (!before || !(await recheck(knex, row, before, b))) {
        walk.problems.push({
          kind: 'HASH_MISMATCH',
          ...where,
          month,
          detail: 'the event differs from what was sealed (changed, swapped or moved)',
        });
      }
    }
    if (row.next_position === null || BigInt(row.next_position) !== position + 1n) {
      walk.runs.push([runStart ?? position, position]);
      walk.runEndHashes.push(row.hash.toString('hex'));
    }
  }
  return walk;
}
