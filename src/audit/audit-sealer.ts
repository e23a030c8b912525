import type { Knex } from '@mikro-orm/postgresql';
import { EVENT_COLUMNS_SQL, GENESIS_HASH, linkHash, type CanonicalEventRow } from './audit-canonical';

/**
 * Seals committed audit events into the hash chain, in batches, off the request path.
 *
 * Requests only append to `audit_event` (one INSERT, no lock); every hub process runs this
 * every ~500 ms, and `hub audit seal` runs it by hand. A transaction-scoped advisory lock
 * lets one sealer at a time extend the chain; the others skip their turn.
 *
 * Finding what to seal without scanning the trail: ids come from a sequence at INSERT, and
 * transactions commit in any order, so an event with a lower id can become visible after a
 * higher one was sealed (it then just gets a later position). The sealer keeps a
 * *watermark* W: every event id <= W is chained or will never exist (rolled back), so it only
 * looks at ids above W. W advances to a previous run's sequence high-water mark H once every
 * transaction that was in progress when H was read has ended: the recorder assigns its
 * transaction id *before* it draws event ids (see audit-recorder.ts), so any id <= H belongs to
 * a transaction that was running or finished when the snapshot after reading H was taken.
 * Events that arrive behind the watermark some other way are not sealed, and verification
 * reports them (NOT_CHAINED). The sequence must keep CACHE 1 (bigserial's default).
 */
export const SEAL_LOCK_KEY = 7_305_120_001;
export const SEAL_BATCH = 10_000;

export interface SealResult {
  /** Another process held the sealing lock: nothing was done. */
  skipped: boolean;
  sealed: number;
  headPosition: bigint;
}

interface SealState {
  watermark: bigint;
  pendingHigh: bigint;
  pendingSnapshot?: string;
  headPosition: bigint;
  headHash: Buffer;
}

async function rows<T>(trx: Knex, sql: string, bindings: readonly unknown[] = []): Promise<T[]> {
  return ((await trx.raw(sql, bindings as Knex.RawBinding[])) as { rows: T[] }).rows;
}

async function readState(trx: Knex): Promise<SealState> {
  const [seal] = await rows<{ watermark: string; pending_high: string; pending_snapshot: string }>(
    trx, 'select watermark, pending_high, pending_snapshot from audit_seal order by id desc limit 1');
  const [head] = await rows<{ position: string; hash: Buffer }>(trx, 'select position, hash from audit_chain order by position desc limit 1');
  return {
    watermark: BigInt(seal?.watermark ?? 0),
    pendingHigh: BigInt(seal?.pending_high ?? 0),
    pendingSnapshot: seal?.pending_snapshot,
    headPosition: BigInt(head?.position ?? 0),
    headHash: head?.hash ?? GENESIS_HASH,
  };
}

/** The sequence's high-water mark, then a snapshot: in two statements, so in that order. */
async function highThenSnapshot(trx: Knex): Promise<{ high: bigint; snapshot: string }> {
  const [seq] = await rows<{ high: string }>(trx, 'select case when is_called then last_value else 0 end as high from audit_event_id_seq');
  const [snap] = await rows<{ snapshot: string }>(trx, 'select pg_current_snapshot()::text as snapshot');
  return { high: BigInt(seq.high), snapshot: snap.snapshot };
}

/** True when every transaction in progress at `snapshot` has committed or aborted since. */
async function settled(trx: Knex, snapshot: string): Promise<boolean> {
  const [r] = await rows<{ settled: boolean }>(trx,
    `select not exists (select 1 from pg_snapshot_xip(?::pg_snapshot) x where pg_xact_status(x) = 'in progress') as settled`, [snapshot]);
  return r.settled;
}

/**
 * Events above the watermark not yet chained, in id order. The repeated bound on `c.event_id`
 * is what keeps this cheap: with it the planner merges the two index ranges above the
 * watermark; without it, it hashes the whole chain on every pass (measured: 9 ms against
 * 340 ms at 10^6 sealed events, and growing with the trail).
 */
