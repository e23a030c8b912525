import { hash } from 'node:crypto';
import type { Knex } from '@mikro-orm/postgresql';
import { CANONICAL_VERSION, EVENT_COLUMNS_SQL, linkHash, type CanonicalEventRow } from './audit-canonical';
import { canonicalFromCopy, copyFields } from './audit-link-row';
import { canonicalInto, MAX_GROWTH, SEAL_COLUMNS } from './audit-seal-bytes';
import { copyOutIn } from './copy-out';

/**
 * The sealer's read of the events to chain, with their link hashes computed as the rows arrive.
 *
 * Profiled under list50 load (docs/bench.md, Issue 13 section 8): reading the events back as
 * 18 columns per row (the driver makes a string per field and parses the JSON arrays),
 * rebuilding the canonical form with `canonicalEvent` and hashing it took 10-15 % of a hub's
 * busy CPU. Here the same columns come in one `COPY … TO STDOUT` (one message per row), the
 * canonical form is written from the row's bytes into one reused buffer (audit-seal-bytes.ts)
 * after the hash before it and the position, and that is hashed with one `crypto.hash` call.
 * A row the byte form does not take goes through the string form of the walk
 * (`canonicalFromCopy`), and if that cannot render it either, the whole pass is read again
 * the old way (`canonicalEvent` on the driver's rows). The verifier's walk writes the form with
 * the same byte code (audit-link-bytes.ts), so the two cannot drift apart; what holds that code
 * to `canonicalEvent`, the definition, are the tests: test/audit-seal-read.test.ts seals hostile
 * values and checks every link against `linkHash`, test/audit-ranges.test.ts compares the byte
 * and string forms of the walk on hostile values.
 *
 * (Letting PostgreSQL render the form, `canonicalSql`, cut the hub's CPU as much but cost
 * PostgreSQL 60-75 % more time for the read than these 18 columns: on two shared cores that
 * ate most of the gain.)
 */
export interface NewLinks {
  /** Event ids in id order, as text. */
  ids: string[];
  /** Each event's `occurred_at` in UTC, ISO with microseconds (its partition key). */
  occurredAt: string[];
  /** Each link's hash, hex. */
  hashes: string[];
  /** The hash of the last link (`previous` when there is none). */
  head: Buffer;
}

/** Offsets in the work buffer: the hash before, the position (8 bytes, big-endian), then the canonical event. */
const POS_AT = 32;
const CANON_AT = 40;
const PREFIX = Buffer.from(`["${CANONICAL_VERSION}","`, 'latin1');
const QUOTE = 0x22;
const COMMA = 0x2c;

/**
 * The COPY of the events above `watermark` not yet chained, in id order. The repeated bound on
 * `c.event_id` is what keeps this cheap: with it the planner merges the two index ranges above
 * the watermark; without it, it hashes the whole chain on every pass (measured: 9 ms against
 * 340 ms at 10^6 sealed events, and growing with the trail). COPY takes no parameters: the
 * bounds are integers written by the sealer.
 */
export function unchainedCopySql(watermark: bigint, limit: number, columns = SEAL_COLUMNS): string {
  return `copy (${unchainedSql(columns, watermark, limit)}) to stdout`;
}

function unchainedSql(columns: string, watermark: bigint, limit: number): string {
  const w = watermark.toString();
  return `select ${columns} from audit_event e
     where e.id > ${w} and not exists (select 1 from audit_chain c where c.event_id = e.id and c.occurred_at = e.occurred_at and c.event_id > ${w})
     order by e.id limit ${Math.trunc(limit)}`;
}

/** A row neither the byte form nor the string form can render: the pass is read the old way. */
class Unrenderable extends Error {}

/** Reads at most `limit` unchained events above `watermark` and links them from position `first` on, after `previous`. */
export async function linkUnchainedAbove(trx: Knex, watermark: bigint, limit: number, first: bigint, previous: Buffer): Promise<NewLinks> {
  const out: NewLinks = { ids: [], occurredAt: [], hashes: [], head: previous };
  let work = Buffer.alloc(8192);
  previous.copy(work, 0);
  let position = Number(first);
  await trx.raw("set local datestyle = 'ISO, YMD'"); // the timestamp's text form the byte form reads
  try {
    await copyOutIn(trx, unchainedCopySql(watermark, limit), (row) => {
      if (work.length < CANON_AT + row.length * MAX_GROWTH + 64) {
        const bigger = Buffer.alloc(2 * (CANON_AT + row.length * MAX_GROWTH + 64));
        work.copy(bigger, 0, 0, CANON_AT);
        work = bigger;
      }
      let end = canonicalInto(row, work, CANON_AT);
      if (end < 0) {
        const canon = canonicalFromCopy([null, null, ...copyFields(row)]);
        if (canon === null) throw new Unrenderable();
        end = CANON_AT + work.write(canon, CANON_AT, 'utf8');
      }
      work.writeUInt32BE(Math.floor(position / 0x1_0000_0000), POS_AT);
      work.writeUInt32BE(position >>> 0, POS_AT + 4);
      const digest = hash('sha256', work.subarray(0, end), 'buffer');
      // The form starts `["v1","<id>","<occurred_at>"`: digits and an ISO time, neither holds a quote.
      const idEnd = work.indexOf(QUOTE, CANON_AT + PREFIX.length);
      const atEnd = work.indexOf(QUOTE, idEnd + 3);
      out.ids.push(work.toString('latin1', CANON_AT + PREFIX.length, idEnd));
      out.occurredAt.push(work.toString('latin1', idEnd + 3, atEnd));
      if (idEnd < 0 || work[idEnd + 1] !== COMMA || atEnd < 0 || atEnd >= end) throw new Error('audit sealer: not a canonical event');
      digest.copy(work, 0);
      out.hashes.push(digest.toString('hex'));
      out.head = digest;
      position++;
    });
  } catch (error) {
    if (!(error instanceof Unrenderable)) throw error;
    return linkTheOldWay(trx, watermark, limit, first, previous);
  }
  return out;
}

/** The driver's rows and `canonicalEvent`: for a pass with a value only that renders (a timestamp outside years 0001-9999). */
async function linkTheOldWay(trx: Knex, watermark: bigint, limit: number, first: bigint, previous: Buffer): Promise<NewLinks> {
  const events = ((await trx.raw(unchainedSql(EVENT_COLUMNS_SQL, watermark, limit))) as { rows: CanonicalEventRow[] }).rows;
  const out: NewLinks = { ids: [], occurredAt: [], hashes: [], head: previous };
  events.forEach((event, i) => {
    out.head = linkHash(out.head, first + BigInt(i), event);
    out.ids.push(event.id);
    out.occurredAt.push(event.occurred_at);
    out.hashes.push(out.head.toString('hex'));
  });
  return out;
}
