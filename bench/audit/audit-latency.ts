import 'reflect-metadata';
import { loadavg } from 'node:os';
import { Client } from 'pg';
import { ISO_US } from '../../src/trail/audit-canonical';
import { auditCursor } from '../../src/auditor/audit-events.service';
import { signToken } from '../../src/auth/token';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { createServer, type HubServer } from '../../src/server';
import { dropDb, sql, urlOf } from './bench-db';
import { BENCH_JWT_SECRET, ROOT, benchLog as log } from './hub-cli';

/**
 * `auditEvents` latency over real HTTP at 10^7 events, as the Kazakh oversight auditor
 * (`kz-oversight-auditor` of the seed): each case REQUESTS times (default 200) one after the
 * other, with different arguments each time, after WARMUP untimed ones; then EXPLAIN (ANALYZE,
 * BUFFERS) of the exact SQL the hub ran for the returnee and staff cases (captured from its pool).
 *
 * Needs the trail of `STAGE=10m KEEP=1 npm run bench:audit-scale` (database BENCH_DB, default
 * bench_audit_scale, sealed). CASES=<substring> runs only the matching cases. DROP=1 drops that
 * database at the end.
 * Run: npm run bench:audit-latency (node -r ./test/support/ts-register.js bench/audit/audit-latency.ts)
 */
const NAME = process.env.BENCH_DB ?? 'bench_audit_scale';
const REQUESTS = Number(process.env.REQUESTS ?? 200);
const WARMUP = Number(process.env.WARMUP ?? 10);
const PAGE = Number(process.env.PAGE ?? 20);
const AUDITOR = 'kz-oversight-auditor';

const QUERY = `query($filter: AuditEventFilter, $first: Int, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) { COUNT
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id occurredAt action outcome entityType entityId fields deniedFields sections purpose operation chainPosition
      returnee { id caseNumber } staff { id username displayName } agency { code sector country } } } } }`;

interface Case {
  name: string;
  /** Arguments of the i-th request. */
  args: (i: number) => { filter?: Record<string, unknown>; after?: string };
  totalCount?: boolean;
  requests?: number;
  /** Another query instead of auditEvents (the baseline). */
  query?: string;
}

interface Fixtures {
  returnees: string[];
  staff: string[];
  agencies: string[];
  /** Times of events spread over the trail: time ranges end at one of them, so none is empty by construction. */
  times: number[];
  deepCursors: string[];
}

const DAY = 24 * 3600 * 1000;
const iso = (ms: number) => new Date(ms).toISOString();

/** Arguments drawn from the data: returnees in the auditor's scope, its country's staff and agencies, times and cursors inside the trail. */
async function fixtures(url: string, n: number): Promise<Fixtures> {
  const returnees = await sql<{ id: string }>(url, `select id from returnee where country = 'KZ' order by md5(id::text) limit $1`, [n]);
  const staff = await sql<{ id: string }>(
    url,
    `select s.id from staff_member s join agency a on a.id = s.agency_id
    where a.country = 'KZ' and a.sector not in ('OVERSIGHT', 'ADMINISTRATION') order by s.username`,
  );
  const agencies = await sql<{ id: string }>(
    url,
    `select id from agency where country = 'KZ' and sector not in ('OVERSIGHT', 'ADMINISTRATION') order by code`,
  );
  const [{ max }] = await sql<{ max: string }>(url, 'select max(id)::text as max from audit_event');
  // Cursors are sealed for the staff member they are issued to (src/common/cursor.ts): the auditor's.
  const [auditor] = await sql<{ id: string }>(url, 'select id from staff_member where username = $1', [AUDITOR]);
  const owner = { actor: { staffId: auditor.id }, ctx: { runtime: { jwtSecret: BENCH_JWT_SECRET } } };
  // Cursors at events spread over the middle 80% of the trail (by id); time ranges end at their times.
  const deep = await sql<{ id: string; occurred_at: string }>(
    url,
    `select e.id::text as id, to_char(e.occurred_at at time zone 'UTC', ${ISO_US}) as occurred_at from audit_event e
     where e.id = any($1::bigint[]) order by e.id`,
    [Array.from({ length: n }, (_, i) => Math.floor(Number(max) * (0.1 + (0.8 * i) / n)))],
  );
  return {
    returnees: returnees.map((r) => r.id),
    staff: staff.map((s) => s.id),
    agencies: agencies.map((a) => a.id),
    times: deep.map((r) => Date.parse(r.occurred_at)),
    deepCursors: deep.map((r) => auditCursor(owner, r)),
  };
}

