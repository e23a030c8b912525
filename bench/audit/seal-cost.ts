import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'pg';
import pino from 'pino';
import { canonicalSql, EVENT_COLUMNS_SQL } from '../../src/trail/audit-canonical';
import { unchainedCopySql } from '../../src/trail/audit-seal-read';
import { startEmbeddedPostgres } from '../../src/db/embedded';
import { freePort } from '../../src/db/free-port';

/**
 * What the audit trail costs PostgreSQL per list50 page (docs/bench.md, Issue 13 section 8):
 * the INSERT of a page's 50 READ events with every index and without each secondary one, and
 * the sealer's read of a pass's events (the 18 columns the old sealer read, against the
 * canonical form in binary COPY) and its INSERT into audit_chain. Run on a seeded database kept
 * in `--dir` (default /tmp/hub-seal-cost) with `fill` events already chained:
 *   node -r ./test/support/ts-register.js bench/audit/seal-cost.ts [--fill 200000] [--pass 3500]
 * Times are medians of repeated runs, each in a transaction rolled back.
 */
const ROOT = path.resolve(__dirname, '../..');
const arg = (name: string, d: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : d;
};

function run(args: string[], env: Record<string, string>): Promise<void> {
  const child = spawn(process.execPath, ['-r', './test/support/ts-register.js', ...args], { cwd: ROOT, env, stdio: 'inherit' });
  return new Promise((resolve, reject) => child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`)))));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The recorder's INSERT shape for one request's page of `n` READ events (audit-recorder.ts INSERT_SQL, same columns). */
const pageInsert = (n: number) => `insert into audit_event (request_id, staff_id, agency_id, action, entity_type, entity_id, returnee_id,
  fields, denied_fields, purpose, operation, outcome, reason, correlation_id, basis, basis_keys)
select gen_random_uuid(), s.id, s.agency_id, 'READ', 'Returnee', r.id::text, r.id,
  array['id','caseNumber','givenName','familyName','region','status','dateOfBirth','gender','phone','household','healthSummary','consents'],
  array['psychosocialNotes','documents'], 'CASE_MANAGEMENT', 'returnees', 'SUCCESS', null, 'bench-' || r.g,
  jsonb_build_object('kind', 'CONSENT', 'consentIds', jsonb_build_array(r.id)), array['consent:' || r.id]
from (select ids[1 + (g * 7) % cardinality(ids)] as id, g from generate_series(1, ${n}) g,
  (select array_agg(id) as ids from (select id from returnee order by id limit 500) x) a) r
cross join (select id, agency_id from staff_member where active and agency_id is not null limit 1) s`;

async function timed(c: Client, sql: string, runs: number, before = ''): Promise<number> {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    await c.query('begin');
    if (before) await c.query(before);
    const s = process.hrtime.bigint();
    await c.query(sql);
    t.push(Number(process.hrtime.bigint() - s) / 1e6);
    await c.query('rollback');
  }
  return median(t);
}

async function main(): Promise<void> {
  const dir = path.resolve(arg('dir', '/tmp/hub-seal-cost'));
  const fill = Number(arg('fill', '200000'));
  const pass = Number(arg('pass', '3500'));
  await mkdir(dir, { recursive: true });
  await chmod(dir, 0o755);
  const db = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), log: pino({ level: 'silent' }), stopOnSignal: false });
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    DATABASE_URL: db.url,
    HUB_JWT_SECRET: 'x'.repeat(40),
    HUB_DATA_DIR: dir,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
  };
  const c = new Client({ connectionString: db.url });
  try {
    if (!existsSync(path.join(dir, 'seeded'))) {
      await run(['src/cli.ts', 'seed', '--returnees', '1000', '--seed', '1'], env);
      await c.connect();
      // The fill: pages of 50 through the same INSERT shape, then chained (fake hashes: only the index work is timed).
      for (let i = 0; i < fill / 5000; i++) await c.query(pageInsert(5000));
      await c.query(`insert into audit_chain (position, event_id, hash, occurred_at)
        select coalesce((select max(position) from audit_chain), 0) + row_number() over (order by id), id, sha256(id::text::bytea), occurred_at
        from audit_event e where not exists (select 1 from audit_chain c where c.event_id = e.id)`);
      await c.query('vacuum analyze');
      await writeFile(path.join(dir, 'seeded'), 'yes\n');
    } else await c.connect();
    const [{ w }] = (await c.query('select max(event_id)::text as w from audit_chain')).rows;
    const [{ n }] = (await c.query('select count(*)::int as n from audit_event')).rows;
    console.log(`audit_event ${n} rows, watermark ${w}`);
    const runs = Number(arg('runs', '30'));

    // 1. A page's 50 events: every index, and without each secondary one.
    const all = await timed(c, pageInsert(50), runs);
    console.log(`insert 50 events, all indexes: ${all.toFixed(2)} ms`);
    // EXPLAIN ANALYZE of the same INSERT: execution and each trigger's time, medians.
    const plans: { exec: number; triggers: Record<string, number> }[] = [];
    for (let i = 0; i < runs; i++) {
      await c.query('begin');
      const [
        {
          'QUERY PLAN': [plan],
        },
      ] = (await c.query(`explain (analyze, format json) ${pageInsert(50)}`)).rows;
      await c.query('rollback');
      plans.push({
        exec: plan['Execution Time'],
        triggers: Object.fromEntries(
          (plan.Triggers ?? []).map((t: { 'Trigger Name': string; Time: number }) => [t['Trigger Name'], t.Time]),
        ),
      });
    }
    const trig = Object.keys(plans[0].triggers)
      .map((k) => `${k} ${median(plans.map((p) => p.triggers[k])).toFixed(2)} ms`)
      .join(', ');
    console.log(`  EXPLAIN ANALYZE: execution ${median(plans.map((p) => p.exec)).toFixed(2)} ms; triggers: ${trig}`);
    const idx = (await c.query(`select indexname from pg_indexes where tablename = 'audit_event' and indexname <> 'audit_event_pkey'`))
      .rows;
    for (const { indexname } of idx) {
      const t = await timed(c, pageInsert(50), runs, `drop index ${indexname}`);
      console.log(`  without ${indexname}: ${t.toFixed(2)} ms`);
    }
    const none = await timed(c, pageInsert(50), runs, idx.map((i: { indexname: string }) => `drop index ${i.indexname}`).join(';'));
    console.log(`  without any secondary index: ${none.toFixed(2)} ms`);
    const noTrig = await timed(c, pageInsert(50), runs, 'set local session_replication_role = replica');
    console.log(`  without the triggers (stamp, actor check): ${noTrig.toFixed(2)} ms`);

    // 2. The sealer's pass over `pass` new events: the read (old and new form), the chain insert.
    const fresh = `${pageInsert(pass)}`;
    const oldRead = `copy (select ${EVENT_COLUMNS_SQL} from audit_event e where e.id > ${w} and not exists (select 1 from audit_chain c where c.event_id = e.id and c.occurred_at = e.occurred_at and c.event_id > ${w}) order by e.id limit 10000) to '/dev/null'`;
    const newRead = unchainedCopySql(BigInt(w), 10_000).replace('to stdout', `to '/dev/null'`);
    const r = Math.max(5, Math.floor(runs / 3));
    // Interleaved, so that the neighbours' load falls on each form alike; with `--old`, its canonicalSql too.
    const reads: [string, string][] = [
      ['18 columns as the old sealer read them', oldRead],
      ['18 columns as COPY text (this sealer)', newRead],
      [
        'canonicalSql in binary COPY (tried)',
        newRead.replace(/^copy \(select [\s\S]*? from audit_event e/, `copy (select ${canonicalSql()} from audit_event e`) +
          ' (format binary)',
      ],
    ];
    const readTimes = reads.map(() => [] as number[]);
    for (let i = 0; i < r; i++) for (const [k, [, q]] of reads.entries()) readTimes[k].push(await timed(c, q, 1, fresh));
    for (const [k, [name]] of reads.entries()) console.log(`sealer read of ${pass} events, ${name}: ${median(readTimes[k]).toFixed(1)} ms`);
    const chain = `insert into audit_chain (position, event_id, hash, occurred_at)
      select (select max(position) from audit_chain) + row_number() over (order by id), id, sha256(id::text::bytea), occurred_at from audit_event where id > ${w}`;
    console.log(`chain insert of ${pass} links: ${(await timed(c, chain, r, fresh)).toFixed(1)} ms`);
    console.log(`(the ${pass} events' insert itself, 1 statement: ${(await timed(c, fresh, r)).toFixed(1)} ms)`);

    // 3. The hub's CPU for one sealing pass of `pass` committed events: this tree's sealer, and
    // the one in `--old <tree>` (e.g. a checkout of the commit before), in turn.
    const old = arg('old', '');
    if (old) {
      const knex = require('knex')({ client: 'pg', connection: db.url, pool: { min: 1, max: 1 } });
      const sealers: [string, (k: unknown) => Promise<{ sealed: number }>][] = [
        ['new', require('../../src/trail/audit-sealer').sealOnce],
        ['old', require(path.join(path.resolve(old), 'src/trail/audit-sealer')).sealOnce],
      ];
      await sealers[0][1](knex); // catch up whatever is unsealed
      await sealers[0][1](knex);
      const cpu: Record<string, number[]> = { new: [], old: [] };
      const wall: Record<string, number[]> = { new: [], old: [] };
      for (let i = 0; i < r * 2; i++) {
        for (const [name, seal] of i % 2 ? [...sealers].reverse() : sealers) {
          await c.query(fresh);
          const u = process.cpuUsage();
          const s = process.hrtime.bigint();
          const done = await seal(knex);
          const d = process.cpuUsage(u);
          wall[name].push(Number(process.hrtime.bigint() - s) / 1e6);
          cpu[name].push((d.user + d.system) / 1000);
          if (done.sealed !== pass) throw new Error(`${name} sealed ${done.sealed}`);
        }
      }
      for (const name of ['old', 'new'])
        console.log(
          `sealing pass of ${pass} events, ${name}: hub CPU ${median(cpu[name]).toFixed(1)} ms (${((1000 * median(cpu[name])) / pass).toFixed(1)} µs/event), wall ${median(wall[name]).toFixed(1)} ms`,
        );
      await knex.destroy();
    }
  } finally {
    await c.end().catch(() => undefined);
    await db.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
