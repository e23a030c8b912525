import type { Knex } from '@mikro-orm/postgresql';
import { GENESIS_HASH } from './audit-canonical';
import { closeMonth, nextMonth, openMonth } from './audit-month-seal';
import { linkUnchainedAbove, type NewLinks } from './audit-seal-read';
import type { SigningKey } from './audit-signing-key';
import { monthBounds } from './audit-walk';

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
 * looks at ids above W. A sealing pass that writes records a pending mark: the sequence's
 * high-water mark H, and then its own transaction id X (drawn after reading H). The recorder
 * gives its transaction an id *before* it draws event ids (see audit-recorder.ts), so every
 * event id <= H belongs to a transaction whose id is below X. Once no transaction with an id
 * <= X is running (the current snapshot's xmin is above X), all of them have committed, and
 * are visible to the next statement, or rolled back: W may advance to H.
 *
 * Not a stored snapshot's list of running transactions: PostgreSQL sets a snapshot's xmax to
 * the newest *completed* transaction id + 1 and lists only running ids below it, so an open
 * transaction that holds the newest id is missing from the list. Checking "everything in that
 * snapshot has ended" let W pass an uncommitted event, which was then never chained
 * (test/audit-concurrency.test.ts forces that interleaving).
 *
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

interface Mark {
  high: bigint;
  xid: bigint;
  /** ISO time read before `high` and `xid` (null on marks older than month seals): events dated before it all have lower ids and xids. */
  at: string | null;
}

interface SealState {
  watermark: bigint;
  /** The pending mark (high-water mark, the id of the transaction that read it, the clock just before), if any. */
  pending?: Mark;
  headPosition: bigint;
  headHash: Buffer;
}

async function rows<T>(trx: Knex, sql: string, bindings: readonly unknown[] = []): Promise<T[]> {
  return ((await trx.raw(sql, bindings as Knex.RawBinding[])) as { rows: T[] }).rows;
}

async function readState(trx: Knex): Promise<SealState> {
  const [seal] = await rows<{ watermark: string; pending_high: string; pending_xid: string | null; pending_at: string | null }>(
    trx,
    `select watermark, pending_high, pending_xid, to_char(pending_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as pending_at
     from audit_seal order by id desc limit 1`,
  );
  const [head] = await rows<{ position: string; hash: Buffer }>(
    trx,
    'select position, hash from audit_chain order by position desc limit 1',
  );
  return {
    watermark: BigInt(seal?.watermark ?? 0),
    // A seal row from before pending_xid existed carries no usable mark: start a new one.
    pending:
      seal?.pending_xid != null ? { high: BigInt(seal.pending_high), xid: BigInt(seal.pending_xid), at: seal.pending_at } : undefined,
    headPosition: BigInt(head?.position ?? 0),
    headHash: head?.hash ?? GENESIS_HASH,
  };
}

/** The highest event id handed out so far (0 before the first). */
async function sequenceHigh(trx: Knex): Promise<bigint> {
  const [seq] = await rows<{ high: string }>(trx, 'select case when is_called then last_value else 0 end as high from audit_event_id_seq');
  return BigInt(seq.high);
}

/** This transaction's id (assigned now if it has none yet). */
async function ownXid(trx: Knex): Promise<bigint> {
  const [r] = await rows<{ xid: string }>(trx, 'select pg_current_xact_id()::text as xid');
  return BigInt(r.xid);
}

/**
 * True when no transaction with an id <= `xid` is running. `xid` belongs to a sealer that has
 * committed, so it is below the snapshot's xmax, and every running id below xmax counts in xmin.
 */
async function endedUpTo(trx: Knex, xid: bigint): Promise<boolean> {
  const [r] = await rows<{ ended: boolean }>(trx, 'select pg_snapshot_xmin(pg_current_snapshot()) > ?::text::xid8 as ended', [
    xid.toString(),
  ]);
  return r.ended;
}

/**
 * Writes the links read by `linkUnchainedAbove`. Array literals of digits, hex and ISO times
 * need no escaping; knex would expand a JS array binding. The event's own time (its partition
 * key) puts the link in the event's month.
 */
async function appendLinks(trx: Knex, first: bigint, links: NewLinks): Promise<void> {
  const positions: string[] = [];
  for (let i = 0; i < links.ids.length; i++) positions.push((first + BigInt(i)).toString());
  await trx.raw(
    `insert into audit_chain (position, event_id, hash, occurred_at)
     select p, e, decode(h, 'hex'), o from unnest(?::bigint[], ?::bigint[], ?::text[], ?::timestamptz[]) as t(p, e, h, o)`,
    [`{${positions.join(',')}}`, `{${links.ids.join(',')}}`, `{${links.hashes.join(',')}}`, `{${links.occurredAt.join(',')}}`],
  );
}

/**
 * One sealing pass in one transaction: at most `batch` events. With `wait`, queues for the
 * lock instead of skipping (the CLI, which must not return before the trail is sealed). With
 * `key`, it also closes the months that can no longer receive events (audit-month-seal.ts).
 */
export async function sealOnce(knex: Knex, batch = SEAL_BATCH, wait = false, key?: SigningKey): Promise<SealResult> {
  return knex.transaction(async (trx) => {
    if (wait) await trx.raw('select pg_advisory_xact_lock(?)', [SEAL_LOCK_KEY]);
    else {
      const [lock] = await rows<{ ok: boolean }>(trx, 'select pg_try_advisory_xact_lock(?) as ok', [SEAL_LOCK_KEY]);
      if (!lock.ok) return { skipped: true, sealed: 0, headPosition: 0n };
    }
    const state = await readState(trx);
    const at = await clockNow(trx); // before the high-water mark and the transaction id: see Mark.at
    const high = await sequenceHigh(trx); // before this transaction draws its id (ownXid below)
    let watermark = state.watermark;
    // An unsettled mark is kept, not replaced by a newer one: it settles as soon as the
    // transactions that were open when it was taken have ended, whatever started since.
    let pending = state.pending;
    let settled: Mark | undefined;
    if (pending && (await endedUpTo(trx, pending.xid))) {
      if (pending.high > watermark) watermark = pending.high;
      settled = pending;
      pending = undefined;
    }
    // After the check above, in a later statement: sees every transaction that has ended by then.
    // Events above the watermark not yet chained, in id order, linked from the head on.
    const first = state.headPosition + 1n;
    const links = await linkUnchainedAbove(trx, state.watermark, batch, first, state.headHash);
    const events = links.ids;
    // A full batch may leave unsealed events above its last id: keep them inside the window.
    if (events.length === batch) watermark = minBig(watermark, BigInt(events[events.length - 1]));
    // Every event dated before the settled mark's time is chained once this pass commits.
    const closableBefore = key && settled?.at && events.length < batch && watermark >= settled.high ? settled.at : undefined;
    const nothingNew = pending !== undefined || high === watermark;
    if (events.length === 0 && watermark === state.watermark && nothingNew) {
      if (closableBefore && key) await closeEndedMonths(trx, state.watermark, closableBefore, key);
      return { skipped: false, sealed: 0, headPosition: state.headPosition };
    }
    pending ??= { high, xid: await ownXid(trx), at };
    if (events.length > 0) await appendLinks(trx, first, links);
    const head = links.head;
    const last = state.headPosition + BigInt(events.length);
    await trx.raw(
      `insert into audit_seal (first_position, last_position, head_hash, watermark, pending_high, pending_xid, pending_at)
       values (?, ?, decode(?, 'hex'), ?, ?, ?, ?)`,
      [
        events.length > 0 ? first.toString() : null,
        events.length > 0 ? last.toString() : null,
        head.toString('hex'),
        watermark.toString(),
        pending.high.toString(),
        pending.xid.toString(),
        pending.at,
      ],
    );
    if (closableBefore && key) await closeEndedMonths(trx, state.watermark, closableBefore, key);
    return { skipped: false, sealed: events.length, headPosition: last };
  });
}

/** Seals every month that ended at or before `before`, oldest first. */
async function closeEndedMonths(trx: Knex, watermark: bigint, before: string, key: SigningKey): Promise<void> {
  for (let month = await openMonth(trx, watermark); month && monthBounds(month).to <= before; month = nextMonth(month)) {
    await closeMonth(trx, month, key);
  }
}

async function clockNow(trx: Knex): Promise<string> {
  const [r] = await rows<{ at: string }>(
    trx,
    `select to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at`,
  );
  return r.at;
}

/** Seals until nothing is left (or, without `wait`, until another process holds the lock). */
export async function sealAll(
  knex: Knex,
  opts: { batch?: number; wait?: boolean; key?: SigningKey } = {},
): Promise<{ sealed: number; skipped: boolean }> {
  const batch = opts.batch ?? SEAL_BATCH;
  let sealed = 0;
  for (;;) {
    const r = await sealOnce(knex, batch, opts.wait, opts.key);
    sealed += r.sealed;
    if (r.skipped || r.sealed < batch) return { sealed, skipped: r.skipped };
  }
}

function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
