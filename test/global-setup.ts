import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import pino from 'pino';
import { hubRoleNames } from '../src/db/app-role';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded';
import { migrate, openOrm } from '../src/db/orm';
import { freePort } from '../src/db/free-port';

/**
 * One real PostgreSQL for the whole jest run, migrated once (as immich's medium tests do):
 * - with DATABASE_URL set (CI's second pass, deployments): a fresh database on that server,
 *   dropped afterwards, so runs never see each other's rows;
 * - otherwise an embedded PostgreSQL in a throwaway data directory on a free port.
 * Suites find it in HUB_TEST_DATABASE_URL and create their own agencies (no truncation).
 */
interface SetupState {
  embedded?: EmbeddedDatabase;
  dataDir?: string;
  adminUrl?: string;
  database?: string;
}

declare global {
  // eslint-disable-next-line no-var
  var __HUB_TEST__: SetupState | undefined;
}

export default async function globalSetup(): Promise<void> {
  const state: SetupState = {};
  let url: string;
  if (process.env.DATABASE_URL) {
    const database = `hub_test_${Date.now()}_${process.pid}`;
    const admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`create database ${database}`);
    await admin.end();
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = `/${database}`;
    url = u.toString();
    Object.assign(state, { adminUrl: process.env.DATABASE_URL, database });
  } else {
    // Under root the postgres user must traverse every parent: the system temp folder is safe.
    state.dataDir = await mkdtemp(path.join(os.tmpdir(), 'hub-test-'));
    await import('node:fs/promises').then((fs) => fs.chmod(state.dataDir!, 0o755));
    const log = pino({ level: 'silent' });
    state.embedded = await startEmbeddedPostgres({ dataDir: state.dataDir, port: await freePort(), log });
    url = state.embedded.url;
  }
  const orm = await openOrm(url);
  await migrate(orm);
  await orm.close(true);
  process.env.HUB_TEST_DATABASE_URL = url;
  globalThis.__HUB_TEST__ = state;
}

export async function teardownTestDatabase(): Promise<void> {
  const state = globalThis.__HUB_TEST__;
  if (!state) return;
  if (state.embedded) await state.embedded.stop();
  if (state.dataDir) await rm(state.dataDir, { recursive: true, force: true });
  if (state.adminUrl && state.database) {
    const admin = new Client({ connectionString: state.adminUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${state.database} with (force)`);
    // The hub provisioned login roles for this database (src/db/app-role.ts); roles outlive databases.
    for (const role of hubRoleNames(state.database)) await admin.query(`drop role if exists ${role}`);
    await admin.end();
  }
}
