import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { sealAll } from '../src/trail/audit-sealer';
import { verifyTrail } from '../src/trail/audit-verifier';
import { openOrm } from '../src/db/orm';
import { isDatabaseUnavailable } from '../src/db/unavailable';
import { conflict } from '../src/errors';
import { makeReturnee, makeSectorUser, type StaffFixture } from './support/factories';
import { gql, type GqlResponse } from './support/hub';
import { stoppablePostgres, type StoppablePostgres } from './support/embedded-pg';
import { spawnHub, type HubProcess } from './support/hub-process';
import { hubPublicKey } from './support/audit';

/**
 * The database stops under load and comes back. A PostgreSQL of this suite's own (embedded,
 * throwaway data directory, free port; in either CI mode) serves a hub process started as
 * `npm start` does. Readers and writers keep going while it is stopped for a few seconds and
 * restarted. Then: every request answered data or a coded error (SERVICE_UNAVAILABLE, HTTP
 * 503), /healthz said 503 while it was down, the same process served again on its own, every
 * read that returned data has its audit events, and no write is half-applied (version, history
 * and audit agree for every record; writes retried with their Idempotency-Key applied once).
 */
const READERS = 4;
const WRITERS = 2;
const OUTAGE_MS = 3000;

let pg: StoppablePostgres;
let hub: HubProcess;
let orm: MikroORM;
let user: StaffFixture;
let readIds: string[];
let writeIds: string[];

beforeAll(async () => {
  pg = await stoppablePostgres();
  hub = await spawnHub({ DATABASE_URL: pg.url, HUB_AUDIT_SEAL_INTERVAL_MS: '200' });
  orm = await openOrm(pg.url, { pool: { min: 0, max: 2 } });
  user = await makeSectorUser(orm, 'SOCIAL');
  readIds = await Promise.all(Array.from({ length: 4 }, async () => (await makeReturnee(orm, user.agency)).id));
  writeIds = await Promise.all(Array.from({ length: WRITERS }, async () => (await makeReturnee(orm, user.agency)).id));
  await orm.close(true); // this suite's own pool must not outlive the outage either
}, 120_000);

afterAll(async () => {
  await hub?.stop();
  await pg?.destroy();
});

/** `stopping`: sent while PostgreSQL was shutting down; `after`: sent once it was starting again. */
type Phase = 'before' | 'stopping' | 'down' | 'after';
interface Outcome {
  kind: 'read' | 'write';
  requestId: string;
  phase: Phase;
  status: number;
  code?: string;
  data: boolean;
  ms: number;
  returneeId: string;
  key?: string;
}

const READ = 'query($id: ID!) { returnee(id: $id) { id givenName version } }';
const UPDATE =
  'mutation($id: ID!, $v: Int!, $d: String) { updateReturnee(id: $id, expectedVersion: $v, input: { district: $d }) { returnee { id version } } }';

