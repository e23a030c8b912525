import type { Knex } from '@mikro-orm/postgresql';
import { availableParallelism } from 'node:os';
import { finishMonth, monthRanges, runEnds, streamRange, type PositionRange, type RangeWalk } from './audit-stream-walk';
import { walkMonth, type MonthWalk } from './audit-walk';

/**
 * The walk of every month for verification (audit-verifier.ts): months cut into ranges of
 * positions, the ranges walked in parallel on several connections, joined back into months.
 */
export interface WalkOptions {
  concurrency?: number;
  rangeSize?: number;
  inDatabase?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/** Runs `work` over `items`, at most `concurrency` at a time, results in the order of `items`. */
async function inParallel<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return out;
}

/**
 * Positions per range: about a second of work for one connection, so that the largest month
 * (about 830,000 links at 10^7 events a year) is cut into enough ranges to keep every
 * connection busy to the end, and ranges stay long enough that the query per range is noise.
 */
export const RANGE_SIZE = 100_000;

/**
 * Every month walked: cut into ranges of positions, all ranges of all months walked in
 * parallel (one connection each: audit-stream-walk.ts; in the database, a month each:
 * audit-walk.ts), then each month's ranges joined, the first link of every range checked
 * against the last link of the range before it.
 */
export async function walkMonths(
  knex: Knex,
  months: readonly string[],
  opts: WalkOptions,
  wanted: readonly string[],
  anchors: ReadonlyMap<string, Buffer>,
): Promise<MonthWalk[]> {
  const concurrency = opts.concurrency ?? defaultConcurrency();
  if (opts.inDatabase) {
    let done = 0;
    return inParallel(months, concurrency, async (month) => {
      const walk = await walkMonth(knex, month, wanted);
      opts.onProgress?.(++done, months.length);
      return walk;
    });
  }
  const pieces: { month: string; range: PositionRange }[] = [];
  for (const month of months)
    for (const range of await monthRanges(knex, month, opts.rangeSize ?? RANGE_SIZE)) pieces.push({ month, range });
  const wantedSet = new Set(wanted.map(Number));
  let done = 0;
  const walked = await inParallel(pieces, concurrency, async ({ month, range }) => {
    const r = await streamRange(knex, month, range, wantedSet);
    opts.onProgress?.(++done, pieces.length);
    return r;
  });
  const ends = runEnds(walked);
  const byMonth = new Map<string, RangeWalk[]>(months.map((m) => [m, []]));
  for (const r of walked) byMonth.get(r.month)?.push(r);
  const walks: MonthWalk[] = [];
  for (const month of months) walks.push(await finishMonth(knex, month, byMonth.get(month) ?? [], ends, anchors));
  return walks;
}

/**
 * Two connections per core, at most 8: per link the database (join, COPY's text) takes about two
 * thirds of the CPU and the hub's one thread (rows, canonical bytes, hashing) a third, so with
 * one connection per core a core waits whenever its backend waits for the hub. Measured on 2
 * cores: 4 connections verified 15-20% faster than 2 (docs/audit.md, "Measured").
 */
export function defaultConcurrency(): number {
  return Math.max(1, Math.min(availableParallelism() * 2, 8));
}
