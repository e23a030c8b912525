import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'pg';
import pino from 'pino';
import { signToken } from '../../src/auth/token';
import { parseFlags } from '../../src/cli/flags';
import { startEmbeddedPostgres } from '../../src/db/embedded';
import { freePort } from '../../src/db/free-port';
import { BENCH_JWT_SECRET, CASEWORKER } from './bench-database';
import { installBenchSql } from './bench-sql';
import { isErrorResponse, requestFor } from './scenarios';

/**
 * `npm run bench:explain -- [--returnees N] [--dir DIR] [--ids N] [--plans DIR]`:
 * the PostgreSQL side of the bench's reads, which throughput on a shared machine hides. Seeds a
 * database as `npm run bench` does (once: the embedded cluster in DIR is kept for the next run),
 * starts the hub from src/ with every statement it sends captured (sql-capture.js), asks it the
 * bench's byId, byIdFull and list50 as the HEALTH caseworker, then EXPLAINs (ANALYZE, BUFFERS) the
 * read statement of each exactly as sent, for N records of the caseworker's scope (the record's
 * id swapped in), and prints the median planning and execution times. `--plans DIR` writes each plan.
 */
const ROOT = path.resolve(__dirname, '../..');
const SCENARIOS = ['byId', 'byIdFull', 'list50'] as const;
const say = (line: string) => process.stderr.write(`${line}\n`);

async function query<T = Record<string, unknown>>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, values)).rows as T[];
  } finally {
    await c.end();
  }
}