async function query(
  phaseOf: () => Phase,
  kind: Outcome['kind'],
  returneeId: string,
  doc: string,
  vars: Record<string, unknown>,
  key?: string,
) {
  const phase = phaseOf();
  const started = Date.now();
  let res: GqlResponse;
  try {
    res = await gql({ url: hub.url }, user.token, doc, vars, key ? { 'idempotency-key': key } : {});
  } catch (error) {
    throw new Error(`the hub did not answer over HTTP (${(error as Error).message})`);
  }
  const requestId = res.headers.get('x-request-id')!; // the hub's id: what its audit events carry
  const outcome: Outcome = {
    kind,
    requestId,
    phase,
    status: res.status,
    code: res.errors?.[0]?.extensions?.code,
    returneeId,
    key,
    data: res.errors === undefined && res.data != null,
    ms: Date.now() - started,
  };
  return { outcome, res };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('fails fast with SERVICE_UNAVAILABLE while PostgreSQL is down, serves again when it returns, and loses no audit event or write', async () => {
  let phase: Phase = 'before';
  let running = true;
  const outcomes: Outcome[] = [];
  const health: { phase: Phase; status: number }[] = [];
  let applied = 0; // writes whose final answer was success (first effect or replay)

  const reader = async (w: number) => {
    for (let i = 0; running; i++) {
      const id = readIds[(w + i) % readIds.length];
      const { outcome } = await query(() => phase, 'read', id, READ, { id });
      outcomes.push(outcome);
      if (outcome.code === 'SERVICE_UNAVAILABLE') await sleep(50); // a polite client backs off
    }
  };
  const writer = async (w: number) => {
    const id = writeIds[w];
    for (let n = 0; running; n++) {
      let version: number | undefined;
      while (version === undefined && running) {
        const { outcome, res } = await query(() => phase, 'read', id, READ, { id });
        outcomes.push(outcome);
        if (outcome.data) version = res.data.returnee.version as number;
        else await sleep(100);
      }
      if (version === undefined) break;
      // One intended change, one key: retried with the same key until it gets an answer other than 503.
      const key = randomUUID();
      for (;;) {
        const { outcome } = await query(() => phase, 'write', id, UPDATE, { id, v: version, d: `W${w}-${n}` }, key);
        outcomes.push(outcome);
        if (outcome.code !== 'SERVICE_UNAVAILABLE') {
          if (outcome.data) applied++;
          break;
        }
        await sleep(100);
      }
    }
  };
  const healthProbe = async () => {
    while (running) {
      const status = await fetch(`${hub.url}/healthz`).then(
        (r) => r.status,
        () => 0,
      );
      health.push({ phase, status });
      await sleep(100);
    }
  };

  const load = [
    ...Array.from({ length: READERS }, (_, w) => reader(w)),
    ...Array.from({ length: WRITERS }, (_, w) => writer(w)),
    healthProbe(),
  ];
  await sleep(2500);
  phase = 'stopping';
  await pg.stop();
  phase = 'down';
  const downAt = Date.now();
  await sleep(OUTAGE_MS);
  phase = 'after'; // from here on, requests may meet the database starting up: counted as "after"
  await pg.start();
  const outageMs = Date.now() - downAt;
  const upAt = Date.now();
  let recoveredMs = -1;
  for (let i = 0; i < 600 && recoveredMs < 0; i++) {
    const back = outcomes.find((o) => o.kind === 'read' && o.phase === 'after' && o.data);
    if (back) recoveredMs = Date.now() - upAt;
    else await sleep(50);
  }
  await sleep(2500);
  running = false;
  await Promise.all(load);

  // The same process kept running and serves.
  expect(hub.child.exitCode).toBeNull();
  expect(recoveredMs).toBeGreaterThanOrEqual(0);
  const health200 = await fetch(`${hub.url}/healthz`);
  expect(health200.status).toBe(200);

  // Every answer is data or a coded error; while the database was down, every one is SERVICE_UNAVAILABLE / 503.
  const unexpected = [...new Set(outcomes.filter((o) => !o.data).map((o) => o.code))].filter((c) => c !== 'SERVICE_UNAVAILABLE');
  const hubErrors = unexpected.length
    ? hub
        .logLines()
        .filter((l) => l.msg === 'request failed')
        .map((l) => l.err)
    : [];
  expect({ unexpected, hubErrors }).toEqual({ unexpected: [], hubErrors: [] });
  const down = outcomes.filter((o) => o.phase === 'down');
  expect(down.length).toBeGreaterThan(0);
  expect(down.filter((o) => o.data)).toEqual([]);
  expect(new Set(down.map((o) => `${o.status} ${o.code}`))).toEqual(new Set(['503 SERVICE_UNAVAILABLE']));
  expect(health.some((h) => h.phase === 'down' && h.status === 503)).toBe(true);
  expect(health.filter((h) => h.phase === 'before').every((h) => h.status === 200)).toBe(true);

  const db = new Client({ connectionString: pg.url });
  await db.connect();
  try {
    // Every read that returned data has its READ event, by request id.
    const reads = outcomes.filter((o) => o.kind === 'read' && o.data);
    const { rows: readEvents } = await db.query<{ request_id: string; returnee_id: string }>(
      `select request_id::text, returnee_id::text from audit_event where action = 'READ' and outcome = 'SUCCESS' and request_id = any($1::uuid[])`,
      [reads.map((o) => o.requestId)],
    );
    const audited = new Set(readEvents.map((e) => `${e.request_id} ${e.returnee_id}`));
    const unaudited = reads.filter((o) => !audited.has(`${o.requestId} ${o.returneeId}`));
    expect(unaudited).toEqual([]);

    // No write is half-applied: for every record, version - 1 = revisions kept = UPDATE events,
    // and every write answered with data is among them (a replay names the write it repeats).
    const { rows: records } = await db.query<{ id: string; version: number; revisions: number; updates: number }>(
      `select r.id::text, r.version,
         (select count(*)::int from returnee_revision v where v.returnee_id = r.id) as revisions,
         (select count(*)::int from audit_event e where e.returnee_id = r.id and e.action = 'UPDATE' and e.outcome = 'SUCCESS') as updates
       from returnee r where r.id = any($1::uuid[])`,
      [writeIds],
    );
    for (const r of records)
      expect({ id: r.id, revisions: r.revisions, updates: r.updates }).toEqual({
        id: r.id,
        revisions: r.version - 1,
        updates: r.version - 1,
      });
    const totalUpdates = records.reduce((n, r) => n + r.updates, 0);
    expect(totalUpdates).toBe(applied);
    const writesOk = outcomes.filter((o) => o.kind === 'write' && o.data);
    const { rows: writeEvents } = await db.query<{ request_id: string; outcome: string; reason: string | null }>(
      `select request_id::text, outcome, reason from audit_event where request_id = any($1::uuid[]) and (action = 'UPDATE' or outcome = 'REPLAYED')`,
      [writesOk.map((o) => o.requestId)],
    );
    expect(new Set(writeEvents.map((e) => e.request_id))).toEqual(new Set(writesOk.map((o) => o.requestId)));

    const knexOrm = await openOrm(pg.url, { pool: { min: 0, max: 1 } });
    try {
      const knex = knexOrm.em.getConnection().getKnex();
      await sealAll(knex, { wait: true });
      expect(await verifyTrail(knex, { trustedKeys: [await hubPublicKey()], graceMs: 60_000 })).toMatchObject({
        intact: true,
        pendingEvents: 0,
        problems: [],
      });
    } finally {
      await knexOrm.close(true);
    }

    const failed = outcomes.filter((o) => o.code === 'SERVICE_UNAVAILABLE');
    const p50 = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const sorted = failed.map((o) => o.ms).sort((a, b) => a - b);
    console.log(
      `db-outage figures: ${JSON.stringify({
        outageMs,
        recoveredAfterRestartMs: recoveredMs,
        requests: outcomes.length,
        readsWithData: reads.length,
        readEventsFound: reads.length - unaudited.length,
        readsDuringOutage: down.filter((o) => o.kind === 'read').length,
        readsDuringOutageWithData: down.filter((o) => o.kind === 'read' && o.data).length,
        unavailableAnswers: failed.length,
        unavailableLatencyMs: { p50: p50(sorted), max: sorted.at(-1) },
        successfulReadLatencyMsP50: p50(reads.map((o) => o.ms)),
        writesApplied: applied,
        updateEvents: totalUpdates,
        writesAnsweredByReplay: writeEvents.filter((e) => e.outcome === 'REPLAYED').length,
        writeRetriesWithSameKey: outcomes.filter((o) => o.kind === 'write' && o.code === 'SERVICE_UNAVAILABLE').length,
        healthz: {
          down503: health.filter((h) => h.phase === 'down' && h.status === 503).length,
          downTotal: health.filter((h) => h.phase === 'down').length,
        },
      })}`,
    );
  } finally {
    await db.end();
  }
}, 120_000);

describe('isDatabaseUnavailable', () => {
  it('recognises the shapes an outage takes, and nothing else', () => {
    const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });
    const knexTimeout = Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), {
      name: 'KnexTimeoutError',
    });
    expect(
      [
        withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'),
        withCode('57P01', 'terminating connection due to administrator command'),
        withCode('57P03', 'the database system is starting up'),
        new Error('Connection terminated unexpectedly'),
        new Error('Transaction query already complete, run with DEBUG=knex:tx for more info'),
        knexTimeout,
        new Error('select 1 - failed', { cause: withCode('ECONNRESET') }),
      ].map((e) => isDatabaseUnavailable(e)),
    ).toEqual([true, true, true, true, true, true, true]);
    expect(
      [
        withCode('23505', 'duplicate key value violates unique constraint'),
        withCode('42501', 'permission denied for table returnee'),
        new Error('boom'),
        conflict('The record changed since you read it'),
        undefined,
      ].map((e) => isDatabaseUnavailable(e)),
    ).toEqual([false, false, false, false, false]);
  });
});
