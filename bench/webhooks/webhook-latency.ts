import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Agency } from '../../src/agency/agency.entity';
import { signToken } from '../../src/auth/token';
import { loadConfig } from '../../src/config';
import { Returnee } from '../../src/returnee/returnee.entity';
import { createServer } from '../../src/server';
import { StaffMember } from '../../src/staff/staff.entity';
import { enqueueWebhookEvents } from '../../src/webhooks/webhook-outbox';

/**
 * Webhook delivery latency at a steady rate, and what the outbox adds to a write.
 *
 * A hub (embedded PostgreSQL in a temporary directory, or DATABASE_URL) with one subscription
 * of an NGO agency to CONSENT_RECORDED, pointing at a receiver on loopback. RATE events per
 * second (default 100) for SECONDS (default 20), each in a transaction of its own through the
 * outbox API the features call, spread over RECORDS records (default 200). Latency: from the
 * transaction's commit to the receiver reading the request, p50 / p99 / max. Then the outbox's
 * cost per write: the time of a transaction announcing one event, with no subscriber for its
 * type (one statement) and with one (two statements), against an empty transaction.
 * Run: node -r ./test/support/ts-register.js bench/webhooks/webhook-latency.ts
 */
const RATE = Number(process.env.RATE ?? 100);
const SECONDS = Number(process.env.SECONDS ?? 20);
const RECORDS = Number(process.env.RECORDS ?? 200);
const SECRET = 'bench-secret-that-is-at-least-32-characters';

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'hub-bench-webhooks-'));
  const hub = await createServer(
    loadConfig({
      NODE_ENV: 'test',
      HUB_DATA_DIR: dataDir,
      ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
      HUB_JWT_SECRET: SECRET,
      PORT: '0',
      LOG_LEVEL: 'warn',
      HUB_WEBHOOK_ALLOWED_TARGETS: 'loopback',
    }),
  );
  const arrived = new Map<string, number>();
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      arrived.set(req.headers['webhook-id'] as string, performance.now());
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  try {
    const em = hub.db.orm.em.fork();
    const agency = new Agency(`bench-ngo-${randomUUID().slice(0, 8)}`, 'Bench NGO', 'NGO', 'KZ');
    const staff = new StaffMember(
      `bench-${randomUUID().slice(0, 8)}`,
      'Bench supervisor',
      em.getReference(Agency, agency.id, { wrapped: true }),
      ['SUPERVISOR'],
    );
    const records = Array.from({ length: RECORDS }, (_, i) => {
      const r = new Returnee({
        registeringAgency: em.getReference(Agency, agency.id, { wrapped: true }),
        country: 'KZ',
        caseNumber: `B-${i}-${randomUUID().slice(0, 8)}`,
        givenName: 'Bench',
        familyName: 'Record',
        sex: 'FEMALE',
        dateOfBirth: '1990-01-01',
      });
      return r;
    });
    await em.persist([agency, staff, ...records]).flush();
    const announce = async (returneeId: string, type: 'CONSENT_RECORDED' | 'CONSENT_REVOKED') => {
      const id = randomUUID();
      await hub.db.orm.em.fork().transactional((tx) => enqueueWebhookEvents(tx, [{ type, returneeId, subjectId: id }]));
      return performance.now();
    };
    const timed = async (n: number, fn: (i: number) => Promise<unknown>) => {
      const t: number[] = [];
      for (let i = 0; i < n; i++) {
        const s = performance.now();
        await fn(i);
        t.push(performance.now() - s);
      }
      return t.sort((a, b) => a - b);
    };

    // The outbox's cost per write, before any subscription exists, then with one.
    const empty = await timed(500, () => hub.db.orm.em.fork().transactional(async (tx) => tx.execute('select 1')));
    const none = await timed(500, (i) => announce(records[i % RECORDS].id, 'CONSENT_RECORDED'));
    const port = (receiver.address() as AddressInfo).port;
    const token = await signToken(SECRET, staff.username);
    const res = await fetch(`${hub.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: `mutation($input: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $input) { subscription { id } } }`,
        variables: { input: { url: `http://127.0.0.1:${port}/hooks`, eventTypes: ['CONSENT_RECORDED'] } },
      }),
    });
    const created = (await res.json()) as { errors?: unknown };
    if (created.errors) throw new Error(JSON.stringify(created.errors));
    // Events of a type nobody wants still cost one statement; of a wanted type, two.
    const subscribedOther = await timed(500, (i) => announce(records[i % RECORDS].id, 'CONSENT_REVOKED'));
    const wanted = await timed(500, (i) => announce(records[i % RECORDS].id, 'CONSENT_RECORDED'));
    const waitDrained = async () => {
      for (let i = 0; i < 600; i++) {
        const [{ n }] = await hub.db.orm.em
          .fork()
          .execute<{ n: number }[]>(`select count(*)::int as n from webhook_delivery where status = 'PENDING'`);
        if (n === 0) return;
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await waitDrained();
    arrived.clear();

    // Steady rate: one event every 1000/RATE ms, whatever the previous one's duration.
    const committed = new Map<string, number>();
    const total = RATE * SECONDS;
    const start = performance.now();
    const inflight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      inflight.push(
        (async () => {
          const subjectId = randomUUID();
          await hub.db.orm.em
            .fork()
            .transactional((tx) =>
              enqueueWebhookEvents(tx, [{ type: 'CONSENT_RECORDED', returneeId: records[i % RECORDS].id, subjectId }]),
            );
          committed.set(subjectId, performance.now());
        })(),
      );
    }
    await Promise.all(inflight);
    await waitDrained();
    const [{ pairs }] = await hub.db.orm.em
      .fork()
      .execute<{ pairs: [string, string][] }[]>(
        `select coalesce(json_agg(json_build_array(e.id, e.subject_id)), '[]') as pairs from webhook_event e where e.subject_id::text = any(?::text[])`,
        [`{${[...committed.keys()].join(',')}}`],
      );
    const latencies = pairs
      .filter(([id, subject]) => arrived.has(id) && committed.has(subject))
      .map(([id, subject]) => arrived.get(id)! - committed.get(subject)!)
      .sort((a, b) => a - b);
    const ms = (v: number) => Math.round(v * 10) / 10;
    const report = {
      rate: RATE,
      seconds: SECONDS,
      events: total,
      delivered: latencies.length,
      latencyMs: {
        p50: ms(pct(latencies, 50)),
        p90: ms(pct(latencies, 90)),
        p99: ms(pct(latencies, 99)),
        max: ms(latencies.at(-1) ?? NaN),
      },
      writeMs: {
        emptyTransaction: { p50: ms(pct(empty, 50)), p99: ms(pct(empty, 99)) },
        noSubscription: { p50: ms(pct(none, 50)), p99: ms(pct(none, 99)), statements: 1 },
        subscribedToOtherTypes: { p50: ms(pct(subscribedOther, 50)), p99: ms(pct(subscribedOther, 99)), statements: 1 },
        oneDelivery: { p50: ms(pct(wanted, 50)), p99: ms(pct(wanted, 99)), statements: 2 },
      },
      loadavg: os.loadavg().map((l) => Math.round(l * 100) / 100),
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    receiver.close();
    await hub.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