function cases(f: Fixtures): Case[] {
  const pick = <T>(xs: T[], i: number) => xs[i % xs.length];
  /** [to - days, to) with `to` just after the i-th sampled event. */
  const range = (i: number, days: number) => ({ from: iso(pick(f.times, i) + 1 - days * DAY), to: iso(pick(f.times, i) + 1) });
  return [
    { name: 'baseline: `me` (auth + one durable audit event, no trail query)', query: '{ me { staff { username } } }', args: () => ({}) },
    { name: 'by returnee', args: (i) => ({ filter: { returneeId: pick(f.returnees, i) } }) },
    { name: 'by returnee, with totalCount', totalCount: true, args: (i) => ({ filter: { returneeId: pick(f.returnees, i + 7) } }) },
    { name: 'by staff member', args: (i) => ({ filter: { staffId: pick(f.staff, i) } }) },
    { name: 'by staff member, 30-day range', args: (i) => ({ filter: { staffId: pick(f.staff, i), ...range(i * 7, 30) } }) },
    { name: 'by agency', args: (i) => ({ filter: { agencyId: pick(f.agencies, i) } }) },
    { name: 'DENY/DENIED in a 7-day range', args: (i) => ({ filter: { actions: ['DENY'], outcomes: ['DENIED'], ...range(i * 11, 7) } }) },
    {
      name: 'UPDATE/SUCCESS in a 1-day range',
      args: (i) => ({ filter: { actions: ['UPDATE'], outcomes: ['SUCCESS'], ...range(i * 13, 1) } }),
    },
    { name: 'NOT_FOUND (rare) in a 7-day range', args: (i) => ({ filter: { outcomes: ['NOT_FOUND'], ...range(i * 17, 7) } }) },
    { name: 'unfiltered, first page', args: () => ({}) },
    { name: 'unfiltered, a page deep in the trail (cursor)', args: (i) => ({ after: pick(f.deepCursors, i) }) },
    {
      name: 'by staff member, a page deep (cursor)',
      args: (i) => ({ filter: { staffId: pick(f.staff, i) }, after: pick(f.deepCursors, i * 13) }),
    },
    { name: 'unfiltered, with totalCount', totalCount: true, requests: 5, args: () => ({}) },
  ];
}

async function request(hub: HubServer, token: string, c: Case, i: number): Promise<{ ms: number; rows: number }> {
  const t = process.hrtime.bigint();
  const res = await fetch(`${hub.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose-of-use': 'Latency benchmark' },
    body: JSON.stringify(
      c.query
        ? { query: c.query }
        : { query: QUERY.replace('COUNT', c.totalCount ? 'totalCount' : ''), variables: { first: PAGE, ...c.args(i) } },
    ),
  });
  const body = (await res.json()) as { data?: { auditEvents?: { edges: unknown[] } }; errors?: unknown[] };
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (body.errors) throw new Error(`${c.name}: ${JSON.stringify(body.errors)}`);
  return { ms, rows: body.data!.auditEvents?.edges.length ?? 0 };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function measure(hub: HubServer, token: string, c: Case): Promise<string> {
  const n = c.requests ?? REQUESTS;
  for (let i = 0; i < Math.min(WARMUP, n); i++) await request(hub, token, c, n + i);
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < n; i++) {
    const r = await request(hub, token, c, i);
    times.push(r.ms);
    rows += r.rows;
  }
  times.sort((a, b) => a - b);
  const f = (x: number) => x.toFixed(1);
  return `| ${c.name} | ${n} | ${f(pct(times, 50))} | ${f(pct(times, 99))} | ${f(times[times.length - 1])} | ${(rows / n).toFixed(1)} |`;
}

/** EXPLAIN (ANALYZE, BUFFERS) of the page query the hub sent for one request of `c`. */
async function explain(hub: HubServer, token: string, c: Case, url: string): Promise<string> {
  const knex = hub.db.orm.em.getConnection().getKnex();
  let captured: { sql: string; bindings: unknown[] } | undefined;
  const listener = (q: { sql: string; bindings?: unknown[] }) => {
    if (q.sql.includes('from audit_event e left join audit_chain c')) captured = { sql: q.sql, bindings: q.bindings ?? [] };
  };
  knex.on('query', listener);
  try {
    await request(hub, token, c, 3);
  } finally {
    knex.removeListener('query', listener);
  }
  if (!captured) throw new Error(`${c.name}: the page query was not seen`);
  const client = new Client({ connectionString: url, options: '-c jit=off' }); // as the hub's sessions (src/db/database.ts)
  await client.connect();
  try {
    const { rows } = await client.query(`explain (analyze, buffers) ${captured.sql}`, captured.bindings);
    return rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const url = urlOf(NAME);
  const [{ n }] = await sql<{ n: string }>(url, 'select count(*)::bigint as n from audit_event');
  log(`${NAME}: ${n} audit events`);
  const f = await fixtures(url, REQUESTS);
  process.env.HUB_DATA_DIR ??= `${ROOT}/.hub-data`;
  const hub = await createServer(
    loadConfig({ ...process.env, NODE_ENV: 'test', DATABASE_URL: url, HUB_JWT_SECRET: BENCH_JWT_SECRET, PORT: '0' }),
    { log: createLogger('warn') },
  );
  try {
    const token = await signToken(BENCH_JWT_SECRET, AUDITOR, 3600);
    const only = process.env.CASES; // a substring of case names, to rerun a few
    const all = cases(f).filter((c) => !only || c.name.includes(only));
    const rows = [
      `auditEvents at ${n} events, first: ${PAGE}, as ${AUDITOR}, sequential requests over HTTP (ms); ` +
        `load average before ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
      '',
      '| case | requests | p50 | p99 | max | events per page |',
      '|---|---|---|---|---|---|',
    ];
    for (const c of all) {
      rows.push(await measure(hub, token, c));
      log(rows.at(-1)!);
    }
    rows.push(
      '',
      `load average after ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    process.stdout.write(`${rows.join('\n')}\n`);
    for (const name of [
      'by returnee',
      'by staff member',
      'by staff member, 30-day range',
      'by agency',
      'unfiltered, first page',
      'DENY/DENIED in a 7-day range',
      'NOT_FOUND (rare) in a 7-day range',
    ]) {
      const c = all.find((x) => x.name === name);
      if (c) process.stdout.write(`\n### EXPLAIN ANALYZE: ${name}\n\n${await explain(hub, token, c, url)}\n`);
    }
  } finally {
    await hub.stop();
    if (process.env.DROP === '1') await dropDb(NAME);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
