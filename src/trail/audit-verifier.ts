import type { Knex } from '@mikro-orm/postgresql';
import { EVENT_COLUMNS_SQL, GENESIS_HASH, linkHash, type CanonicalEventRow } from './audit-canonical';
import { checkSignature, listCheckpoints, type CheckpointRecord } from './audit-checkpoint';
import { ProblemLog, type Problem } from './audit-problems';
import { handled } from './read-ahead';
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
  batchSize?: number;
  onProgress?: (checked: number, total: number) => void;
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
  ms: number;
}

interface ChainRow extends CanonicalEventRow {
  position: string;
  event_id: string;
  link_hash: Buffer;
  present: boolean;
}

const CHAIN_SQL = `select c.position::text as position, c.event_id::text as event_id, c.hash as link_hash,
  e.id is not null as present, ${EVENT_COLUMNS_SQL}
  from audit_chain c left join audit_event e on e.id = c.event_id
  where c.position > ? order by c.position limit ?`;

/** Checkpoint hashes by position, filled in as the walk passes them. */
type Seen = Map<string, Buffer>;

async function walkChain(knex: Knex, opts: VerifyOptions, wanted: Set<string>, log: ProblemLog) {
  const batch = opts.batchSize ?? 10_000;
  const total = Number(
    ((await knex.raw('select coalesce(max(position), 0) as n from audit_chain')) as { rows: { n: string }[] }).rows[0].n,
  );
  const fetch = (after: string) => handled(knex.raw(CHAIN_SQL, [after, batch]).then((r) => (r as { rows: ChainRow[] }).rows));
  const seen: Seen = new Map();
  let previous: Buffer = GENESIS_HASH;
  let expected = 1n;
  let checked = 0;
  let next = fetch('0');
  for (;;) {
    const rows = await next;
    // The next batch is read while this one is hashed: the database and the hashing overlap.
    if (rows.length === batch) next = fetch(rows[rows.length - 1].position);
    for (const row of rows) {
      checkLink(row, expected, previous, log);
      const position = BigInt(row.position);
      previous = row.link_hash; // resynchronise on what was sealed
      expected = position + 1n;
      if (wanted.has(row.position)) seen.set(row.position, row.link_hash);
      checked++;
    }
    opts.onProgress?.(checked, total);
    if (rows.length < batch) break;
    await new Promise((r) => setImmediate(r)); // let a serving hub answer other requests
  }
  return { checked, headPosition: (expected - 1n).toString(), headHash: previous, seen };
}

function checkLink(row: ChainRow, expected: bigint, previous: Buffer, log: ProblemLog): void {
  const position = BigInt(row.position);
  const where = { position: row.position, eventId: row.event_id };
  if (position !== expected) {
    log.add({ kind: 'POSITION_GAP', ...where, detail: `chain positions ${expected}..${position - 1n} are missing before this event` });
  } else if (!row.present) {
    log.add({ kind: 'EVENT_MISSING', ...where, detail: 'the sealed event row is gone (deleted)' });
  } else if (!linkHash(previous, position, row).equals(row.link_hash)) {
    log.add({ kind: 'HASH_MISMATCH', ...where, detail: 'the event differs from what was sealed (changed, swapped or moved)' });
  }
}

/** Unchained events past the grace period, or at or below the sealer's watermark. */
async function checkUnchained(knex: Knex, graceMs: number, log: ProblemLog): Promise<number> {
  const {
    rows: [r],
  } = (await knex.raw(
    `with w as (select coalesce((select watermark from audit_seal order by id desc limit 1), 0) as watermark),
     u as (select e.id, e.occurred_at, (e.id <= w.watermark
             or e.occurred_at < clock_timestamp() - make_interval(secs => ?)
             or e.occurred_at > clock_timestamp() + make_interval(secs => ?)) as overdue
           from audit_event e, w where not exists (select 1 from audit_chain c where c.event_id = e.id))
     select count(*) filter (where overdue) as overdue, count(*) filter (where not overdue) as pending,
            (select u.id::text from u where overdue order by u.id limit 1) as first_id
     from u`,
    [graceMs / 1000, graceMs / 1000],
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
  const checkpoints: Sourced[] = [
    ...(await listCheckpoints(knex)).map((checkpoint) => ({ checkpoint, source: 'database' as const })),
    ...(opts.keptCheckpoints ?? []),
    ...(opts.externalCheckpoints ?? []).map((checkpoint) => ({ checkpoint, source: 'argument' as const })),
  ];
  const walk = await walkChain(knex, opts, new Set(checkpoints.map((c) => c.checkpoint.position)), log);
  await checkTail(knex, log);
  const pendingEvents = await checkUnchained(knex, opts.graceMs, log);
  const statuses = checkCheckpoints(checkpoints, walk.seen, walk.headPosition, opts, log);
  const problems = log.sorted();
  return {
    intact: log.count === 0,
    eventsChecked: walk.checked,
    headPosition: walk.headPosition,
    headHash: walk.headHash.toString('hex'),
    pendingEvents,
    problems,
    problemCount: log.count,
    firstProblem: problems[0],
    latestCheckpoint: statuses.filter((s) => s.source === 'database').at(-1),
    latestExternalCheckpoint: latestOf(statuses.filter((s) => s.source !== 'database')),
    ms: Date.now() - started,
  };
}
