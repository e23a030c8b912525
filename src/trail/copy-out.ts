import type { Knex } from '@mikro-orm/postgresql';

/**
 * `COPY (…) TO STDOUT` on one connection of a knex pool, without a dependency: a pg
 * "submittable" (the driver's own extension point for queries it does not know) that hands
 * each row's CopyData message (one row of COPY's text format, tab-separated, newline-ended)
 * to `onRow` as it arrives. Back-pressure is the socket's: `onRow` is synchronous, so the
 * driver reads no further while a row is being handled. One message per row, no per-field
 * objects: the cheapest way to read many rows through the pg driver.
 */
interface PgConnection {
  query(text: string): void;
  stream: { pause(): void; resume(): void };
}

/** Stops reading from the socket until the returned function is called (back-pressure for an asynchronous sink). */
export type Pause = () => () => void;

class CopyOut {
  callback?: (error: Error | null) => void;
  private error: Error | null = null;
  private pause: Pause = () => () => undefined;

  constructor(
    readonly text: string,
    private readonly onRow: (row: Buffer, pause: Pause) => void,
  ) {}

  submit(connection: PgConnection): void {
    this.pause = () => {
      connection.stream.pause();
      return () => connection.stream.resume();
    };
    connection.query(this.text);
  }

  handleCopyData(msg: { chunk: Buffer }): void {
    if (this.error) return;
    try {
      this.onRow(msg.chunk, this.pause);
    } catch (error) {
      this.error = error as Error;
    }
  }

  handleCommandComplete(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}

  /** The driver forgets the query on an error (no ReadyForQuery reaches it then): answer at once. */
  handleError(error: Error): void {
    this.error ??= error;
    this.finish();
  }

  handleReadyForQuery(): void {
    this.finish();
  }

  private finish(): void {
    const callback = this.callback;
    this.callback = undefined;
    callback?.(this.error);
  }
}

interface PgClient {
  query(submittable: CopyOut): unknown;
  query(text: string): Promise<unknown>;
}

/** Runs `statements` (e.g. `set local`), then the COPY, on one pooled connection inside one transaction. */
export async function copyOut(
  knex: Knex,
  before: readonly string[],
  copySql: string,
  onRow: (row: Buffer, pause: Pause) => void,
): Promise<void> {
  const client = knex.client as { acquireConnection(): Promise<PgClient>; releaseConnection(c: PgClient): Promise<void> };
  const conn = await client.acquireConnection();
  try {
    await conn.query('begin read only');
    try {
      for (const s of before) await conn.query(s);
      await copyOn(conn, copySql, onRow);
    } finally {
      await conn.query('rollback');
    }
  } finally {
    await client.releaseConnection(conn);
  }
}

function copyOn(conn: PgClient, copySql: string, onRow: (row: Buffer, pause: Pause) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const q = new CopyOut(copySql, onRow);
    q.callback = (error) => (error ? reject(error) : resolve());
    conn.query(q);
  });
}

/**
 * The COPY as one statement of the knex transaction `trx` (its own connection), for a reader
 * that must see what the transaction's earlier statements decided (the sealer). `onRow` gets
 * a view of the driver's buffer, valid only during the call.
 */
export async function copyOutIn(trx: Knex, copySql: string, onRow: (row: Buffer) => void): Promise<void> {
  const conn = await (trx.client as { acquireConnection(): Promise<PgClient> }).acquireConnection();
  await copyOn(conn, copySql, onRow);
}

/**
 * The session settings of a bulk read: no statement timeout (a month takes seconds to minutes,
 * the pools' timeouts are for requests), the timestamp text in ISO form, no JIT and no parallel
 * workers (months are read in parallel already, one connection each).
 */
export const BULK_READ = [
  'set local statement_timeout = 0',
  "set local datestyle = 'ISO, YMD'",
  'set local jit = off',
  'set local max_parallel_workers_per_gather = 0',
] as const;

/** COPY's text format: `\N` is null; `\\`, `\t`, `\n`, `\r`, `\b`, `\f`, `\v` are escapes (COPY TO writes no others). */
const UNESCAPE: Record<string, string> = { '\\': '\\', t: '\t', n: '\n', r: '\r', b: '\b', f: '\f', v: '\v' };

export function copyField(raw: string): string | null {
  if (raw === '\\N') return null;
  if (!raw.includes('\\')) return raw;
  return raw.replace(/\\(.)/g, (_, c: string) => UNESCAPE[c] ?? c);
}
