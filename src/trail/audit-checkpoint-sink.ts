import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Knex } from '@mikro-orm/postgresql';
import type { Logger } from '../logger';
import type { CheckpointRecord } from './audit-checkpoint';
import type { AuditConfig } from './audit-config';

/**
 * Copies of every signed checkpoint outside the database, where someone who can rewrite the
 * database cannot reach them: an append-only JSON Lines file in the data directory (opened
 * with O_APPEND, fsync'd per line) and, optionally, a sink another party keeps: a directory
 * (one file per checkpoint, created exclusively) or an http(s) endpoint (POST, with a
 * timeout). A failed delivery is logged and counted, never thrown: signing and serving go on.
 *
 * Each copy names its trail, `<system identifier>/<database>`, so one file may serve several
 * databases (the test suites' data directory does) and verification reads only its own.
 * A database restored into another cluster is another trail for this check: pass the old
 * file with `hub audit verify --checkpoint FILE`, which checks lines of any trail.
 */
export interface KeptCheckpoint extends CheckpointRecord {
  trail: string;
}

export type SinkKind = 'file' | 'directory' | 'http';
export type DeliveryHook = (sink: SinkKind, ok: boolean) => void;

/** The trail's identity: the cluster's system identifier and the database's name (readable by any role). */
export async function trailOf(knex: Knex): Promise<string> {
  const {
    rows: [r],
  } = (await knex.raw(`select (select system_identifier::text from pg_control_system()) || '/' || current_database() as trail`)) as {
    rows: { trail: string }[];
  };
  return r.trail;
}

type SinkSettings = Pick<AuditConfig, 'checkpointFile' | 'checkpointSink' | 'checkpointSinkToken' | 'checkpointSinkTimeoutMs'>;

export class CheckpointPublisher {
  constructor(
    private readonly settings: SinkSettings,
    private readonly log: Logger,
    private readonly onDelivery?: DeliveryHook,
  ) {}

  /** Delivers to every configured copy at once; resolves when each has succeeded or failed. */
  async publish(cp: KeptCheckpoint): Promise<void> {
    const { checkpointFile: file, checkpointSink: sink } = this.settings;
    const deliveries: Promise<void>[] = [];
    if (file) deliveries.push(this.attempt('file', file, () => appendLine(file, cp)));
    if (sink?.kind === 'directory') deliveries.push(this.attempt('directory', sink.path, () => writeInDirectory(sink.path, cp)));
    if (sink?.kind === 'http') deliveries.push(this.attempt('http', sink.url, () => this.post(sink.url, cp)));
    await Promise.all(deliveries);
  }

  private async attempt(sink: SinkKind, where: string, deliver: () => Promise<void>): Promise<void> {
    try {
      await deliver();
      this.onDelivery?.(sink, true);
    } catch (err) {
      this.log.warn({ err, sink, where }, 'audit checkpoint could not be kept outside the database; it is stored in audit_checkpoint');
      this.onDelivery?.(sink, false);
    }
  }

  private async post(url: string, cp: KeptCheckpoint): Promise<void> {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.settings.checkpointSinkToken ? { authorization: `Bearer ${this.settings.checkpointSinkToken}` } : {}),
      },
      body: JSON.stringify(cp),
      signal: AbortSignal.timeout(this.settings.checkpointSinkTimeoutMs),
    });
    await res.body?.cancel();
    if (!res.ok) throw new Error(`the sink answered HTTP ${res.status}`);
  }
}

/** One line, one write(2) on an O_APPEND descriptor: concurrent writers on one host do not interleave lines. */
async function appendLine(file: string, cp: KeptCheckpoint): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const fh = await open(file, 'a', 0o644);
  try {
    await fh.write(`${JSON.stringify(cp)}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

const fileSafe = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_');

/** Names sort by trail, then position: `checkpoint-<trail>-<position, 20 digits>-<signed at>.json`. */
function fileNameOf(cp: KeptCheckpoint): string {
  return `checkpoint-${fileSafe(cp.trail)}-${cp.position.padStart(20, '0')}-${fileSafe(cp.signedAt)}.json`;
}

async function writeInDirectory(dir: string, cp: KeptCheckpoint): Promise<void> {
  await mkdir(dir, { recursive: true });
  const fh = await open(path.join(dir, fileNameOf(cp)), 'wx', 0o644); // never overwrites a kept copy
  try {
    await fh.write(`${JSON.stringify(cp, null, 2)}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  const d = await open(dir, 'r'); // the new name itself must survive a crash
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

/** What verification found in one kept copy: this trail's checkpoints, and how many lines were of other trails or unreadable. */
export interface KeptCopy {
  source: 'file' | 'directory';
  where: string;
  checkpoints: KeptCheckpoint[];
  otherTrails: number;
  unreadable: number;
}

/** Every checkpoint of `trail` in the configured file and sink directory (the ones that exist). */
export async function readKeptCheckpoints(settings: SinkSettings, trail: string): Promise<KeptCopy[]> {
  const copies: KeptCopy[] = [];
  if (settings.checkpointFile) {
    const copy = await readLines(settings.checkpointFile, trail);
    if (copy) copies.push(copy);
  }
  if (settings.checkpointSink?.kind === 'directory') {
    const copy = await readDirectory(settings.checkpointSink.path, trail);
    if (copy) copies.push(copy);
  }
  return copies;
}

function sort(copy: KeptCopy, record: unknown, trail: string): void {
  const cp = record as Partial<KeptCheckpoint> | null;
  if (!cp || typeof cp.position !== 'string' || typeof cp.hash !== 'string' || typeof cp.signature !== 'string') copy.unreadable++;
  else if (cp.trail !== trail) copy.otherTrails++;
  else copy.checkpoints.push(cp as KeptCheckpoint);
}

async function readLines(file: string, trail: string): Promise<KeptCopy | undefined> {
  const copy: KeptCopy = { source: 'file', where: file, checkpoints: [], otherTrails: 0, unreadable: 0 };
  try {
    const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
    for await (const line of lines) {
      if (line.trim() === '') continue;
      try {
        sort(copy, JSON.parse(line), trail);
      } catch {
        copy.unreadable++; // a torn last line after a crash: the others still count
      }
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return copy;
}

async function readDirectory(dir: string, trail: string): Promise<KeptCopy | undefined> {
  const copy: KeptCopy = { source: 'directory', where: dir, checkpoints: [], otherTrails: 0, unreadable: 0 };
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.startsWith('checkpoint-') && n.endsWith('.json')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  for (const name of names) {
    try {
      sort(copy, JSON.parse(await readFile(path.join(dir, name), 'utf8')), trail);
    } catch {
      copy.unreadable++;
    }
  }
  return copy;
}
