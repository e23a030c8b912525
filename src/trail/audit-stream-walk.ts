import { createHash } from 'node:crypto';
import type { Knex } from '@mikro-orm/postgresql';
import { GENESIS_HASH } from './audit-canonical';
import { LinkBytes } from './audit-link-bytes';
import { copyFields, ID, LINK_COLUMNS, LINK_EVENT, positionBytes } from './audit-link-row';
import type { Problem } from './audit-problems';
import { monthBounds, recheckLink, type MonthWalk } from './audit-walk';
import { BULK_READ, copyOut } from './copy-out';

/**
 * The chain checked in the hub, streamed: a month's links with their events are read in one
 * `COPY … TO STDOUT` per range of positions (one message per row, no per-field objects), the
 * canonical form is rebuilt from COPY's bytes (audit-link-bytes.ts) and hashed with
 * node:crypto. Each link is checked against the stored hash before it, so ranges (and months)
 * are independent and run in parallel, one connection each; the first link of a range is
 * checked against the last stored hash of the range before it (`joinRanges`), so the chain
 * is still checked link by link across every range boundary.
 *
 * The fast form can only make verification faster, never more lenient: a link that does not
 * match is checked again with `canonicalEvent` (the sealer's own code) before it is reported,
 * and a value the fast form cannot render exactly (a timestamp outside years 0001-9999) takes
 * that path directly. The fast form is a valid JSON text of the row's values, so it can equal
 * the sealed form only when the values are the sealed ones.
 */

/** Positions `from` (inclusive) to `to` (exclusive) of one month; an end left out is open. */
export interface PositionRange {
  from?: number;
  to?: number;
}

interface Suspect {
  position: string;
  eventId: string;
  hash: Buffer;
  canon: string | null;
  /** The stored hash before it, when the walk had it (same run); else it is looked up. */
  before?: Buffer;
}

/** What one range of a month holds: its runs of consecutive positions, and what did not check out on its own. */
export interface RangeWalk {
  month: string;
  checked: number;
  runs: [number, number][];
  /** Stored hash at the last position of each run, same order. */
  runEndHashes: Buffer[];
  seen: Map<string, Buffer>;
  /** EVENT_MISSING; the mismatches are found by `settle`. */
  problems: Problem[];
  suspects: Suspect[];
}

/** `COPY` of a month's links with their events in position order (LINK_COLUMNS); the month's bounds as literals, so partitions are pruned at plan time. */
export function monthLinksCopySql(month: string, range: PositionRange = {}): string {
  if (!/^\d{4}-\d{2}$/.test(month)) throw new Error(`not a month: ${month}`);
  const b = monthBounds(month);
  const within = (t: string) => `${t}.occurred_at >= '${b.from}' and ${t}.occurred_at < '${b.to}'`;
  const positions = [
    range.from === undefined ? '' : ` and c.position >= ${Math.trunc(range.from)}`,
    range.to === undefined ? '' : ` and c.position < ${Math.trunc(range.to)}`,
  ].join('');
  return `copy (select ${LINK_COLUMNS} from audit_chain c left join audit_event e on e.id = c.event_id and ${within('e')}
    where ${within('c')}${positions} order by c.position) to stdout`;
}

/**
 * A month cut into ranges of at most `size` positions, to be walked in parallel. The first range
 * is open below and the last open above: links sealed into an open month while it is walked
 * (always at the chain's head) fall in the last range, as they fell in the month's one COPY.
 */
export async function monthRanges(knex: Knex, month: string, size: number): Promise<PositionRange[]> {
  const b = monthBounds(month);
  const {
    rows: [r],
  } = (await knex.raw(
    `select min(position)::text as lo, max(position)::text as hi from audit_chain where occurred_at >= '${b.from}' and occurred_at < '${b.to}'`,
  )) as { rows: { lo: string | null; hi: string | null }[] };
  if (r.lo === null || r.hi === null) return [{}];
  const lo = Number(r.lo);
  const span = Number(r.hi) - lo + 1;
  const parts = Math.max(1, Math.ceil(span / Math.max(1, size)));
  const step = Math.ceil(span / parts);
  return Array.from({ length: parts }, (_, i) => ({
    ...(i > 0 ? { from: lo + i * step } : {}),
    ...(i < parts - 1 ? { to: lo + (i + 1) * step } : {}),
  }));
}

/** One range of a month, streamed: every link whose hash before it is in the range is checked here. */
export async function streamRange(knex: Knex, month: string, range: PositionRange, wanted: ReadonlySet<number>): Promise<RangeWalk> {
  const walk: RangeWalk = { month, checked: 0, runs: [], runEndHashes: [], seen: new Map(), problems: [], suspects: [] };
  const link = new LinkBytes();
  let have = false;
  let prevPosition = -1;
  /** The previous stored hash when it was not 32 bytes: the link after it is checked the slow way. */
  let prevOdd: Buffer | undefined;
  let runStart = 0;
  const endRun = () => {
    walk.runs.push([runStart, prevPosition]);
    walk.runEndHashes.push(prevOdd ?? link.beforeCopy());
  };
  await copyOut(knex, BULK_READ, monthLinksCopySql(month, range), (chunk) => {
    link.read(chunk);
    const position = link.position;
    walk.checked++;
    const follows = have && position === prevPosition + 1;
    if (!follows) {
      if (have) endRun();
      runStart = position;
    }
    if (wanted.size > 0 && wanted.has(position)) walk.seen.set(String(position), link.storedCopy());
    if (!link.present) {
      const f = copyFields(chunk);
      walk.problems.push({
        kind: 'EVENT_MISSING',
        position: f[0]!,
        eventId: f[LINK_EVENT]!,
        month,
        detail: 'the sealed event row is gone (deleted)',
      });
    } else if (follows ? prevOdd !== undefined || !link.matches('previous') : position !== 1 || !link.matches(GENESIS_HASH)) {
      const before = follows ? (prevOdd ?? link.beforeCopy()) : position === 1 ? GENESIS_HASH : undefined;
      walk.suspects.push({
        position: String(position),
        eventId: copyFields(chunk)[ID]!,
        hash: link.storedCopy(),
        canon: link.canonical(),
        before,
      });
    }
    have = true;
    prevPosition = position;
    prevOdd = link.oddHash;
    link.advance();
  });
  if (have) endRun();
  return walk;
}

