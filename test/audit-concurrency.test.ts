import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Knex, MikroORM } from '@mikro-orm/postgresql';
import pino from 'pino';
import { AuditRecorder, type AuditScope } from '../src/trail/audit-recorder';
import { SEAL_BATCH, sealAll, sealOnce } from '../src/trail/audit-sealer';
import { verifyTrail } from '../src/trail/audit-verifier';
import { migrate, openOrm } from '../src/db/orm';
import type { HubServer } from '../src/server';
import { createScratchDb, type ScratchDb } from './support/audit-scratch-db';
import { makeReturnee, makeSectorUser, type StaffFixture } from './support/factories';
import { errorCode, gql, startHub, TEST_JWT_SECRET } from './support/hub';
import { hubPublicKey } from './support/audit';
import { readyUrl } from './support/ready-line';

/**
 * Several hub processes on one database, each appending events and each running its own
 * sealer (no single writer): the trail they leave verifies and every event is chained exactly
 * once. And an event whose transaction commits after later ones were sealed still gets in:
 * the sealer's watermark never passes an event whose transaction is still open.
 */

/** Fixed work, not a time budget: 8 workers x 8 iterations, whatever the machine's load. */
const WORKERS = 8;
const ITERATIONS = 8;

describe('several hub processes on one database', () => {
  const CHILDREN = 2;
  let db: ScratchDb;
  const children: ChildProcess[] = [];
  let local: HubServer | undefined; // this process's hub
  let localStopped: Promise<void> | undefined;
  const stopLocal = (): Promise<void> => (localStopped ??= local?.stop() ?? Promise.resolve());

  function startChild(): Promise<{ url: string; child: ChildProcess }> {
    const root = path.resolve(__dirname, '..');
    const child = spawn(process.execPath, ['-r', './test/support/ts-register.js', './test/support/hub-child.ts'], {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: db.url,
        HUB_JWT_SECRET: TEST_JWT_SECRET,
        PORT: '0',
        LOG_LEVEL: 'warn',
        HUB_AUDIT_SEAL_INTERVAL_MS: '200',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    return new Promise((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const url = readyUrl(out);
        if (url) resolve({ url, child });
      });
      child.once('exit', (code) => reject(new Error(`hub child exited with ${code} before it was ready`)));
    });
  }

  /** SIGTERM (the child seals its last events and exits 0); SIGKILL if it has not gone after 30 s. */
  function stopChild(child: ChildProcess): Promise<number | null> {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
    return new Promise((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.once('exit', (code) => {
        clearTimeout(kill);
        resolve(code);
      });
      child.kill('SIGTERM');
    });
  }

  beforeAll(async () => {
    db = await createScratchDb('audit_conc');
  });

  afterAll(async () => {
    // No-ops unless the test failed (or timed out) before it stopped them itself.
    await Promise.all(children.map((c) => stopChild(c)));
    await stopLocal();
    await db?.drop();
  });

  /**
   * Requests that each leave audit events: reads, lists, searches, updates that may conflict.
   * Returns the error codes seen per kind of request.
   */
  async function drive(
    hubs: { url: string }[],
    user: StaffFixture,
    ids: string[],
  ): Promise<{ requests: number; codes: Record<string, string[]> }> {
    let requests = 0;
    const codes: Record<string, string[]> = { read: [], list: [], search: [], update: [] };
    const note = (kind: string, res: Parameters<typeof errorCode>[0]) => {
      requests++;
      if (res.errors) codes[kind].push(errorCode(res) ?? res.errors[0].message);
    };
    const worker = async (w: number) => {
      for (let i = 0; i < ITERATIONS; i++) {
        const hub = hubs[(w + i) % hubs.length];
        const id = ids[(w * 7 + i) % ids.length];
        const kind = i % 4;
        if (kind === 0) note('read', await gql(hub, user.token, 'query($id: ID!) { returnee(id: $id) { givenName region } }', { id }));
        else if (kind === 1) note('list', await gql(hub, user.token, '{ returnees(first: 3) { nodes { id } } }'));
        else if (kind === 2)
          note('search', await gql(hub, user.token, '{ returnees(first: 1, filter: { search: "Ai" }) { nodes { id } } }'));
        else {
          const read = await gql(hub, user.token, 'query($id: ID!) { returnee(id: $id) { version } }', { id });
          note('read', read);
          note(
            'update',
            await gql(
              hub,
              user.token,
              'mutation($id: ID!, $v: Int!) { updateReturnee(id: $id, expectedVersion: $v, input: { district: "Alga" }) { returnee { id } } }',
              { id, v: read.data.returnee.version },
            ),
          );
        }
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
    return { requests, codes };
  }

  it('leave a trail that verifies, every event chained once, when started at once and sealing side by side', async () => {
    let orm: MikroORM | undefined;
    let driven: Awaited<ReturnType<typeof drive>>;
    let exits: (number | null)[];
    try {
      // The children start together on an empty database: they race to migrate and to provision the app role.
      const started = await Promise.all(Array.from({ length: CHILDREN }, () => startChild()));
      // and this process is a third writer (and sealer)
      local = await startHub({ DATABASE_URL: db.url, HUB_AUDIT_SEAL_INTERVAL_MS: '200' });
      const hubs = [...started, local];
      orm = await openOrm(db.url);
      const user = await makeSectorUser(orm, 'SOCIAL');
      const ids = await Promise.all(Array.from({ length: 4 }, async () => (await makeReturnee(orm!, user.agency)).id));
      driven = await drive(hubs, user, ids);
    } finally {
      // Whatever failed above: no hub may outlive this test (their sealers would run into the next one).
      exits = await Promise.all(children.map((c) => stopChild(c)));
      await stopLocal();
      await orm?.close(true);
    }
    expect(exits).toEqual(children.map(() => 0));
    const iterations = WORKERS * ITERATIONS;
    expect(driven.requests).toBe(iterations + iterations / 4); // the update iterations read first
    // Only concurrent updates of the same returnee may fail, and only as version conflicts.
    expect(driven.codes).toEqual({ read: [], list: [], search: [], update: driven.codes.update.map(() => 'CONFLICT') });

    const check = await openOrm(db.url);
    try {
      const knex = check.em.getConnection().getKnex();
      await sealAll(knex, { wait: true }); // in case the last to stop could not take its turn
      const report = await verifyTrail(knex, { trustedKeys: [await hubPublicKey()], graceMs: 60_000 });
      const [counts] =
        await db.query(`select (select count(*) from audit_event)::int as events, (select count(*) from audit_chain)::int as links,
        (select max(position) from audit_chain)::int as head, (select count(distinct event_id) from audit_chain)::int as distinct_events`);
      expect(counts.events).toBeGreaterThanOrEqual(driven.requests); // each request leaves at least one event
      expect(counts).toEqual({ events: counts.events, links: counts.events, head: counts.events, distinct_events: counts.events });
      expect(report).toMatchObject({ intact: true, eventsChecked: counts.events, pendingEvents: 0, problems: [] });
    } finally {
      await check.close(true);
    }
  }, 300_000); // fixed work: on a loaded machine it takes longer (188 s measured under CPU stress, cold caches), it never does less

  it('two hub processes writing one record concurrently: one winner per version, no lost update, a trail that verifies', async () => {
    const orm = await openOrm(db.url);
    let pair: { url: string; child: ChildProcess }[] = [];
    const UPDATE =
      'mutation($id: ID!, $v: Int!, $d: String) { updateReturnee(id: $id, expectedVersion: $v, input: { district: $d }) { returnee { version } } }';
    let conflicts = 0;
    let id: string;
    try {
      pair = await Promise.all([startChild(), startChild()]);
      const user = await makeSectorUser(orm, 'SOCIAL');
      id = (await makeReturnee(orm, user.agency)).id;
      const send = (i: number, v: number, d: string) => gql(pair[i % 2], user.token, UPDATE, { id, v, d });

      // 20 requests with the same version, spread over both processes: exactly one wins.
      const race = await Promise.all(Array.from({ length: 20 }, (_, i) => send(i, 1, `Race ${i}`)));
      expect(race.filter((x) => !x.errors)).toHaveLength(1);
      expect(race.filter((x) => x.errors?.[0].extensions?.code === 'CONFLICT')).toHaveLength(19);

      // 20 writers that retry from the version the CONFLICT names: every change lands once.
      await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          let v = 2;
          for (let attempt = 1; ; attempt++) {
            const res = await send(i + attempt, v, `Writer ${i}`);
            if (!res.errors) return;
            expect(res.errors[0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: expect.any(Number) });
            conflicts++;
            v = res.errors[0].extensions!.currentVersion as number;
            await new Promise((resolve) => setTimeout(resolve, Math.random() * 40 * attempt));
          }
        }),
      );
      expect(await Promise.all(pair.map((h) => stopChild(h.child)))).toEqual([0, 0]);
    } finally {
      await Promise.all(pair.map((h) => stopChild(h.child)));
    }
    try {
      const [current] = await db.query('select version, district from returnee where id = $1', [id]);
      expect(current.version).toBe(22);
      const history = await db.query('select version, previous from returnee_revision where returnee_id = $1 order by version', [id]);
      expect(history.map((h) => h.version)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
      const written = [...history.slice(2).map((h) => h.previous.district), current.district];
      expect(new Set(written)).toEqual(new Set(Array.from({ length: 20 }, (_, i) => `Writer ${i}`)));
      const [events] = await db.query(
        `select count(*) filter (where outcome = 'SUCCESS')::int as ok, count(*) filter (where outcome = 'CONFLICT')::int as conflicts
        from audit_event where returnee_id = $1 and action = 'UPDATE'`,
        [id],
      );
      expect(events).toEqual({ ok: 21, conflicts: 19 + conflicts });

      const knex = orm.em.getConnection().getKnex();
      await sealAll(knex, { wait: true });
      expect(await verifyTrail(knex, { trustedKeys: [await hubPublicKey()], graceMs: 60_000 })).toMatchObject({
        intact: true,
        pendingEvents: 0,
        problems: [],
      });
      console.log(
        `concurrent writers (two processes): ${JSON.stringify({ sameVersionRequests: 20, winners: 1, conflicts: 19, retryingWriters: 20, applied: 20, conflictsRetried: conflicts })}`,
      );
    } finally {
      await orm.close(true);
    }
  }, 300_000);
});