function unchainedAbove(trx: Knex, watermark: bigint, limit: number): Promise<CanonicalEventRow[]> {
  const w = watermark.toString();
  return rows<CanonicalEventRow>(trx,
    `select ${EVENT_COLUMNS_SQL} from audit_event e
     where e.id > ? and not exists (select 1 from audit_chain c where c.event_id = e.id and c.event_id > ?)
     order by e.id limit ?`, [w, w, limit]);
}

async function appendLinks(trx: Knex, first: bigint, previous: Buffer, events: CanonicalEventRow[]): Promise<Buffer> {
  const positions: string[] = [];
  const hashes: string[] = [];
  let hash = previous;
  events.forEach((event, i) => {
    const position = first + BigInt(i);
    hash = linkHash(hash, position, event);
    positions.push(position.toString());
    hashes.push(hash.toString('hex'));
  });
  // Array literals of digits and hex need no escaping; knex would expand a JS array binding.
  await trx.raw(
    `insert into audit_chain (position, event_id, hash)
     select p, e, decode(h, 'hex') from unnest(?::bigint[], ?::bigint[], ?::text[]) as t(p, e, h)`,
    [`{${positions.join(',')}}`, `{${events.map((e) => e.id).join(',')}}`, `{${hashes.join(',')}}`],
  );
  return hash;
}

/**
 * One sealing pass in one transaction: at most `batch` events. With `wait`, queues for the
 * lock instead of skipping (the CLI, which must not return before the trail is sealed).
 */
export async function sealOnce(knex: Knex, batch = SEAL_BATCH, wait = false): Promise<SealResult> {
  return knex.transaction(async (trx) => {
    if (wait) await trx.raw('select pg_advisory_xact_lock(?)', [SEAL_LOCK_KEY]);
    else {
      const [lock] = await rows<{ ok: boolean }>(trx, 'select pg_try_advisory_xact_lock(?) as ok', [SEAL_LOCK_KEY]);
      if (!lock.ok) return { skipped: true, sealed: 0, headPosition: 0n };
    }
    const state = await readState(trx);
    const now = await highThenSnapshot(trx);
    let watermark = state.watermark;
    if (state.pendingSnapshot && state.pendingHigh > watermark && (await settled(trx, state.pendingSnapshot))) {
      watermark = state.pendingHigh;
    }
    const events = await unchainedAbove(trx, state.watermark, batch);
    // A full batch may leave unsealed events above its last id: keep them inside the window.
    if (events.length === batch) watermark = minBig(watermark, BigInt(events[events.length - 1].id));
    if (events.length === 0 && watermark === state.watermark && now.high === state.pendingHigh) {
      return { skipped: false, sealed: 0, headPosition: state.headPosition };
    }
    const first = state.headPosition + 1n;
    const head = events.length > 0 ? await appendLinks(trx, first, state.headHash, events) : state.headHash;
    const last = state.headPosition + BigInt(events.length);
    await trx.raw(
      `insert into audit_seal (first_position, last_position, head_hash, watermark, pending_high, pending_snapshot)
       values (?, ?, decode(?, 'hex'), ?, ?, ?)`,
      [events.length > 0 ? first.toString() : null, events.length > 0 ? last.toString() : null, head.toString('hex'),
        watermark.toString(), now.high.toString(), now.snapshot],
    );
    return { skipped: false, sealed: events.length, headPosition: last };
  });
}

/** Seals until nothing is left (or, without `wait`, until another process holds the lock). */
export async function sealAll(knex: Knex, opts: { batch?: number; wait?: boolean } = {}): Promise<{ sealed: number; skipped: boolean }> {
  const batch = opts.batch ?? SEAL_BATCH;
  let sealed = 0;
  for (;;) {
    const r = await sealOnce(knex, batch, opts.wait);
    sealed += r.sealed;
    if (r.skipped || r.sealed < batch) return { sealed, skipped: r.skipped };
  }
}

function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
