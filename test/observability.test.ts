import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { createServer, type HubServer } from '../src/server';
import { SANDBOX_AUTHORIZATION, SANDBOX_PURPOSE } from '../src/http/sandbox';
import { makeReturnee, makeSectorUser, type StaffFixture } from './support/factories';
import { createScratchDb } from './support/audit-scratch-db';
import { errorCode, gql, sqlClient, startHub, TEST_JWT_SECRET, testDatabaseUrl } from './support/hub';

/**
 * The operator's view over real HTTP: Prometheus series on /metrics, readiness apart from
 * liveness, one request id in the response header, the audit rows and the log lines, and the
 * development sandbox on GET /graphql (which never holds a token).
 */

type Labels = Record<string, string>;
interface Sample {
  name: string;
  labels: Labels;
  value: number;
}

function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Labels = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

/** The value of one series (0 when it has not been seen yet). */
function value(samples: Sample[], name: string, labels: Labels = {}): number {
  const s = samples.find(
    (x) =>
      x.name === name &&
      Object.entries(labels).every(([k, v]) => x.labels[k] === v) &&
      Object.keys(x.labels).length === Object.keys(labels).length,
  );
  return s?.value ?? 0;
}

async function scrape(hub: { url: string }, headers: Record<string, string> = {}): Promise<Sample[]> {
  const res = await fetch(`${hub.url}/metrics`, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseMetrics(await res.text());
}

const ME = 'query { me { staff { username } } }';

describe('/metrics', () => {
  let hub: HubServer;
  let social: StaffFixture;
  let education: StaffFixture;

  beforeAll(async () => {
    hub = await startHub();
    social = await makeSectorUser(hub.db.orm, 'SOCIAL');
    education = await makeSectorUser(hub.db.orm, 'EDUCATION');
  });
  afterAll(() => hub.stop());

  it('counts requests and their latency by root field and outcome', async () => {
    const before = await scrape(hub);
    expect((await gql(hub, social.token, ME)).errors).toBeUndefined();
    expect((await gql(hub, social.token, ME)).errors).toBeUndefined();
    expect(errorCode(await gql(hub, 'not-a-token', ME))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql(hub, social.token, 'query { me { noSuchField } }'))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(hub, social.token, 'query($id: ID!) { returnee(id: $id) { id } }', { id: randomUUID() }))).toBe('NOT_FOUND');
    const after = await scrape(hub);

    const delta = (name: string, labels: Labels) => value(after, name, labels) - value(before, name, labels);
    expect(delta('hub_graphql_requests_total', { operation: 'me', outcome: 'SUCCESS' })).toBe(2);
    expect(delta('hub_graphql_requests_total', { operation: 'returnee', outcome: 'NOT_FOUND' })).toBe(1);
    // A bad token fails before the document is looked at; a document that does not validate still names its root field.
    expect(delta('hub_graphql_requests_total', { operation: '(none)', outcome: 'UNAUTHENTICATED' })).toBe(1);
    expect(delta('hub_graphql_requests_total', { operation: 'me', outcome: 'BAD_USER_INPUT' })).toBe(1);
    expect(delta('hub_graphql_request_duration_seconds_count', { operation: 'me', outcome: 'SUCCESS' })).toBe(2);
    expect(delta('hub_graphql_request_duration_seconds_sum', { operation: 'me', outcome: 'SUCCESS' })).toBeGreaterThan(0);
    expect(delta('hub_graphql_request_duration_seconds_bucket', { operation: 'me', outcome: 'SUCCESS', le: '+Inf' })).toBe(2);
  });

  it('counts access-layer refusals by sector and the audit events committed, by action and outcome', async () => {
    const before = await scrape(hub);
    // An education caseworker may not read the audit trail: refused and recorded as DENY.
    expect(errorCode(await gql(hub, education.token, 'query { auditEvents { totalCount } }'))).toBe('FORBIDDEN');
    const reg = await gql(
      hub,
      social.token,
      'mutation($input: RegisterReturneeInput!) { registerReturnee(input: $input) { returnee { id } } }',
      { input: { givenName: 'Madina', familyName: 'Karimova', sex: 'FEMALE', dateOfBirth: '1990-01-02' } },
    );
    expect(reg.errors).toBeUndefined();
    const requestId = reg.headers.get('x-request-id');
    const after = await scrape(hub);
    const delta = (name: string, labels: Labels) => value(after, name, labels) - value(before, name, labels);

    expect(delta('hub_access_denied_total', { sector: 'EDUCATION' })).toBe(1);
    expect(delta('hub_access_denied_total', { sector: 'SOCIAL' })).toBe(0);
    expect(delta('hub_graphql_requests_total', { operation: 'auditEvents', outcome: 'FORBIDDEN' })).toBe(1);
    expect(delta('hub_audit_events_written_total', { action: 'DENY', outcome: 'DENIED' })).toBe(1);
    // The registration's events were written in its transaction and counted once it committed.
    const client = await sqlClient();
    try {
      const { rows } = await client.query(
        `select count(*)::int as n from audit_event where request_id = $1 and action = 'CREATE' and outcome = 'SUCCESS'`,
        [requestId],
      );
      expect(rows[0].n).toBeGreaterThan(0);
      expect(delta('hub_audit_events_written_total', { action: 'CREATE', outcome: 'SUCCESS' })).toBe(rows[0].n);
    } finally {
      await client.end();
    }
  });

  it('counts events written in a transaction only when it commits (savepoints with their outer transaction)', async () => {
    const written = async () => value(await scrape(hub), 'hub_audit_events_written_total', { action: 'UPDATE', outcome: 'CONFLICT' });
    const scope = { requestId: randomUUID(), purpose: 'metrics test' };
    const entry = { action: 'UPDATE' as const, entityType: 'MetricsProbe', outcome: 'CONFLICT' as const, operation: 'metricsTest' };
    const before = await written();
    await expect(
      hub.db.orm.em.fork().transactional(async (tx) => {
        await hub.runtime.recorder.inTransaction(tx, scope, [entry, entry]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await written()).toBe(before);
    await hub.db.orm.em.fork().transactional(async (tx) => {
      await tx.transactional(async (inner) => hub.runtime.recorder.inTransaction(inner, scope, [entry]));
      await hub.runtime.recorder.inTransaction(tx, scope, [entry]);
      expect(await written()).toBe(before); // not yet committed
    });
    expect(await written()).toBe(before + 2);
    const client = await sqlClient();
    try {
      const { rows } = await client.query('select count(*)::int as n from audit_event where request_id = $1', [scope.requestId]);
      expect(rows[0].n).toBe(2);
    } finally {
      await client.end();
    }
  });

  it('shows the state of the database pool and the process', async () => {
    const samples = await scrape(hub);
    for (const name of ['hub_db_pool_used', 'hub_db_pool_free', 'hub_db_pool_pending']) {
      const s = samples.find((x) => x.name === name);
      expect(s).toBeDefined();
      expect(s!.value).toBeGreaterThanOrEqual(0);
    }
    expect(value(samples, 'hub_db_pool_max')).toBe(20);
    expect(value(samples, 'hub_db_pool_used') + value(samples, 'hub_db_pool_free')).toBeGreaterThan(0);
    expect(samples.some((s) => s.name === 'process_resident_memory_bytes')).toBe(true);
  });

  it('never turns what a client sent into a label', async () => {
    const marker = randomUUID();
    await gql(
      hub,
      social.token,
      `query Q_${marker.replace(/-/g, '_')}($id: ID!) { returnee(id: $id) { id } }`,
      { id: marker },
      { 'x-purpose-of-use': `purpose ${marker}` },
    );
    await gql(hub, social.token, `query { f_${marker.replace(/-/g, '_')} }`);
    const text = await (await fetch(`${hub.url}/metrics`)).text();
    expect(text).not.toContain(marker);
    expect(text).not.toContain(marker.replace(/-/g, '_'));
    const operations = new Set(
      parseMetrics(text)
        .filter((s) => s.name === 'hub_graphql_requests_total')
        .map((s) => s.labels.operation),
    );
    const schemaFields = ['me', 'returnee', 'auditEvents', 'registerReturnee', '(none)', '(multiple)'];
    expect([...operations].filter((o) => !schemaFields.includes(o))).toEqual([]);
  });
});

describe('/metrics with HUB_METRICS_TOKEN', () => {
  it('answers only a scraper that sends the token', async () => {
    const hub = await startHub({ HUB_METRICS_TOKEN: 'scrape-token-0123456789' });
    try {
      const anonymous = await fetch(`${hub.url}/metrics`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await anonymous.text()).not.toContain('hub_graphql_requests_total');
      expect((await fetch(`${hub.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
      const samples = await scrape(hub, { authorization: 'Bearer scrape-token-0123456789' });
      expect(samples.some((s) => s.name === 'hub_db_pool_used')).toBe(true);
    } finally {
      await hub.stop();
    }
  });

  it('refuses to start with a short token', () => {
    expect(() => loadConfig({ HUB_METRICS_TOKEN: 'short' })).toThrow(/HUB_METRICS_TOKEN must be at least 16 characters/);
  });
});

describe('/readyz', () => {
  it('is ready while the database answers; /healthz stays liveness', async () => {
    const hub = await startHub();
    try {
      const res = await fetch(`${hub.url}/readyz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ready', ready: true, database: 'ok', pendingMigrations: [], shuttingDown: false });
      await hub.db.orm.close(true);
      const down = await fetch(`${hub.url}/readyz`);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({ ready: false, database: 'unavailable' });
    } finally {
      await hub.stop().catch(() => undefined);
    }
  });

  it('answers 503 from the start of a shutdown while requests are still served', async () => {
    const hub = await startHub({ HUB_SHUTDOWN_GRACE_MS: '4000' });
    const stopping = hub.stop();
    try {
      const ready = await fetch(`${hub.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ ready: false, shuttingDown: true, database: 'ok' });
      expect((await fetch(`${hub.url}/healthz`)).status).toBe(200);
    } finally {
      await stopping;
    }
  });

  it('npm start: on SIGTERM /readyz turns 503 for the grace period, then the process stops cleanly', async () => {
    // Development mode, as `npm start` runs by default (Apollo would add signal handlers of its own there).
    const child = spawn(process.execPath, ['-r', './test/support/ts-register.js', './src/main.ts'], {
      env: {
        ...process.env,
        NODE_ENV: 'development',
        DATABASE_URL: testDatabaseUrl(),
        HUB_JWT_SECRET: TEST_JWT_SECRET,
        PORT: '0',
        LOG_LEVEL: 'info',
        HUB_SHUTDOWN_GRACE_MS: '3000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += String(d);
    });
    child.stderr.on('data', (d) => {
      out += String(d);
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setInterval(() => {
          const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
          if (m) {
            clearInterval(timer);
            resolve(m[1]);
          }
        }, 100);
        void exited.then(() => {
          clearInterval(timer);
          reject(new Error(`the hub exited before it was ready:\n${out}`));
        });
      });
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300)); // the signal is handled
      const draining = await fetch(`${url}/readyz`);
      expect(draining.status).toBe(503);
      expect(await draining.json()).toMatchObject({ shuttingDown: true });
      expect(await exited).toBe(0);
      expect(out).not.toContain('shutdown took longer');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('answers 503 naming the migrations the database lacks', async () => {
    const scratch = await createScratchDb('readyz');
    try {
      const hub = await startHub({ DATABASE_URL: scratch.url });
      try {
        expect((await fetch(`${hub.url}/readyz`)).status).toBe(200);
        const [last] = await scratch.query<{ name: string }>('select name from mikro_orm_migrations order by id desc limit 1');
        await scratch.query('delete from mikro_orm_migrations where name = $1', [last.name]);
        const res = await fetch(`${hub.url}/readyz`);
        expect(res.status).toBe(503);
        expect(await res.json()).toMatchObject({ ready: false, database: 'ok', pendingMigrations: [last.name] });
      } finally {
        await hub.stop();
      }
    } finally {
      await scratch.drop();
    }
  });
});

describe('request id', () => {
  it('is one id in the response header, the audit rows and every log line of the request', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
        done();
      },
    });
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: testDatabaseUrl(),
      HUB_JWT_SECRET: TEST_JWT_SECRET,
      PORT: '0',
      LOG_LEVEL: 'info',
    });
    const hub = await createServer(config, { log: pino({ level: 'info' }, sink) });
    try {
      const social = await makeSectorUser(hub.db.orm, 'SOCIAL');
      const r = await makeReturnee(hub.db.orm, social.agency);
      const res = await gql(hub, social.token, 'query($id: ID!) { returnee(id: $id) { id caseNumber } }', { id: r.id });
      expect(res.errors).toBeUndefined();
      const requestId = res.headers.get('x-request-id')!;
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);

      const client = await sqlClient();
      try {
        const { rows } = await client.query('select action, returnee_id from audit_event where request_id = $1', [requestId]);
        expect(rows).toEqual([{ action: 'READ', returnee_id: r.id }]);
      } finally {
        await client.end();
      }
      const ours = lines.filter((l) => l.requestId === requestId);
      expect(ours).toEqual([expect.objectContaining({ msg: 'graphql', actor: social.staff.id, requestId })]);

      // A failing request gets an id of its own too (never the client's: test/request-hardening.test.ts).
      const bad = await gql(hub, 'not-a-token', ME);
      const generated = bad.headers.get('x-request-id')!;
      expect(generated).toMatch(/^[0-9a-f-]{36}$/);
      expect(generated).not.toBe(requestId);
    } finally {
      await hub.stop();
    }
  });
});

describe('sandbox on GET /graphql', () => {
  const page = (hub: { url: string }) => fetch(`${hub.url}/graphql`, { headers: { accept: 'text/html' } });
  const tokensIn = (html: string) => [...html.matchAll(/Bearer (eyJ[\w-]+\.[\w-]+\.[\w-]+)/g)].map((m) => m[1]);

  it('in development opens the explorer, asking for a token from `npx hub token` rather than holding one', async () => {
    const hub = await startHub({ NODE_ENV: 'development', LOG_LEVEL: 'silent' });
    try {
      const res = await page(hub);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await res.text();
      expect(html).toContain('embeddable-sandbox');
      expect(html).toContain(SANDBOX_PURPOSE);
      expect(html).toContain(JSON.stringify(SANDBOX_AUTHORIZATION).slice(1, -1));
      expect(tokensIn(html)).toEqual([]);
      expect(html).not.toMatch(/eyJ[\w-]+\.eyJ/);
      // GraphQL itself is unchanged: a GET without text/html is a query, not the page.
      const json = await fetch(`${hub.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
        headers: { 'apollo-require-preflight': '1' },
      });
      expect(await json.json()).toEqual({ data: { __typename: 'Query' } });
    } finally {
      await hub.stop();
    }
  });

  it('is off in production', async () => {
    const hub = await startHub({ NODE_ENV: 'production', LOG_LEVEL: 'silent', HUB_SHUTDOWN_GRACE_MS: '0' });
    try {
      const res = await page(hub);
      const html = await res.text();
      expect(html).not.toContain('embeddable-sandbox');
      expect(tokensIn(html)).toEqual([]);
      expect(res.status).toBe(400);
    } finally {
      await hub.stop();
    }
  });

  it('in production with HUB_SANDBOX=1 opens the explorer without a token', async () => {
    const hub = await startHub({ NODE_ENV: 'production', HUB_SANDBOX: '1', LOG_LEVEL: 'silent', HUB_SHUTDOWN_GRACE_MS: '0' });
    try {
      const res = await page(hub);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('embeddable-sandbox');
      expect(tokensIn(html)).toEqual([]);
      expect(html).not.toMatch(/eyJ[\w-]+\.eyJ/);
    } finally {
      await hub.stop();
    }
  });
});