function run(args: string[], env: Record<string, string>): Promise<void> {
  const child = spawn(process.execPath, ['-r', './test/support/ts-register.js', ...args], { cwd: ROOT, env, stdio: 'inherit' });
  return new Promise((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')}: exit ${code}`)))),
  );
}

async function main(): Promise<void> {
  const { values: v } = parseFlags(process.argv.slice(2), {
    returnees: { type: 'string' },
    dir: { type: 'string' },
    ids: { type: 'string' },
    plans: { type: 'string' },
  } as const);
  const returnees = Number(v.returnees ?? 10_000);
  const dir = path.resolve(v.dir ?? `/tmp/hub-explain-${returnees}`);
  const idCount = Number(v.ids ?? 20);
  await mkdir(dir, { recursive: true });
  await chmod(dir, 0o755);
  const db = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), log: pino({ level: 'silent' }), stopOnSignal: false });
  const baseEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TMPDIR: process.env.TMPDIR ?? '' };
  const hubEnv = { ...baseEnv, DATABASE_URL: db.url, HUB_JWT_SECRET: BENCH_JWT_SECRET, HUB_DATA_DIR: dir, LOG_LEVEL: 'warn' };
  let hub: ReturnType<typeof spawn> | undefined;
  try {
    if (!existsSync(path.join(dir, 'seeded'))) {
      say(`seeding ${returnees} returnees in ${dir} ...`);
      await run(['src/cli.ts', 'seed', '--returnees', String(returnees), '--seed', '1'], { ...hubEnv, NODE_ENV: 'production' });
      await query(db.url, 'vacuum analyze');
      await installBenchSql(db.url);
      await writeFile(path.join(dir, 'seeded'), `${returnees}\n`);
    }
    const [who] = await query<{ agency_id: string }>(db.url, 'select agency_id from staff_member where username = $1', [CASEWORKER]);
    const ids = (await query<{ id: string }>(db.url, 'select id from bench.caseworker_returnees($1)', [who.agency_id])).map((r) => r.id);
    const picked = Array.from({ length: idCount }, (_, i) => ids[Math.floor(((i + 0.5) * ids.length) / idCount)]);
    const id = picked[Math.floor(idCount / 2)];

    // The hub from the sources, every statement it sends appended to the capture file.
    const capture = path.join(dir, 'capture.jsonl');
    const port = await freePort();
    hub = spawn(process.execPath, ['-r', './bench/api/sql-capture.js', '-r', './test/support/ts-register.js', 'src/main.ts'], {
      cwd: ROOT,
      env: { ...hubEnv, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', SQL_CAPTURE_FILE: capture },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const url = `http://127.0.0.1:${port}`;
    for (let ready = false; !ready;) {
      if (hub.exitCode !== null) throw new Error(`the hub exited with code ${hub.exitCode}`);
      ready = await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (!ready) await new Promise((r) => setTimeout(r, 200));
    }
    const token = await signToken(BENCH_JWT_SECRET, CASEWORKER, 3600);
    const bench = { caseworker: { username: CASEWORKER, staffId: '', agencyId: who.agency_id }, ids } as never;
    const statements = new Map<string, { text: string; values: unknown[] }>();
    for (const scenario of SCENARIOS) {
      const spec = requestFor('hub', scenario, bench, token)(() => id);
      await fetch(`${url}${spec.path}`, { method: spec.method, headers: spec.headers, body: spec.body }); // warm (actor cache)
      await rm(capture, { force: true });
      const res = await fetch(`${url}${spec.path}`, { method: spec.method, headers: spec.headers, body: spec.body });
      const body = await res.text();
      if (isErrorResponse(res.status, body)) throw new Error(`${scenario}: ${res.status} ${body.slice(0, 400)}`);
      await new Promise((r) => setTimeout(r, 300)); // the audit group commit
      const sent = (await readFile(capture, 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { text: string; values: unknown[] });
      const read = sent.find((s) => /^select r\.id, r\.case_number/.test(s.text));
      if (!read) throw new Error(`${scenario}: no read statement among ${sent.length}`);
      statements.set(scenario, read);
    }
    hub.kill('SIGTERM');
    await new Promise((r) => hub!.once('exit', r));
    hub = undefined;

    if (v.plans) await mkdir(v.plans, { recursive: true });
    const c = new Client({ connectionString: db.url });
    await c.connect();
    try {
      for (const [scenario, s] of statements) {
        const times: number[] = [];
        const planning: number[] = [];
        let plan = '';
        const timed = (text: string) => {
          times.push(Number(/Execution Time: ([\d.]+) ms/.exec(text)?.[1]));
          planning.push(Number(/Planning Time: ([\d.]+) ms/.exec(text)?.[1]));
        };
        for (const pass of [0, 1]) {
          for (const other of scenario === 'list50' ? [id] : picked) {
            const values = s.values.map((x) => (x === id ? other : x));
            const rows = (await c.query(`explain (analyze, buffers) ${s.text}`, values)).rows as { 'QUERY PLAN': string }[];
            plan = rows.map((r) => r['QUERY PLAN']).join('\n');
            if (pass === 1) timed(plan);
          }
          if (scenario === 'list50')
            for (let i = 0; i < 19 && pass === 1; i++) {
              const rows = (await c.query(`explain (analyze, buffers) ${s.text}`, s.values)).rows as { 'QUERY PLAN': string }[];
              timed(rows.map((r) => r['QUERY PLAN']).join('\n'));
            }
        }
        const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)].toFixed(3);
        const subplans = (plan.match(/SubPlan \d+/g) ?? []).length;
        console.log(
          `${scenario}: planning median ${median(planning)} ms, execution median ${median(times)} ms, ` +
            `sum median ${median(times.map((t, i) => t + planning[i]))} ms over ${times.length}; ` +
            `${s.text.length} chars, ${s.values.length} parameters, ${subplans} subplans in the plan`,
        );
        // The same statement sent as the hub sends it, unnamed (planned on every request) and named
        // (a prepared statement: PostgreSQL may keep a plan per connection), interleaved, wall time
        // of the round trip on one connection.
        const rounds = { unnamed: [] as number[], named: [] as number[] };
        const name = `explain_${scenario}`;
        for (let i = 0; i < 10 * picked.length; i++) {
          const other = scenario === 'list50' ? id : picked[i % picked.length];
          const values = s.values.map((x) => (x === id ? other : x));
          for (const kind of i % 2 ? (['named', 'unnamed'] as const) : (['unnamed', 'named'] as const)) {
            const t0 = process.hrtime.bigint();
            await c.query(kind === 'named' ? { name, text: s.text, values } : { text: s.text, values });
            rounds[kind].push(Number(process.hrtime.bigint() - t0) / 1e6);
          }
        }
        const generic = (await c.query(`select generic_plans, custom_plans from pg_prepared_statements where name = $1`, [name])).rows[0];
        console.log(
          `${scenario}: round trip unnamed median ${median(rounds.unnamed)} ms, named median ${median(rounds.named)} ms ` +
            `(${rounds.named.length} each; the named one ran ${generic?.generic_plans ?? '?'} generic and ${generic?.custom_plans ?? '?'} custom plans)`,
        );
        if (v.plans) {
          await writeFile(path.join(v.plans, `${scenario}.sql`), `${s.text};\n-- ${JSON.stringify(s.values)}\n`);
          await writeFile(path.join(v.plans, `${scenario}.plan`), `${plan}\n`);
        }
      }
    } finally {
      await c.end();
    }
  } finally {
    if (hub && hub.exitCode === null) hub.kill('SIGKILL');
    await db.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`explain-reads: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
