import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from '../audit/bench-db';
import pino from 'pino';
import { hubRoleNames } from '../../src/db/app-role';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded';
import { installBenchSql } from './bench-sql';
import { freePort } from '../../src/db/free-port';

/**
 * The bench's own database, seeded by `hub seed` from the compiled CLI: on the server named by
 * BENCH_DATABASE_URL or DATABASE_URL (a scratch database `hub_bench_<pid>`, dropped at the
 * end with its app role), else on an embedded PostgreSQL in a temporary folder (removed at the
 * end), so a clean clone needs nothing started by hand.
 */
export interface BenchDatabase {
  /** The owner's URL of the seeded database. */
  url: string;
  where: string;
  /** For the hub processes: HUB_DATA_DIR (signing key) of this run. */
  dataDir: string;
  caseworker: { username: string; staffId: string; agencyId: string };
  /** Records in the caseworker's scope (read and update), in case-number order. */
  ids: string[];
  close(): Promise<void>;
}

export const BENCH_JWT_SECRET = 'bench-jwt-secret-that-is-at-least-32-characters';
export const CASEWORKER = 'kz-health-caseworker';

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function seed(root: string, url: string, dataDir: string, returnees: number, seedValue: number): Promise<string> {
  const env = {
    ...process.env,
    DATABASE_URL: url,
    HUB_JWT_SECRET: BENCH_JWT_SECRET,
    HUB_DATA_DIR: dataDir,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
  };
  const child = spawn(process.execPath, ['dist/src/cli.js', 'seed', '--returnees', String(returnees), '--seed', String(seedValue)], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`hub seed failed (exit ${code}):\n${out}`);
  return out.split('\n')[0];
}

export async function openBenchDatabase(
  root: string,
  returnees: number,
  seedValue: number,
  say: (line: string) => void,
): Promise<BenchDatabase> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'hub-bench-'));
  await chmod(dataDir, 0o755); // under root, the postgres user must reach the embedded cluster
  const server = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL;
  let embedded: EmbeddedDatabase | undefined;
  let url: string;
  let drop: (() => Promise<void>) | undefined;
  if (server) {
    const database = `hub_bench_${process.pid}`;
    await sql(server, `drop database if exists ${database} with (force)`);
    await sql(server, `create database ${database}`);
    url = withDatabase(server, database);
    drop = async () => {
      await sql(server, `drop database if exists ${database} with (force)`);
      for (const role of hubRoleNames(database)) await sql(server, `drop role if exists ${role}`);
    };
  } else {
    // run.ts handles Ctrl-C itself: stops the contenders, then this database (close below).
    embedded = await startEmbeddedPostgres({
      dataDir,
      port: await freePort(),
      log: pino({ level: 'silent' }),
      pgDataDir: path.join(dataDir, 'pg'),
      stopOnSignal: false,
    });
    url = embedded.url;
  }
  const close = async () => {
    await drop?.().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const where = embedded ? `embedded PostgreSQL in ${dataDir}` : `${new URL(url).host}${new URL(url).pathname}`;
    say(`database: ${where}; seeding ${returnees} returnees`);
    say(await seed(root, url, dataDir, returnees, seedValue));
    await sql(url, 'vacuum analyze'); // a freshly bulk-loaded database: give every contender the same statistics
    await installBenchSql(url);
    const [who] = await sql<{ staff_id: string; agency_id: string }>(
      url,
      'select s.id as staff_id, s.agency_id from staff_member s where s.username = $1',
      [CASEWORKER],
    );
    const ids = (await sql<{ id: string }>(url, 'select id from bench.caseworker_returnees($1)', [who.agency_id])).map((r) => r.id);
    return { url, where, dataDir, caseworker: { username: CASEWORKER, staffId: who.staff_id, agencyId: who.agency_id }, ids, close };
  } catch (error) {
    await close();
    throw error;
  }
}
