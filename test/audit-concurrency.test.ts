import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import pino from 'pino';
import { AuditRecorder } from '../src/audit/audit-recorder';
import { sealAll } from '../src/audit/audit-sealer';
import { verifyTrail } from '../src/audit/audit-verifier';
import { openOrm } from '../src/db/orm';
import type { HubServer } from '../src/server';
import { createScratchDb, type ScratchDb } from './support/audit-scratch-db';
import { makeReturnee, makeSectorUser, type StaffFixture } from './support/factories';
import { gql, startHub, TEST_JWT_SECRET } from './support/hub';

/**
 * Several hub processes on one database, each appending events and each running its own
 * sealer (no single writer): the trail they leave verifies, every event is chained exactly
 * once, and an event whose transaction commits after later ones were sealed still gets in.
 */
const CHILDREN = 2;
let db: ScratchDb;
let orm: MikroORM;
let local: HubServer | undefined;
const children: ChildProcess[] = [];

function startChild(): Promise<{ url: string; child: ChildProcess }> {
  const root = path.resolve(__dirname, '..');
  const child = spawn(process.execPath, ['-r', './test/support/ts-register.js', './test/support/hub-child.ts'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: db.url, HUB_JWT_SECRET: TEST_JWT_SECRET, PORT: '0', LOG_LEVEL: 'warn',
      HUB_AUDIT_SEAL_INTERVAL_MS: '200' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ url: (JSON.parse(line) as { url: string }).url, child });
    });
    child.once('exit', (code) => reject(new Error(`hub child exited with ${code} before it was ready`)));
  });
}

function stopChild(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

beforeAll(async () => {
  db = await createScratchDb('audit_conc');
});

afterAll(async () => {
  await Promise.all(children.map((c) => stopChild(c)));
  await local?.stop();
  await orm?.close(true);
  await db?.drop();
});

/**
 * Requests that each leave audit events: reads, lists, refused filters, updates that may conflict.
 * A fixed number per worker (not "for two seconds"), so a slow machine changes the time, not the test.
 */
async function drive(hubs: { url: string }[], user: StaffFixture, ids: string[], perWorker: number): Promise<number> {
  let requests = 0;
  const worker = async (w: number) => {
    for (let i = 0; i < perWorker; i++) {
      const hub = hubs[(w + i) % hubs.length];
      const id = ids[(w * 7 + i) % ids.length];
      const kind = i % 4;
      if (kind === 0) await gql(hub, user.token, 'query($id: ID!) { returnee(id: $id) { givenName region } }', { id });
      else if (kind === 1) await gql(hub, user.token, '{ returnees(first: 3) { nodes { id } } }');
      else if (kind === 2) await gql(hub, user.token, '{ returnees(first: 1, filter: { search: "Ai" }) { nodes { id } } }');
      else {
        const read = await gql(hub, user.token, 'query($id: ID!) { returnee(id: $id) { version } }', { id });
        await gql(hub, user.token, 'mutation($id: ID!, $v: Int!) { updateReturnee(id: $id, expectedVersion: $v, input: { district: "Alga" }) { returnee { id } } }',
          { id, v: read.data.returnee.version });
      }
      requests++;
    }
  };
  await Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));
  return requests;
}

it('several hub processes started at once leave a trail that verifies, every event chained once', async () => {
  // The children start together on an empty database: they race to migrate and to provision the app role.
  const children = await Promise.all(Array.from({ length: CHILDREN }, () => startChild()));
  // and this process is a third writer (and sealer)
  local = await startHub({ DATABASE_URL: db.url, HUB_AUDIT_SEAL_INTERVAL_MS: '200' });
  const hubs = [...children, local];
  orm = await openOrm(db.url);
  const user = await makeSectorUser(orm, 'SOCIAL');
  const ids = await Promise.all(Array.from({ length: 4 }, async () => (await makeReturnee(orm, user.agency)).id));
  const requests = await drive(hubs, user, ids, 12);
  expect(requests).toBe(8 * 12);
  expect(await Promise.all(children.map((h) => stopChild(h.child)))).toEqual(children.map(() => 0));
  await local.stop();

  const knex = orm.em.getConnection().getKnex();
  await sealAll(knex, { wait: true }); // in case the last to stop could not take its turn
  const report = await verifyTrail(knex, { trustedKeys: [], graceMs: 60_000 });
  const [counts] = await db.query(`select (select count(*) from audit_event)::int as events, (select count(*) from audit_chain)::int as links,
    (select max(position) from audit_chain)::int as head, (select count(distinct event_id) from audit_chain)::int as distinct_events`);
  expect(counts.events).toBeGreaterThan(requests);
  expect(counts).toEqual({ events: counts.events, links: counts.events, head: counts.events, distinct_events: counts.events });
  expect(report).toMatchObject({ intact: true, eventsChecked: counts.events, pendingEvents: 0, problems: [] });
});

it('chains an event whose transaction commits after later events were sealed', async () => {
  orm ??= await openOrm(db.url);
  const knex = orm.em.getConnection().getKnex();
  const recorder = new AuditRecorder(orm.em.fork(), pino({ level: 'silent' }));
  const scope = { requestId: '00000000-0000-4000-8000-000000000001', purpose: 'late commit test' };
  const entry = (operation: string) => ({ action: 'READ' as const, entityType: 'Probe', outcome: 'SUCCESS' as const, operation });

  let commit!: () => void;
  const held = new Promise<void>((resolve) => (commit = resolve));
  const late = orm.em.fork().transactional(async (tx) => {
    await recorder.inTransaction(tx, scope, [entry('late')]); // draws its id now, commits later
    await held;
  });
  await new Promise((r) => setTimeout(r, 50));
  await recorder.durably(scope, [entry('early-1'), entry('early-2')]);
  await sealAll(knex, { wait: true });
  await sealAll(knex, { wait: true });
  commit();
  await late;
  await sealAll(knex, { wait: true });

  const rows = await db.query(`select e.operation, e.id::int as id, c.position::int as position from audit_event e
    join audit_chain c on c.event_id = e.id where e.entity_type = 'Probe' order by e.id`);
  expect(rows.map((r) => r.operation)).toEqual(['late', 'early-1', 'early-2']); // id order
  expect(rows[0].position).toBeGreaterThan(rows[2].position); // chain order: the late one after
  expect(await verifyTrail(knex, { trustedKeys: [], graceMs: 60_000 })).toMatchObject({ intact: true, pendingEvents: 0 });
});
