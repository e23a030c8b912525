import type { Knex } from '@mikro-orm/postgresql';
import { availableParallelism } from 'node:os';
import { GENESIS_HASH } from './audit-canonical';
import { checkSignature, listCheckpoints, type CheckpointRecord } from './audit-checkpoint';
import { ProblemLog, type Problem } from './audit-problems';
import { listMonthSeals } from './audit-month-seal';
import { checkMonthSeals, type MonthStatus, type Run } from './audit-seal-check';
import { monthBounds, walkMonth, type MonthWalk } from './audit-walk';
import type { TrustedKey } from './audit-signing-key';
/** Where a checkpoint came from: the database, the hub's kept file or sink directory, or the command line. */
export type CheckpointSource = 'database' | 'file' | 'directory' | 'argument';

/**
 * Verification: recomputes the chain in position order from the genesis hash and compares
 * every link with what was sealed, then looks for events the chain should hold and does not,
 * for a chain shorter than its seal batches or checkpoints vouch for, and checks every
 * checkpoint's signature and that the chain still passes through it. Reads in keyset batches
 * (constant memory); after a problem it resynchronises on the stored hash, so every bad
 * event is found, not only the first.
 */
export interface VerifyOptions {
  trustedKeys: readonly TrustedKey[];
  /** Unchained events younger than this are still on their way to the chain. */
  graceMs: number;
  /** Checkpoints given on the command line, checked like the stored ones. */
  externalCheckpoints?: readonly CheckpointRecord[];
  /** Checkpoints the hub kept outside the database (src/trail/audit-checkpoint-sink.ts), read before the walk. */
  keptCheckpoints?: readonly { checkpoint: CheckpointRecord; source: CheckpointSource }[];
  /** Months walked at once, one connection each (default: the cores, at most 8). */
  concurrency?: number;
  /**
   * `auditIntegrity`'s bounded check: walk only the months after the last month seal and
   * `closedMonths`; the other closed months are checked by their seals and the stored links at
   * their ends, and only the newest checkpoints and those after the last seal are compared.
   */
  bounded?: { closedMonths: readonly string[] };
  /** Called as months are done: (months done, months). */
  onProgress?: (done: number, total: number) => void;
}

export interface CheckpointStatus {
  checkpoint: CheckpointRecord;
  source: CheckpointSource;
  signatureValid: boolean;
  trustedKey: boolean;
  /** The chain still holds this hash at this position. */
  chainMatches: boolean;
}

export interface VerifyReport {
  intact: boolean;
  eventsChecked: number;
  headPosition: string;
  headHash: string;
  /** Events not chained yet but within the grace period (normal: sealing runs every ~0.5 s). */
  pendingEvents: number;
  problems: Problem[];
  problemCount: number;
  firstProblem?: Problem;
  latestCheckpoint?: CheckpointStatus;
  /** The checkpoint kept outside the database (kept copy or command line) with the highest position. */
  latestExternalCheckpoint?: CheckpointStatus;
  /** Per month: sealed or open, walked this time or vouched for by its seal, intact. */
  months: MonthStatus[];
  ms: number;
}

/** Checkpoint and seal hashes by position, filled in as the months are walked. */
type Seen = Map<string, Buffer>;