describe('events whose transaction commits late', () => {
  let db: ScratchDb;
  let orm: MikroORM;
  let knex: Knex;
  let recorder: AuditRecorder;
  const scope: AuditScope = { requestId: '00000000-0000-4000-8000-000000000001', purpose: 'late commit test' };
  const entry = (operation: string) => ({ action: 'READ' as const, entityType: 'Probe', outcome: 'SUCCESS' as const, operation });

  beforeAll(async () => {
    db = await createScratchDb('audit_late');
    orm = await openOrm(db.url);
    await migrate(orm);
    knex = orm.em.getConnection().getKnex();
    recorder = new AuditRecorder(orm.em.fork(), pino({ level: 'silent' }));
  });

  afterAll(async () => {
    await orm?.close(true);
    await db?.drop();
  });

  /**
   * A mutation's transaction that records `operation` and stays open until `commit()`.
   * `recorded` resolves as soon as the recorder has returned inside it (its event id is drawn).
   */
  function openTransaction(operation: string): { recorded: Promise<void>; commit: () => Promise<void> } {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let signal!: () => void;
    let fail!: (e: unknown) => void;
    const recorded = new Promise<void>((resolve, reject) => ((signal = resolve), (fail = reject)));
    const done = orm.em.fork().transactional(async (tx) => {
      await recorder.inTransaction(tx, scope, [entry(operation)]);
      signal();
      await held;
    });
    done.catch(fail); // a transaction that fails before it has recorded fails the wait for it; commit() surfaces it too
    return { recorded, commit: () => (release(), done) };
  }

  /** The probe events with these operations, in id order, with their chain position (null: not chained). */
  async function probes(...operations: string[]): Promise<{ operation: string; id: number; position: number | null }[]> {
    return db.query(
      `select e.operation, e.id::int as id, c.position::int as position from audit_event e
      left join audit_chain c on c.event_id = e.id where e.entity_type = 'Probe' and e.operation = any($1) order by e.id`,
      [operations],
    );
  }

  async function watermark(): Promise<number> {
    const [r] = await db.query('select coalesce(max(watermark), 0)::int as w from audit_seal');
    return r.w;
  }

  it('keeps the watermark below an event whose open transaction holds the newest transaction id', async () => {
    // The interleaving that lost events: the open transaction has the newest transaction id,
    // so a snapshot taken right now does not list it as running (xmax is the newest *completed*
    // id + 1). One pass records the sequence's high-water mark (at or above the event's id), a
    // second pass must not take that mark as settled while the transaction is still open.
    // (Only while no newer transaction has completed in between: always so on a database
    // cluster of its own, not always on one shared with other work; hence several rounds.)
    for (let round = 1; round <= 5; round++) {
      const operation = `held-${round}`;
      const late = openTransaction(operation);
      let before: number;
      try {
        await late.recorded;
        await sealOnce(knex, SEAL_BATCH, true);
        await sealOnce(knex, SEAL_BATCH, true);
        before = await watermark();
      } finally {
        await late.commit();
      }
      const [{ id }] = await probes(operation);
      expect(before).toBeLessThan(id);
      await sealAll(knex, { wait: true });
      await sealAll(knex, { wait: true });
      expect(await probes(operation)).toEqual([{ operation, id, position: expect.any(Number) }]);
    }
    expect(await verifyTrail(knex, { trustedKeys: [await hubPublicKey()], graceMs: 60_000 })).toMatchObject({
      intact: true,
      pendingEvents: 0,
      problems: [],
    });
  });

  it('chains an event whose transaction commits after later events were sealed, while another sealer keeps sealing', async () => {
    // Another process's sealer (its own connections, the same advisory lock), sealing in a loop.
    let passes = 0;
    let running = true;
    const waiters: { at: number; resolve: () => void }[] = [];
    const afterPasses = (n: number) =>
      Promise.race([
        new Promise<void>((resolve) => waiters.push({ at: passes + n, resolve })),
        other.then(() => Promise.reject(new Error('the other sealer stopped'))),
      ]);
    const other: Promise<void> = (async () => {
      while (running) {
        await sealOnce(knex, SEAL_BATCH, true);
        passes++;
        for (const w of waiters.filter((x) => x.at <= passes)) w.resolve();
        await new Promise((r) => setTimeout(r, 5));
      }
    })();

    const late = openTransaction('late');
    let before: number;
    try {
      await late.recorded;
      await afterPasses(2); // the other sealer has looked twice while the late transaction is open
      await recorder.durably(scope, [entry('early-1'), entry('early-2')]);
      await sealAll(knex, { wait: true });
      await afterPasses(2);
      expect(await probes('early-1', 'early-2')).toEqual([
        expect.objectContaining({ operation: 'early-1', position: expect.any(Number) }),
        expect.objectContaining({ operation: 'early-2', position: expect.any(Number) }),
      ]);
      before = await watermark();
      await late.commit();
      await afterPasses(2);
      await sealAll(knex, { wait: true });
    } finally {
      await late.commit().catch(() => undefined); // already done unless something above failed
      running = false;
      await other;
    }

    const rows = await probes('late', 'early-1', 'early-2');
    expect(before).toBeLessThan(rows[0].id); // the watermark stayed below the open transaction's event
    expect(rows.map((r) => r.operation)).toEqual(['late', 'early-1', 'early-2']); // id order
    expect(rows[0].position).toBeGreaterThan(rows[2].position!); // chain order: the late one after
    expect(await verifyTrail(knex, { trustedKeys: [await hubPublicKey()], graceMs: 60_000 })).toMatchObject({
      intact: true,
      pendingEvents: 0,
      problems: [],
    });
  });
});
