import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { appRoleName } from '../src/db/app-role';
import { openOrm } from '../src/db/orm';
import { createScratchDb, type ScratchDb } from './support/audit-scratch-db';
import { stoppablePostgres } from './support/embedded-pg';
import { makeReturnee, makeSectorUser } from './support/factories';
import { gql } from './support/hub';
import { freePort } from '../src/db/free-port';
import { spawnHub, type HubProcess } from './support/hub-process';

/**
 * Graceful shutdown of the real entry point (`src/main.ts`): on SIGTERM the hub stops
 * accepting connections, lets the request in flight finish with its audit events, seals them,
 * closes the database (and stops an embedded PostgreSQL) and exits 0 within its bound.
 * The request is held in flight by a row lock this suite takes, and released after SIGTERM.
 */
const UPDATE =
  'mutation($id: ID!) { updateReturnee(id: $id, expectedVersion: 1, input: { district: "Shalqar" }) { returnee { id version district } } }';
const EXIT_BOUND_MS = 25_000; // main.ts exits 1 after 20 s; anything past that is a hang

function refusesConnections(url: string): Promise<boolean> {
  const { port, hostname } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

async function waitFor(what: string, check: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

interface Figures {
  mode: string;
  sigtermToExitMs: number;
  exitCode: number | null;
  inFlightCompleted: boolean;
}
const figures: Figures[] = [];
afterAll(() => console.log(`shutdown figures: ${JSON.stringify(figures)}`));

/** Runs the scenario against a started hub whose database the owner reaches at `ownerUrl`. */
async function drainScenario(mode: string, hub: HubProcess, ownerUrl: string): Promise<Client> {
  const orm: MikroORM = await openOrm(ownerUrl, { pool: { min: 0, max: 2 } });
  const user = await makeSectorUser(orm, 'SOCIAL');
  const r = await makeReturnee(orm, user.agency);
  await orm.close(true);

  const owner = new Client({ connectionString: ownerUrl });
  owner.on('error', () => undefined); // an embedded PostgreSQL ends this session when the hub stops it
  await owner.connect();
  const blocker = new Client({ connectionString: ownerUrl });
  blocker.on('error', () => undefined); // a failure shows as the commit below failing
  await blocker.connect();
  await blocker.query('begin');
  await blocker.query('select 1 from returnee where id = $1 for update', [r.id]);
  const requestId = randomUUID();
  const inFlight = gql({ url: hub.url }, user.token, UPDATE, { id: r.id }, { 'x-request-id': requestId });
  await waitFor(
    'the update to wait on the row lock',
    async () =>
      (
        await owner.query(
          `select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query like 'update "returnee"%'`,
        )
      ).rowCount! > 0,
  );

  const signalled = Date.now();
  hub.child.kill('SIGTERM');
  await waitFor('"shutting down" in the log', () => hub.logLines().some((l) => String(l.msg).startsWith('shutting down')));
  await waitFor('the listener to close', () => refusesConnections(hub.url));
  expect(hub.child.exitCode).toBeNull(); // still finishing the request

  await blocker.query('commit');
  await blocker.end();
  const res = await inFlight;
  expect(res.errors).toBeUndefined();
  expect(res.data.updateReturnee.returnee).toEqual({ id: r.id, version: 2, district: 'Shalqar' });

  const code = await Promise.race([hub.exited, new Promise<'hang'>((resolve) => setTimeout(() => resolve('hang'), EXIT_BOUND_MS).unref())]);
  expect(code).toBe(0);
  figures.push({ mode, sigtermToExitMs: Date.now() - signalled, exitCode: code as number, inFlightCompleted: true });
  expect(hub.logLines().some((l) => l.msg === 'shut down')).toBe(true);
  return owner;
}

async function expectAuditedAndSealed(owner: Client, staffEvents: () => Promise<{ action: string; outcome: string }[]>) {
  const events = await staffEvents();
  expect(events.map((e) => [e.action, e.outcome])).toEqual([
    ['UPDATE', 'SUCCESS'],
    ['READ', 'SUCCESS'],
  ]);
  // the hub sealed what it wrote before it closed the database
  const {
    rows: [{ unsealed }],
  } = await owner.query(
    'select count(*)::int as unsealed from audit_event e where not exists (select 1 from audit_chain c where c.event_id = e.id)',
  );
  expect(unsealed).toBe(0);
}

describe('SIGTERM', () => {
  let db: ScratchDb;
  afterAll(() => db?.drop());

  it('with DATABASE_URL: finishes the request in flight, audits and seals it, closes its connections, exits 0', async () => {
    db = await createScratchDb('shutdown');
    const hub = await spawnHub({ DATABASE_URL: db.url });
    const owner = await drainScenario('DATABASE_URL', hub, db.url);
    try {
      await expectAuditedAndSealed(
        owner,
        async () => (await owner.query(`select action, outcome from audit_event where operation = 'updateReturnee' order by id`)).rows,
      );
      const {
        rows: [{ n }],
      } = await owner.query('select count(*)::int as n from pg_stat_activity where usename = $1', [appRoleName(db.name)]);
      expect(n).toBe(0);
    } finally {
      await owner.end();
    }
  }, 120_000);

  it('embedded: the same, and its PostgreSQL is stopped last (not at the signal)', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'hub-shutdown-'));
    await chmod(dataDir, 0o755); // under root the postgres user must reach it
    const pgPort = await freePort();
    try {
      const hub = await spawnHub({ DATABASE_URL: '', HUB_DATA_DIR: dataDir, HUB_EMBEDDED_PG_PORT: String(pgPort) });
      const { dbPassword } = JSON.parse(await readFile(path.join(dataDir, 'secrets.json'), 'utf8')) as { dbPassword: string };
      const ownerUrl = `postgresql://postgres:${encodeURIComponent(dbPassword)}@127.0.0.1:${pgPort}/hub`;
      const owner = await drainScenario('embedded', hub, ownerUrl).catch(async (error: unknown) => {
        await hub.stop('SIGKILL');
        throw error;
      });
      await owner.end().catch(() => undefined); // its PostgreSQL is gone: the session ended with it
      expect(await refusesConnections(`http://127.0.0.1:${pgPort}`)).toBe(true);
      // Start the cluster again on its own to read what the hub left.
      const pg = await stoppablePostgres({ dataDir, port: pgPort });
      const reader = new Client({ connectionString: ownerUrl });
      await reader.connect();
      try {
        await expectAuditedAndSealed(
          reader,
          async () => (await reader.query(`select action, outcome from audit_event where operation = 'updateReturnee' order by id`)).rows,
        );
      } finally {
        await reader.end();
        await pg.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
