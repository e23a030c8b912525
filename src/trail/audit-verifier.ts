import type { Knex } from '@mikro-orm/postgresql';
import { GENESIS_HASH } from './audit-canonical';
import { listCheckpoints, type CheckpointRecord } from './audit-checkpoint';
import { listDetachedMonths, type DetachedMonth } from './audit-detached';
import { ProblemLog, type Problem } from './audit-problems';
import { listMonthSeals } from './audit-month-seal';
import { checkMonthSeals, type MonthStatus, type Run } from './audit-seal-check';
import { monthBounds, type MonthWalk } from './audit-walk';
import { walkMonths } from './audit-verify-ranges';
import type { TrustedKey } from './audit-signing-key';
import {
  boundedCheckpoints,
  checkCheckpoints,
  latestOf,
  type CheckpointSource,
  type CheckpointStatus,
  type Seen,
  type Sourced,
} from './audit-verify-checkpoints';
export type { CheckpointSource, CheckpointStatus } from './audit-verify-checkpoints';
export { defaultConcurrency, RANGE_SIZE } from './audit-verify-ranges';

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
  /** Ranges of positions (of any month) walked at once, one connection each (default: two per core, at most 8). */
  concurrency?: number;
  /** Positions per range: a month longer than this is cut into ranges walked in parallel (default RANGE_SIZE). */
  rangeSize?: number;
  /**
   * `auditIntegrity`'s bounded check: walk only the months after the last month seal and
   * `closedMonths`; the other closed months are checked by their seals and the stored links at
   * their ends, and only the newest checkpoints and those after the last seal are compared.
   */
  bounded?: { closedMonths: readonly string[] };
  /** Walk each month inside the database (audit-walk.ts) instead of streaming it to the hub (audit-stream-walk.ts, the default). */
  inDatabase?: boolean;
  /** Called as ranges are done: (ranges done, ranges); a month is one range or more. */
  onProgress?: (done: number, total: number) => void;
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
  /** Per month: sealed or open, walked this time or vouched for by its seal, archived, intact. */
  months: MonthStatus[];
  /** Months archived and detached (`hub audit archive --detach`): vouched for by their seals, their links in their archives. */
  archivedMonths: DetachedMonth[];
  ms: number;
}

/** The months the chain is partitioned into (audit_chain_YYYY_MM), oldest first. */
export async function chainMonths(knex: Knex): Promise<string[]> {
  const { rows } = (await knex.raw(`select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'public.audit_chain'::regclass order by c.relname`)) as { rows: { relname: string }[] };
  return rows.map((r) => r.relname.replace(/^audit_chain_(\d{4})_(\d{2})$/, '$1-$2')).filter((m) => /^\d{4}-\d{2}$/.test(m));
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
 * a batch sealed while the walk ran is seen with its links, never as a truncated tail. A
 * detached month's positions count as held: its seal vouches for them, its archive holds them.
 */
async function checkTail(knex: Knex, log: ProblemLog): Promise<void> {
  const {
    rows: [r],
  } = (await knex.raw(`select (select max(last_position) from audit_seal)::text as sealed,
      greatest((select coalesce(max(position), 0) from audit_chain),
        (select max(s.last_position) from audit_month_seal s join audit_month_detached d on d.month = s.month))::text as head`)) as {
    rows: { sealed: string | null; head: string }[];
  };
  if (r.sealed && BigInt(r.sealed) > BigInt(r.head)) {
    log.add({
      kind: 'CHAIN_TRUNCATED',
      position: (BigInt(r.head) + 1n).toString(),
      detail: `the chain ends at position ${r.head} but seal batches vouch for ${r.sealed}: its tail was deleted`,
    });
  }
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
  const detached = await listDetachedMonths(knex);
  const detachedSeals = seals.filter((x) => detached.some((d) => d.month === x.month));
  // The first link after a detached month follows from that month's root hash, which its seal vouches for.
  const anchors = new Map(detachedSeals.map((x) => [x.lastPosition, Buffer.from(x.rootHash, 'hex')]));
  const walks = await walkMonths(knex, months, opts, wanted, anchors);
  const walked = new Map(walks.map((w) => [w.month, w]));
  const sealCheck = await checkMonthSeals(knex, seals, walked, opts.trustedKeys, log, new Set(detached.map((d) => d.month)));
  const walk = tile(walks, sealCheck.runs, log);
  for (const [position, hash] of await probeHashes(
    knex,
    wanted.filter((p) => !walk.seen.has(p)),
  ))
    walk.seen.set(position, hash);
  await checkTail(knex, log);
  const since = opts.bounded && lastSealed ? monthBounds(lastSealed.month).to : undefined;
  const pendingEvents = await checkUnchained(knex, opts.graceMs, log, since);
  const archivedRuns = detachedSeals.map((x) => ({ start: BigInt(x.firstPosition), end: BigInt(x.lastPosition) }));
  const statuses = checkCheckpoints(checkpoints, walk.seen, walk.headPosition, opts.trustedKeys, log, archivedRuns);
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
    archivedMonths: detached,
    ms: Date.now() - started,
  };
}

async function probeHashes(knex: Knex, positions: string[]): Promise<Map<string, Buffer>> {
  if (positions.length === 0) return new Map();
  const { rows } = (await knex.raw('select position::text as position, hash from audit_chain where position = any(?::bigint[])', [
    `{${positions.join(',')}}`,
  ])) as { rows: { position: string; hash: Buffer }[] };
  return new Map(rows.map((r) => [r.position, r.hash]));
}
