import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { ACTOR_LISTENER } from '../src/auth/actor-cache';
import { openOrm } from '../src/db/orm';
import { createScratchDb, type ScratchDb } from './support/audit-scratch-db';
import { makeSectorUser, type StaffFixture } from './support/factories';
import { errorCode, gql, TEST_JWT_SECRET } from './support/hub';
import { readyUrl } from './support/ready-line';

/**
 * Each hub process caches who a token names (src/auth/actor-cache.ts) and drops the cache when
 * PostgreSQL tells it that staff or agencies changed. Two hub processes on one database: a
 * deactivation made through one is refused on the next request in both, and a process whose
 * listening connection was lost (and so may have missed a change) starts over from the database.
 */
// Answered from the actor alone (its ability), without reading the staff member again.
const ME = '{ returnees(first: 1) { totalCount } }';

describe('the actor cache across hub processes', () => {
  let db: ScratchDb;
  let orm: MikroORM | undefined;
  const children: ChildProcess[] = [];
  let hubs: { url: string }[] = [];

  function startChild(): Promise<{ url: string }> {
    const child = spawn(process.execPath, ['-r', './test/support/ts-register.js', './test/support/hub-child.ts'], {
      cwd: path.resolve(__dirname, '..'),
      env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: db.url, HUB_JWT_SECRET: TEST_JWT_SECRET, PORT: '0', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    return new Promise((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const url = readyUrl(out);
        if (url) resolve({ url });
      });
      child.once('exit', (code) => reject(new Error(`hub child exited with ${code} before it was ready`)));
    });
  }

  function stopChild(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  beforeAll(async () => {
    db = await createScratchDb('actor_cache');
    hubs = [await startChild()]; // the first migrates; then the second
    hubs.push(await startChild());
    orm = await openOrm(db.url);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(children.map((c) => stopChild(c)));
    await orm?.close(true);
    await db?.drop();
  }, 60_000);

  /** A change the triggers do not see, as if its notification were lost on the way. */
  async function unheardActive(user: StaffFixture, active: boolean): Promise<void> {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query('begin');
      await client.query('set local session_replication_role = replica'); // ordinary triggers do not fire
      await client.query('update staff_member set active = $1 where id = $2', [active, user.staff.id]);
      await client.query('commit');
    } finally {
      await client.end();
    }
  }

  async function listeners(): Promise<number[]> {
    const rows = await db.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1 and datname = $2', [
      ACTOR_LISTENER,
      db.name,
    ]);
    return rows.map((r) => r.pid).sort();
  }

  const codes = async (token: string) => Promise.all(hubs.map(async (hub) => errorCode(await gql(hub, token, ME)) ?? 'OK'));
  /**
   * After creating staff (whose triggers notify every process): lets those notifications arrive
   * before a request fills the cache, or one arriving late empties it again and the next request
   * reads the database (the refusal a test of the cache would take for a cache miss). The hubs
   * are child processes: there is no in-process sync() to wait on.
   */
  const heard = () => new Promise((r) => setTimeout(r, 1_000));

  it('serves a known actor without asking the database, and a deactivation made through one process is refused by both on the next request', async () => {
    const admin = await makeSectorUser(orm!, 'ADMINISTRATION', ['ADMIN']);
    const user = await makeSectorUser(orm!, 'SOCIAL');
    await heard();
    await codes(admin.token);
    expect(await codes(user.token)).toEqual(['OK', 'OK']);

    // Deactivated behind the triggers' back: both processes still serve it from their cache
    // (without the cache, each request reads the staff member and would refuse it).
    await unheardActive(user, false);
    expect(await codes(user.token)).toEqual(['OK', 'OK']);
    await unheardActive(user, true);

    // Through the API on the first process: the next request is refused on both.
    const off = await gql(hubs[0], admin.token, 'mutation($id: ID!) { deactivateStaffMember(id: $id) { active } }', { id: user.staff.id });
    expect(off.errors).toBeUndefined();
    expect(await codes(user.token)).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED']);

    // Back on by hand in SQL (the triggers notify): served again on the next request.
    await db.query('update staff_member set active = true, deactivated_at = null where id = $1', [user.staff.id]);
    expect(await codes(user.token)).toEqual(['OK', 'OK']);
  }, 60_000);

  it('starts over from the database when its listening connection is lost, since a change may have gone unheard', async () => {
    const user = await makeSectorUser(orm!, 'SOCIAL');
    await heard();
    expect(await codes(user.token)).toEqual(['OK', 'OK']);
    const before = await listeners();
    expect(before).toHaveLength(2);

    // A deactivation whose notification never arrives, then the listening connections drop.
    await unheardActive(user, false);
    expect(await codes(user.token)).toEqual(['OK', 'OK']);
    await db.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and datname = $2', [
      ACTOR_LISTENER,
      db.name,
    ]);
    // Each process listens again on a new connection (retry after 1 s)...
    const deadline = Date.now() + 20_000;
    let after = await listeners();
    while ((after.length < 2 || after.some((pid) => before.includes(pid))) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      after = await listeners();
    }
    expect(after).toHaveLength(2);
    // ...with an empty cache: the deactivation it never heard of takes effect.
    expect(await codes(user.token)).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED']);
  }, 60_000);
});