/** The months the chain is partitioned into (audit_chain_YYYY_MM), oldest first. */
export async function chainMonths(knex: Knex): Promise<string[]> {
  const { rows } = (await knex.raw(`select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'public.audit_chain'::regclass order by c.relname`)) as { rows: { relname: string }[] };
  return rows.map((r) => r.relname.replace(/^audit_chain_(\d{4})_(\d{2})$/, '$1-$2')).filter((m) => /^\d{4}-\d{2}$/.test(m));
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
 * Every month walked (in parallel, one connection each: audit-walk.ts), then the months'
 * runs of positions laid end to end: they must tile 1..head exactly, or positions are
 * missing (POSITION_GAP at the first position after the hole) or held twice.
 */
async function walkMonths(knex: Knex, months: readonly string[], opts: VerifyOptions, wanted: readonly string[], log: ProblemLog) {
  const walks = await inParallel(months, opts.concurrency ?? defaultConcurrency(), async (month) => {
    const walk = await walkMonth(knex, month, wanted);
    opts.onProgress?.(months.indexOf(month) + 1, months.length);
    return walk;
  });
  return walks;
}

/** The runs of positions (walked, or vouched for by the seals of months not walked) must tile 1..head exactly. */
function tile(walks: readonly MonthWalk[], sealed: readonly Run[], log: ProblemLog) {
  let checked = 0;
  const seen: Seen = new Map();
  const runs: Run[] = [...sealed];
  for (const w of walks) {
    checked += w.checked;
    for (const p of w.problems) log.add(p);
    for (const [k, v] of w.seen) seen.set(k, v);
    w.runs.forEach(([start, end], i) => runs.push({ start, end, endHash: w.runEndHashes[i] }));
  }
  runs.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  let expected = 1n;
  let headHash = GENESIS_HASH.toString('hex');
  for (const run of runs) {
    if (run.start > expected) {
      log.add({
        kind: 'POSITION_GAP',
        position: run.start.toString(),
        detail: `chain positions ${expected}..${run.start - 1n} are missing before this event`,
      });
    } else if (run.start < expected) {
      log.add({
        kind: 'POSITION_GAP',
        position: run.start.toString(),
        detail: `chain position ${run.start} is held more than once (chain rows were moved)`,
      });
    }
    if (run.end + 1n >= expected) {
      expected = run.end + 1n;
      headHash = run.endHash;
    }
  }
  return { checked, headPosition: (expected - 1n).toString(), headHash: Buffer.from(headHash, 'hex'), seen };
}

/** Two connections on a two-core machine: the database does the hashing, one core per month. */
export function defaultConcurrency(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

/** Unchained events past the grace period, or at or below the sealer's watermark. */
async function checkUnchained(knex: Knex, graceMs: number, log: ProblemLog, since?: string): Promise<number> {
  const {
    rows: [r],
  } = (await knex.raw(
    `with w as (select coalesce((select watermark from audit_seal order by id desc limit 1), 0) as watermark),
     u as (select e.id, e.occurred_at, (e.id <= w.watermark
             or e.occurred_at < clock_timestamp() - make_interval(secs => ?)
             or e.occurred_at > clock_timestamp() + make_interval(secs => ?)) as overdue
           from audit_event e, w where e.occurred_at >= coalesce(?::timestamptz, '-infinity')
             and not exists (select 1 from audit_chain c where c.event_id = e.id))
     select count(*) filter (where overdue) as overdue, count(*) filter (where not overdue) as pending,
            (select u.id::text from u where overdue order by u.id limit 1) as first_id
     from u`,
    [graceMs / 1000, graceMs / 1000, since ?? null],
  )) as { rows: { overdue: string; pending: string; first_id: string | null }[] };
  if (r.first_id) {
    log.add({
      kind: 'NOT_CHAINED',
      eventId: r.first_id,
      detail: `${r.overdue} event(s) are not in the chain though they should be by now (inserted behind the sealer, or sealing stalled)`,
    });
  }
  return Number(r.pending);
}

/**
 * Seal batches vouch for positions the chain must still hold. Both maxima are read in ONE
 * statement (one snapshot): the sealer writes links and their seal row in one transaction, so
 * a batch sealed while the walk ran is seen with its links, never as a truncated tail.
 */
async function checkTail(knex: Knex, log: ProblemLog): Promise<void> {
  const {
    rows: [r],
  } = (await knex.raw(`select (select max(last_position) from audit_seal)::text as sealed,
      (select coalesce(max(position), 0) from audit_chain)::text as head`)) as { rows: { sealed: string | null; head: string }[] };
  if (r.sealed && BigInt(r.sealed) > BigInt(r.head)) {
    log.add({
      kind: 'CHAIN_TRUNCATED',
      position: (BigInt(r.head) + 1n).toString(),
      detail: `the chain ends at position ${r.head} but seal batches vouch for ${r.sealed}: its tail was deleted`,
    });
  }
}

interface Sourced {
  checkpoint: CheckpointRecord;
  source: CheckpointSource;
}

function checkCheckpoints(all: Sourced[], seen: Seen, headPosition: string, opts: VerifyOptions, log: ProblemLog): CheckpointStatus[] {
  return all.map(({ checkpoint: cp, source }) => {
    const sig = checkSignature(cp, opts.trustedKeys);
    const at = cp.position === '0' ? GENESIS_HASH : seen.get(cp.position);
    const chainMatches = at !== undefined && at.toString('hex') === cp.hash;
    const where = { position: cp.position, checkpointId: cp.id ?? 'external' };
    if (!sig.valid) log.add({ kind: 'CHECKPOINT_SIGNATURE', ...where, detail: `the checkpoint signature does not verify (${source})` });
    else if (!sig.trustedKey)
      log.add({ kind: 'CHECKPOINT_SIGNATURE', ...where, detail: `signed by key ${cp.keyId}, which is not a trusted key (${source})` });
    if (BigInt(cp.position) > BigInt(headPosition)) {
      log.add({
        kind: 'TRUNCATED_AFTER_CHECKPOINT',
        ...where,
        detail: `the chain ends at position ${headPosition}, but a signed checkpoint (${source}) vouches for position ${cp.position}: the events after ${headPosition} were removed`,
      });
    } else if (!chainMatches) {
      log.add({
        kind: 'CHECKPOINT_MISMATCH',
        ...where,
        detail: `the chain no longer passes through this signed head (${source}): an event at or before it was changed or removed and the chain rewritten`,
      });
    }
    return { checkpoint: cp, source, signatureValid: sig.valid, trustedKey: sig.trustedKey, chainMatches };
  });
}

/** The highest position wins; among equals, the one listed last. */
function latestOf(statuses: CheckpointStatus[]): CheckpointStatus | undefined {
  return statuses.reduce<CheckpointStatus | undefined>(
    (best, s) => (best === undefined || BigInt(s.checkpoint.position) >= BigInt(best.checkpoint.position) ? s : best),
    undefined,
  );
}

export async function verifyTrail(knex: Knex, opts: VerifyOptions): Promise<VerifyReport> {
  const started = Date.now();
  const log = new ProblemLog();
  const seals = await listMonthSeals(knex);
  const lastSealed = seals.at(-1);
  const allMonths = await chainMonths(knex);
  // Bounded: the months after the last seal, and the closed months the caller asks for; the other closed months by their seals.
  const months = opts.bounded
    ? allMonths.filter((m) => !lastSealed || m > lastSealed.month || opts.bounded?.closedMonths.includes(m))
    : allMonths;
  const openFrom = lastSealed ? BigInt(lastSealed.lastPosition) : 0n;
  let checkpoints: Sourced[] = [
    ...(await listCheckpoints(knex)).map((checkpoint) => ({ checkpoint, source: 'database' as const })),
    ...(opts.keptCheckpoints ?? []),
    ...(opts.externalCheckpoints ?? []).map((checkpoint) => ({ checkpoint, source: 'argument' as const })),
  ];
  if (opts.bounded) checkpoints = boundedCheckpoints(checkpoints, openFrom);
  const wanted = [...new Set(checkpoints.map((c) => c.checkpoint.position))];
  const walks = await walkMonths(knex, months, opts, wanted, log);
  const sealCheck = await checkMonthSeals(knex, seals, new Map(walks.map((w) => [w.month, w])), opts.trustedKeys, log);
  const walk = tile(walks, sealCheck.runs, log);
  for (const [position, hash] of await probeHashes(
    knex,
    wanted.filter((p) => !walk.seen.has(p)),
  ))
    walk.seen.set(position, hash);
  await checkTail(knex, log);
  const since = opts.bounded && lastSealed ? monthBounds(lastSealed.month).to : undefined;
  const pendingEvents = await checkUnchained(knex, opts.graceMs, log, since);
  const statuses = checkCheckpoints(checkpoints, walk.seen, walk.headPosition, opts, log);
  const problems = log.sorted();
  const sealedMonths = new Set(seals.map((x) => x.month));
  return {
    intact: log.count === 0,
    eventsChecked: walk.checked,
    headPosition: walk.headPosition,
    headHash: walk.headHash.toString('hex'),
    pendingEvents,
    problems,
    problemCount: log.count,
    firstProblem: problems[0],
    latestCheckpoint: statuses.filter((x) => x.source === 'database').at(-1),
    latestExternalCheckpoint: latestOf(statuses.filter((x) => x.source !== 'database')),
    months: [
      ...sealCheck.statuses,
      ...walks
        .filter((w) => !sealedMonths.has(w.month) && w.checked > 0)
        .map((w) => ({ month: w.month, walked: true, events: w.checked, intact: w.problems.length === 0 })),
    ],
    ms: Date.now() - started,
  };
}

/** In a bounded check: the checkpoints in the open months, and the latest of each source (older ones are behind a month seal). */
function boundedCheckpoints(all: Sourced[], openFrom: bigint): Sourced[] {
  const latest = new Map<string, Sourced>();
  for (const c of all) {
    const best = latest.get(c.source);
    if (!best || BigInt(c.checkpoint.position) >= BigInt(best.checkpoint.position)) latest.set(c.source, c);
  }
  return all.filter((c) => BigInt(c.checkpoint.position) > openFrom || [...latest.values()].includes(c));
}

async function probeHashes(knex: Knex, positions: string[]): Promise<Map<string, Buffer>> {
  if (positions.length === 0) return new Map();
  const { rows } = (await knex.raw('select position::text as position, hash from audit_chain where position = any(?::bigint[])', [
    `{${positions.join(',')}}`,
  ])) as { rows: { position: string; hash: Buffer }[] };
  return new Map(rows.map((r) => [r.position, r.hash]));
}