/**
 * The ranges of one month laid end to end into its walk, in position order. A range's first
 * link is checked against the stored hash before it, taken from `ends` (the last link of every
 * run walked, in any month or range) where the walk has it, else read by `settle`.
 */
export function joinRanges(month: string, ranges: readonly RangeWalk[], ends: ReadonlyMap<number, Buffer>) {
  const walk: MonthWalk = { month, checked: 0, runs: [], runEndHashes: [], seen: new Map(), problems: [], orphanStarts: [] };
  const suspects: Suspect[] = [];
  const sorted = [...ranges].sort((a, b) => (a.runs[0]?.[0] ?? 0) - (b.runs[0]?.[0] ?? 0));
  for (const r of sorted) {
    walk.checked += r.checked;
    walk.problems.push(...r.problems);
    for (const [k, v] of r.seen) walk.seen.set(k, v);
    r.runs.forEach(([start, end], i) => {
      const last = walk.runs.at(-1);
      const hex = r.runEndHashes[i].toString('hex');
      if (last && last[1] === BigInt(start) - 1n) {
        last[1] = BigInt(end);
        walk.runEndHashes[walk.runEndHashes.length - 1] = hex;
      } else {
        walk.runs.push([BigInt(start), BigInt(end)]);
        walk.runEndHashes.push(hex);
      }
    });
    for (const s of r.suspects) suspects.push(s.before ? s : { ...s, before: ends.get(Number(s.position) - 1) });
  }
  return { walk, suspects };
}

/** The last stored hash of every run, by position: what the first link of the next range follows from. */
export function runEnds(ranges: readonly RangeWalk[]): Map<number, Buffer> {
  const ends = new Map<number, Buffer>();
  for (const r of ranges) r.runs.forEach(([, end], i) => ends.set(end, r.runEndHashes[i]));
  return ends;
}

/**
 * `anchors`: link hashes the chain no longer holds, by position (the root hashes of detached
 * months, vouched for by their seals), so the first link after a detached month is checked too.
 */
export async function streamMonth(
  knex: Knex,
  month: string,
  wanted: readonly string[],
  anchors: ReadonlyMap<string, Buffer> = new Map(),
): Promise<MonthWalk> {
  const range = await streamRange(knex, month, {}, new Set(wanted.map(Number)));
  return finishMonth(knex, month, [range], runEnds([range]), anchors);
}

/** A month's ranges joined, and the links that did not check out on their own settled. */
export async function finishMonth(
  knex: Knex,
  month: string,
  ranges: readonly RangeWalk[],
  ends: ReadonlyMap<number, Buffer>,
  anchors: ReadonlyMap<string, Buffer>,
): Promise<MonthWalk> {
  const { walk, suspects } = joinRanges(month, ranges, ends);
  await settle(knex, walk, suspects, monthBounds(month), anchors);
  return walk;
}

/**
 * The links the stream could not vouch for: a run's first link is checked against the stored
 * hash before it in another month (none: an orphan, which the tiling of positions reports);
 * a link that did not match is checked again with the sealer's own code before it is reported.
 */
async function settle(
  knex: Knex,
  walk: MonthWalk,
  suspects: Suspect[],
  b: { from: string; to: string },
  anchors: ReadonlyMap<string, Buffer>,
): Promise<void> {
  const need = suspects.filter((s) => s.before === undefined).map((s) => (BigInt(s.position) - 1n).toString());
  const befores = new Map<string, Buffer>();
  if (need.length > 0) {
    const { rows } = (await knex.raw('select position::text as position, hash from audit_chain where position = any(?::bigint[])', [
      `{${need.join(',')}}`,
    ])) as { rows: { position: string; hash: Buffer }[] };
    for (const r of rows) befores.set(r.position, r.hash);
  }
  for (const s of suspects) {
    const previous = (BigInt(s.position) - 1n).toString();
    const before = s.before ?? befores.get(previous) ?? anchors.get(previous);
    if (before === undefined) {
      walk.orphanStarts.push(BigInt(s.position));
      continue;
    }
    const pos = positionBytes(Buffer.alloc(8), Number(s.position));
    if (s.canon !== null && createHash('sha256').update(before).update(pos).update(s.canon, 'utf8').digest().equals(s.hash)) continue;
    if (await recheckLink(knex, s.eventId, s.position, s.hash, before, b)) continue;
    walk.problems.push({
      kind: 'HASH_MISMATCH',
      position: s.position,
      eventId: s.eventId,
      month: walk.month,
      detail: 'the event differs from what was sealed (changed, swapped or moved)',
    });
  }
  walk.problems.sort((x, y) => Number(BigInt(x.position!) - BigInt(y.position!)));
}
