import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client } from 'pg';
import { signToken } from '../../src/auth/token';
import { loadConfig } from '../../src/config';
import { createServer } from '../../src/server';
import { BENCH_JWT_SECRET, CASEWORKER, openBenchDatabase } from './bench-database';

/**
 * Where a section write spends its time in PostgreSQL (docs/bench.md, "What the write costs in
 * PostgreSQL"): seeds the bench's database, lets the hub (in this process, src/) record one
 * health assessment to capture its one statement, then runs that statement many times on other
 * records inside transactions that are rolled back (EXPLAIN ANALYZE once, with trigger times,
 * then timed executions), and lists the triggers and indexes on the tables it writes.
 *
 *   node -r ./test/support/ts-register.js bench/api/write-profile.ts [returnees] [runs]
 */
const ROOT = path.resolve(__dirname, '../..');
const returnees = Number(process.argv[2] ?? 10_000);
const runs = Number(process.argv[3] ?? 200);

const INPUT = {
  assessedOn: new Date().toISOString().slice(0, 10),
  findings: 'Bench: follow-up',
  followUpNeeded: true,
  fitForSchool: false,
};
const WRITE = `mutation W($id: ID!, $input: RecordHealthAssessmentInput!) {
  recordHealthAssessment(returneeId: $id, input: $input) { returnee { id version } } }`;

/** knex hands pg `$n` placeholders; the text as pg received it. */
interface Captured {
  sql: string;
  bindings: unknown[];
}

function percentiles(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(2);
  return `p50 ${at(50)} ms, p90 ${at(90)} ms, p99 ${at(99)} ms`;
}

async function main(): Promise<void> {
  const db = await openBenchDatabase(ROOT, returnees, 1, (l) => process.stderr.write(`${l}\n`));
  const hub = await createServer(
    loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      HUB_DATA_DIR: db.dataDir,
      HUB_JWT_SECRET: BENCH_JWT_SECRET,
      PORT: '0',
      LOG_LEVEL: 'warn',
    }),
  );
  const pg = new Client({ connectionString: db.url });
  try {
    const knex = hub.db.orm.em.getConnection().getKnex();
    let captured: Captured | undefined;
    knex.on('query', (q: { sql: string; bindings: unknown[] }) => {
      if (q.sql.includes('insert into "health_assessment"')) captured = { sql: q.sql, bindings: q.bindings };
    });
    const token = await signToken(BENCH_JWT_SECRET, CASEWORKER, 3600);
    const write = async (id: string) => {
      const res = await fetch(`${hub.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: WRITE, variables: { id, input: INPUT } }),
      });
      const body = (await res.json()) as { errors?: unknown };
      if (body.errors) throw new Error(`the write failed: ${JSON.stringify(body)}`);
    };
    await write(db.ids[0]);
    if (!captured) throw new Error('no write statement seen');
    const statement = captured;
    await pg.connect();
    // The same statement on another record with a new assessment id: both ids replaced wherever bound (the row, its events).
    const row = statement.bindings
      .map((b) => (typeof b === 'string' && b.startsWith('{') ? (JSON.parse(b) as { id?: string; findings?: string }) : {}))
      .find((b) => b.findings !== undefined);
    const on = (id: string) =>
      statement.bindings.map((b) => (typeof b === 'string' ? b.split(db.ids[0]).join(id).split(row!.id!).join(randomUUID()) : b));
    const rolledBack = async <T>(fn: () => Promise<T>): Promise<T> => {
      await pg.query('begin');
      try {
        return await fn();
      } finally {
        await pg.query('rollback');
      }
    };
    // Warm the plan cache and the buffers, then one EXPLAIN ANALYZE on a record not yet written.
    for (let i = 1; i <= 20; i++) await rolledBack(() => pg.query(statement.sql, on(db.ids[i])));
    const plan = await rolledBack(() => pg.query(`explain (analyze, buffers, verbose) ${statement.sql}`, on(db.ids[21])));
    console.log(plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n'));
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const id = db.ids[(22 + i * 7919) % db.ids.length];
      await rolledBack(async () => {
        const t = process.hrtime.bigint();
        await pg.query(statement.sql, on(id));
        times.push(Number(process.hrtime.bigint() - t) / 1e6);
      });
    }
    console.log(`\nthe statement alone, ${runs} runs (rolled back): ${percentiles(times)}`);
    // The same, as a named (prepared) statement: planned once per connection, then executed.
    const named: number[] = [];
    for (let i = 0; i < runs; i++) {
      const id = db.ids[(23 + i * 7919) % db.ids.length];
      await rolledBack(async () => {
        const t = process.hrtime.bigint();
        await pg.query({ name: 'hub_write_profile', text: statement.sql, values: on(id) });
        named.push(Number(process.hrtime.bigint() - t) / 1e6);
      });
    }
    console.log(`the statement prepared (named), ${runs} runs (rolled back): ${percentiles(named)}`);

    // Every statement of one whole write request, sequentially, with its round-trip time.
    const seen: { sql: string; started: bigint; ms?: number }[] = [];
    const byUid = new Map<string, (typeof seen)[number]>();
    knex.on('query', (q: { sql: string; __knexQueryUid: string }) => {
      const e = { sql: q.sql.replace(/\s+/g, ' ').slice(0, 110), started: process.hrtime.bigint() };
      seen.push(e);
      byUid.set(q.__knexQueryUid, e);
    });
    knex.on('query-response', (_r: unknown, q: { __knexQueryUid: string }) => {
      const e = byUid.get(q.__knexQueryUid);
      if (e) e.ms = Number(process.hrtime.bigint() - e.started) / 1e6;
    });
    const perRequest = new Map<string, number[]>();
    const requests = Math.min(100, runs);
    const wall: number[] = [];
    for (let i = 0; i < requests; i++) {
      seen.length = 0;
      const t = process.hrtime.bigint();
      await write(db.ids[(1000 + i * 31) % db.ids.length]);
      await new Promise((r) => setTimeout(r, 20));
      wall.push(Number(process.hrtime.bigint() - t) / 1e6 - 20);
      for (const e of seen) perRequest.set(e.sql, [...(perRequest.get(e.sql) ?? []), e.ms ?? NaN]);
    }
    console.log(`\none write request after another (${requests}): wall ${percentiles(wall)}; per statement:`);
    for (const [sql, ms] of perRequest) console.log(`  ${(ms.length / requests).toFixed(2)}x ${percentiles(ms)}  ${sql}`);
    const triggers = await pg.query(
      `select c.relname, t.tgname, p.proname from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_proc p on p.oid = t.tgfoid
       where not t.tgisinternal and c.relname in ('returnee', 'health_assessment', 'returnee_revision', 'audit_event') order by 1, 2`,
    );
    console.log('\ntriggers:', triggers.rows.map((r) => `${r.relname}.${r.tgname} -> ${r.proname}()`).join('; '));
    const indexes = await pg.query(
      `select c.relname, pg_get_indexdef(i.indexrelid) as def from pg_index i join pg_class c on c.oid = i.indrelid
       where c.relname in ('returnee', 'health_assessment', 'returnee_revision', 'audit_event') order by 1, 2`,
    );
    console.log('\nindexes:\n' + indexes.rows.map((r) => `  ${r.def}`).join('\n'));
    console.log(`\nstatement:\n${statement.sql}`);
  } finally {
    await pg.end().catch(() => undefined);
    await hub.stop();
    await db.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
