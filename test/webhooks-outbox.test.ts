import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { HubServer } from '../src/server';
import { createScratchDb, type ScratchDb } from './support/audit-scratch-db';
import { makeReturnee, makeSectorUser, makeStaff, type StaffFixture } from './support/factories';
import { gql, startHub, TEST_JWT_SECRET } from './support/hub';
import { readyUrl } from './support/ready-line';
import { WebhookReceiver } from './support/webhook-receiver';
import { announce, FAST_WEBHOOKS, subscribe } from './support/webhooks';
import type { OutboxEvent } from '../src/webhooks/webhook-outbox';

/**
 * The outbox and its dispatchers: retries until the receiver is back, each event once and in
 * order per record; several hub processes sharing the work without sending anything twice.
 */
let db: ScratchDb;
let hub: HubServer;
let ngo: StaffFixture;
let supervisor: StaffFixture;
const receivers: WebhookReceiver[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  db = await createScratchDb('webhooks_outbox');
  // This process only writes; the dispatchers under test run where each test says.
  hub = await startHub({ DATABASE_URL: db.url, ...FAST_WEBHOOKS, HUB_WEBHOOK_DISPATCH: '0' });
  ngo = await makeSectorUser(hub.db.orm, 'NGO', ['CASEWORKER']);
  supervisor = await makeStaff(hub.db.orm, ngo.agency, ['SUPERVISOR']);
}, 120_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const r of receivers) await r.close();
  await hub?.stop();
  await db?.drop();
});

function startChild(extra: Record<string, string> = {}): Promise<{ child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['-r', './test/support/ts-register.js', './test/support/hub-child.ts'], {
    cwd: path.resolve(__dirname, '..'),
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      HUB_JWT_SECRET: TEST_JWT_SECRET,
      PORT: '0',
      LOG_LEVEL: 'warn',
      ...FAST_WEBHOOKS,
      ...extra,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (readyUrl(out)) resolve({ child, stop });
    });
    child.once('exit', (code) => reject(new Error(`hub child exited with ${code} before it was ready`)));
  });
}

/** `perRecord` consent events on each of `records` fresh records, interleaved across records, each in a transaction of its own. */
async function announceMany(records: number, perRecord: number): Promise<Map<string, string[]>> {
  const ids = await Promise.all(Array.from({ length: records }, () => makeReturnee(hub.db.orm, ngo.agency).then((r) => r.id)));
  const expected = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (let i = 0; i < perRecord; i++) {
    await Promise.all(
      ids.map(async (returneeId) => {
        const subjectId = crypto.randomUUID();
        expected.get(returneeId)!.push(subjectId);
        const event: OutboxEvent = { type: i % 2 === 0 ? 'CONSENT_RECORDED' : 'CONSENT_REVOKED', returneeId, subjectId };
        await announce(hub.db.orm, [event]);
      }),
    );
  }
  return expected;
}

/** Every event exactly once, and per record in the order announced. */
function expectOnceInOrder(r: WebhookReceiver, expected: Map<string, string[]>): void {
  const events = r.events();
  const ids = events.map((e) => e.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const [returneeId, subjects] of expected) {
    expect(events.filter((e) => e.data.returneeId === returneeId).map((e) => e.data.subject.id)).toEqual(subjects);
  }
}

it('retries while the receiver is down; once it is up it gets every event once, in order per record', async () => {
  const r = await new WebhookReceiver().open();
  receivers.push(r);
  await subscribe(hub, supervisor.token, r.url, ['CONSENT_RECORDED', 'CONSENT_REVOKED']);
  await r.close(); // down: connections refused
  const dispatcher = await startChild();
  const expected = await announceMany(4, 5);
  // The dispatcher tries, fails and backs off; nothing can arrive.
  const attempts = async () => (await db.query(`select count(*)::int as n from webhook_attempt where error = 'connection_refused'`))[0].n;
  const deadline = Date.now() + 20_000;
  while ((await attempts()) < 4 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
  expect(await attempts()).toBeGreaterThanOrEqual(4);
  r.mode = 'fail'; // up, but answering 503 for a while: still retried
  await r.open();
  await r.until(() => r.received.length >= 3, 'a few 503 answers');
  r.received.length = 0;
  r.mode = 'ok';
  await r.until(() => r.received.length >= 20, 'all 20 events');
  await new Promise((res) => setTimeout(res, 300));
  expectOnceInOrder(r, expected);
  const pending = await db.query(`select count(*)::int as n from webhook_delivery where status = 'PENDING'`);
  expect(pending[0].n).toBe(0);
  await dispatcher.stop();
}, 120_000);

it('two hub processes deliver each event once, in order per record', async () => {
  const r = await new WebhookReceiver().open();
  receivers.push(r);
  await subscribe(hub, supervisor.token, r.url, ['CONSENT_RECORDED', 'CONSENT_REVOKED']);
  const [a, b] = await Promise.all([startChild({ HUB_WEBHOOK_CONCURRENCY: '4' }), startChild({ HUB_WEBHOOK_CONCURRENCY: '4' })]);
  const expected = await announceMany(10, 6);
  await r.until(() => r.received.length >= 60, 'all 60 events', 60_000);
  await new Promise((res) => setTimeout(res, 500));
  expectOnceInOrder(r, expected);
  expect(r.received).toHaveLength(60);
  const sent = await db.query(
    `select count(*)::int as n from webhook_attempt a join webhook_delivery d on d.id = a.delivery_id
     join webhook_subscription s on s.id = d.subscription_id where s.url = $1`,
    [r.url],
  );
  expect(sent[0].n).toBe(60);
  await Promise.all([a.stop(), b.stop()]);
}, 180_000);

it('shows the outbox on /metrics', async () => {
  const res = await fetch(`${hub.url}/metrics`);
  const text = await res.text();
  expect(text).toMatch(/^hub_webhook_deliveries_pending \d+$/m);
  expect(text).toMatch(/^hub_webhook_oldest_pending_age_seconds [\d.e+-]+$/m);
  expect(text).toContain('hub_webhook_delivery_failures_total');
  void gql;
});
