import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Knex } from '@mikro-orm/postgresql';
import { CANONICAL_COLUMNS, CANONICAL_VERSION } from './audit-canonical';
import { listCheckpoints, type CheckpointRecord } from './audit-checkpoint';
import { trailOf } from './audit-checkpoint-sink';
import { listMonthSeals, type MonthSeal } from './audit-month-seal';
import { canonicalFromCopy, copyFields, LINK_COLUMNS } from './audit-link-row';
import { monthBounds } from './audit-walk';
import { BULK_READ, copyOut } from './copy-out';

/**
 * The archive of one closed month: gzip'd JSON Lines. Line 1 is the header (the month, the
 * trail, the month's signed seal, the previous month's seal, the hash the first link follows
 * from, and the signed checkpoints that fall inside the month); then one line per link in
 * position order, `{"p": position, "h": link hash (hex), "e": the canonical event}`, where
 * `e` is the very JSON array the link's hash commits to (`canonicalEvent`: a version tag and
 * every column of `audit_event` in CANONICAL_COLUMNS order). So the archive verifies alone
 * (audit-archive-verify.ts): each line's hash follows from the one before, the last is the
 * seal's root hash, the count and positions are the seal's, the seal is signed.
 *
 * A month is usually one run of positions; when an event dated in it was committed after the
 * next month's events were chained, its positions interleave with that month's. The links of
 * other months between its first and last position are then archived too, marked `"o":1`
 * (other month), so the archive still verifies link by link from its first to its last line.
 */
export const ARCHIVE_FORMAT = 'returnee-hub audit archive v1';

export interface ArchiveHeader {
  format: typeof ARCHIVE_FORMAT;
  month: string;
  trail: string;
  createdAt: string;
  canonicalVersion: string;
  columns: readonly string[];
  seal: MonthSeal;
  previousSeal?: MonthSeal;
  /** The stored link hash at `seal.firstPosition - 1` (genesis for position 1), which the first link follows from. */
  anchorHash: string;
  checkpoints: CheckpointRecord[];
}

export class ArchiveRefused extends Error {}

export interface ArchiveWritten {
  file: string;
  events: number;
  bytes: number;
  sha256: string;
  seal: MonthSeal;
  ms: number;
}

/** The month's seal and the one before it; refuses an open or unsealed month. */
export async function sealOf(knex: Knex, month: string): Promise<{ seal: MonthSeal; previous?: MonthSeal }> {
  const current = new Date().toISOString().slice(0, 7);
  if (month >= current) throw new ArchiveRefused(`audit month ${month} is not over yet: only a closed, sealed month can be archived`);
  const seals = await listMonthSeals(knex);
  const i = seals.findIndex((s) => s.month === month);
  if (i < 0) throw new ArchiveRefused(`audit month ${month} is not sealed yet: the sealer closes a month once all its events are chained`);
  return { seal: seals[i], previous: seals[i - 1] };
}

async function anchorOf(knex: Knex, seal: MonthSeal): Promise<string> {
  if (seal.firstPosition === '1' || seal.eventCount === '0') return Buffer.alloc(32).toString('hex');
  const { rows } = (await knex.raw(`select encode(hash, 'hex') as hash from audit_chain where position = ?`, [
    (BigInt(seal.firstPosition) - 1n).toString(),
  ])) as { rows: { hash: string }[] };
  // The link before a month whose predecessor was detached: its seal's root hash.
  return rows[0]?.hash ?? (await detachedRoot(knex, seal)) ?? '';
}

async function detachedRoot(knex: Knex, seal: MonthSeal): Promise<string | undefined> {
  const previous = (await listMonthSeals(knex)).find((s) => BigInt(s.lastPosition) + 1n === BigInt(seal.firstPosition));
  return previous?.rootHash;
}

/** The links from the seal's first to its last position (of any month), each with its event and whether it is this month's. */
function archiveCopySql(month: string, seal: MonthSeal): string {
  const b = monthBounds(month);
  const first = BigInt(seal.firstPosition).toString();
  const last = BigInt(seal.lastPosition).toString();
  return `copy (select ${LINK_COLUMNS}, (c.occurred_at >= '${b.from}' and c.occurred_at < '${b.to}')
    from audit_chain c left join audit_event e on e.id = c.event_id and e.occurred_at = c.occurred_at
    where c.position between ${first} and ${last} order by c.position) to stdout`;
}

/** Writes the archive of `month` to `file`: the header, then the month's links streamed in one COPY, through gzip with back-pressure. */
export async function writeArchive(knex: Knex, month: string, file: string): Promise<ArchiveWritten> {
  const started = Date.now();
  const { seal, previous } = await sealOf(knex, month);
  const first = BigInt(seal.firstPosition);
  const last = BigInt(seal.lastPosition);
  const header: ArchiveHeader = {
    format: ARCHIVE_FORMAT,
    month,
    trail: await trailOf(knex),
    createdAt: new Date().toISOString(),
    canonicalVersion: CANONICAL_VERSION,
    columns: CANONICAL_COLUMNS,
    seal,
    previousSeal: previous,
    anchorHash: await anchorOf(knex, seal),
    checkpoints: (await listCheckpoints(knex)).filter((c) => BigInt(c.position) >= first && BigInt(c.position) <= last),
  };
  const gzip = createGzip({ level: 6 });
  const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
  const digest = createHash('sha256');
  let bytes = 0;
  gzip.on('data', (chunk: Buffer) => {
    digest.update(chunk);
    bytes += chunk.length;
  });
  gzip.pipe(out);
  gzip.write(`${JSON.stringify(header)}\n`);
  let events = 0;
  let pending = '';
  let failure: Error | undefined;
  await copyOut(knex, BULK_READ, archiveCopySql(month, seal), (chunk, pause) => {
    const f = copyFields(chunk);
    const other = f[21] === 't' ? '' : ',"o":1';
    const canon = f[2] === null ? null : canonicalFromCopy(f);
    // A link whose event is gone, or a value the streamed form cannot render: the archive would not verify; say so.
    if (canon === null)
      failure ??= new ArchiveRefused(`the event of position ${f[0]} cannot be archived (missing or not renderable): run hub audit verify`);
    pending += `{"p":${f[0]},"h":"${f[1]}","e":${canon ?? 'null'}${other}}\n`;
    if (!other) events++;
    if (pending.length >= 1 << 16) {
      const more = gzip.write(pending);
      pending = '';
      if (!more) gzip.once('drain', pause());
    }
  });
  gzip.end(pending);
  await finished(out);
  if (failure) throw failure;
  return { file, events, bytes, sha256: digest.digest('hex'), seal, ms: Date.now() - started };
}

/** The SHA-256 and size of a file, as recorded with the archive. */
export async function fileDigest(file: string): Promise<{ sha256: string; bytes: number }> {
  const digest = createHash('sha256');
  let bytes = 0;
  const stream = createReadStream(file);
  stream.on('data', (chunk: Buffer | string) => {
    digest.update(chunk);
    bytes += chunk.length;
  });
  await once(stream, 'end');
  return { sha256: digest.digest('hex'), bytes };
}
