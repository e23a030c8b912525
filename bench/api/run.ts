import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { signToken } from '../../src/auth/token';
import { BENCH_JWT_SECRET, openBenchDatabase, type BenchDatabase } from './bench-database';
import { node24, startContender, type Running } from './contenders';
import { drive, once, statementsPerRequest, type Measurement } from './load';
import { HelpRequested, UsageError } from '../../src/cli/flags';
import { CONTENDERS, parseOptions, USAGE, type BenchOptions, type ContenderName, type ScenarioName } from './options';
import { ratio, summarise, summaryLine, table, type ScenarioResult } from './report';
import { requestFor, rowsOf } from './scenarios';

/**
 * `npm run bench`: the hub side by side with a raw SQL baseline and PostGraphile, in one run,
 * on one seeded database (docs/bench.md). Seeds, starts the contenders, checks that they
 * return the same rows, counts statements per request, then drives each scenario with
 * autocannon, contenders alternating round by round after a warm-up; prints a table and one
 * line per scenario, and writes the JSON result.
 */
const ROOT = path.resolve(__dirname, '../..');
const say = (line: string) => process.stderr.write(`${line}\n`);

/** PostGraphile (bench/postgraphile) and the Node 24 it runs on (.tools/node24, installed by its script on first use). */
function ensurePostgraphileInstalled(): string {
  if (!existsSync(path.join(ROOT, 'bench/postgraphile/node_modules/postgraphile/package.json'))) {
    say('installing the PostGraphile contender (bench/postgraphile) ...');
    // --engine-strict=false: npm runs on the machine's Node 20, PostGraphile asks for 22 or later (it runs on Node 24).
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error', '--engine-strict=false'], {
      cwd: path.join(ROOT, 'bench/postgraphile'),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  return execFileSync(node24(ROOT), ['--version'], { stdio: ['ignore', 'pipe', 'inherit'] })
    .toString()
    .trim();
}

async function sameRowsCheck(
  running: Running[],
  db: BenchDatabase,
  token: string,
): Promise<Record<ScenarioName, Partial<Record<ContenderName, boolean>>>> {
  const out = { list50: {}, byId: {}, byIdFull: {}, write: {}, mixed: {} } as Record<ScenarioName, Partial<Record<ContenderName, boolean>>>;
  const id = db.ids[Math.floor(db.ids.length / 2)];
  for (const scenario of ['list50', 'byId', 'byIdFull'] as const) {
    const answers = new Map<ContenderName, string>();
    for (const r of running) {
      const res = await once(
        r,
        requestFor(r.name, scenario, db, token)(() => id),
      );
      let rows: string;
      try {
        rows = JSON.stringify(rowsOf(r.name, scenario, res.body));
      } catch {
        rows = `unreadable answer ${res.status}: ${res.body.slice(0, 300)}`;
      }
      answers.set(r.name, rows);
    }
    const reference = answers.get('hub') ?? answers.get('raw') ?? [...answers.values()][0];
    for (const [name, rows] of answers) {
      out[scenario][name] = rows === reference && rows !== '[]';
      // BENCH_ROWS_DIFF=<path prefix>: a mismatch's two answers in full, one a line (to diff them).
      if (!out[scenario][name] && process.env.BENCH_ROWS_DIFF)
        writeFileSync(`${process.env.BENCH_ROWS_DIFF}-${scenario}-${name}.json`, `${rows}\n${reference}\n`);
      if (!out[scenario][name])
        say(
          `WARNING ${scenario}: ${name} does not return the rows the hub returns:\n  ${rows.slice(0, 400)}\n  vs ${reference.slice(0, 400)}`,
        );
    }
  }
  return out;
}

async function countStatements(
  running: Running[],
  db: BenchDatabase,
  token: string,
  opts: BenchOptions,
  results: Partial<Record<ScenarioName, ScenarioResult>>,
) {
  const counts = new Map<string, Awaited<ReturnType<typeof statementsPerRequest>>>();
  for (const r of running) {
    for (const scenario of opts.scenarios) {
      const counted = await statementsPerRequest(r, requestFor(r.name, scenario, db, token), db.ids, opts.countRequests);
      counts.set(`${r.name}/${scenario}`, counted);
      if (counted.errors > 0) say(`WARNING ${r.name}/${scenario}: ${counted.errors} errors in the counting pass`);
    }
    if (opts.scenarios.includes('list50') && results.list50) {
      const bySize: Record<string, number> = {};
      for (const first of [5, 50, 100]) {
        bySize[`first${first}`] = (
          await statementsPerRequest(r, requestFor(r.name, 'list', db, token, first), db.ids, opts.countRequests)
        ).perRequest;
      }
      results.list50.sqlByPageSize![r.name] = bySize;
    }
  }
  return counts;
}

async function load(
  running: Running[],
  db: BenchDatabase,
  token: string,
  opts: BenchOptions,
  scenario: ScenarioName,
): Promise<Map<ContenderName, Measurement[]>> {
  const rounds = new Map<ContenderName, Measurement[]>(running.map((r) => [r.name, []]));
  const factories = new Map(running.map((r) => [r.name, requestFor(r.name, scenario, db, token)]));
  if (opts.warmup > 0) {
    for (const r of running) await drive(r, factories.get(r.name)!, db.ids, opts.connections, opts.warmup);
  }
  for (let round = 0; round < opts.rounds; round++) {
    const order = [...running.slice(round % running.length), ...running.slice(0, round % running.length)];
    for (const r of order) {
      const m = await drive(r, factories.get(r.name)!, db.ids, opts.connections, opts.duration);
      rounds.get(r.name)!.push(m);
      say(
        `  ${scenario} round ${round + 1}/${opts.rounds} ${r.name}: ${Math.round(m.rps)} req/s, p50 ${m.p50} ms, p99 ${m.p99} ms, ` +
          `errors ${m.errors}, CPU ${m.cpuMsPerRequest} ms/request`,
      );
    }
  }
  return rounds;
}

export async function runBench(argv: string[]): Promise<Record<string, unknown>> {
  const opts = parseOptions(argv, ROOT);
  if (!existsSync(path.join(ROOT, 'dist/src/main.js'))) throw new Error('dist/ is missing: run `npm run build` (npm run bench does)');
  const postgraphileNode = opts.contenders.includes('postgraphile') ? ensurePostgraphileInstalled() : null;
  const startedAt = new Date().toISOString();
  const db = await openBenchDatabase(ROOT, opts.returnees, opts.seed, say);
  const running: Running[] = [];
  // Ctrl-C (or a SIGTERM) still stops the contenders and the embedded PostgreSQL.
  const interrupted = (signal: NodeJS.Signals) => {
    say(`${signal}: stopping the contenders and the database`);
    void Promise.all(running.map((r) => r.stop().catch(() => undefined)))
      .then(() => db.close())
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  try {
    say(`${db.ids.length} records in the scope of ${db.caseworker.username}`);
    const token = await signToken(BENCH_JWT_SECRET, db.caseworker.username, 24 * 3600);
    for (const name of opts.contenders) {
      say(`starting ${name} ...`);
      running.push(await startContender(name, ROOT, db));
    }
    const results: Partial<Record<ScenarioName, ScenarioResult>> = {};
    for (const s of opts.scenarios) {
      results[s] = { contenders: {}, ratios: { hubOverPostgraphile: null, hubOverRaw: null, auditOnOverOff: null } };
    }
    if (results.list50) results.list50.sqlByPageSize = {};
    const same = await sameRowsCheck(running, db, token);
    if (results.list50) results.list50.sameRows = same.list50;
    if (results.byId) results.byId.sameRows = same.byId;
    if (results.byIdFull) results.byIdFull.sameRows = same.byIdFull;
    say('counting statements per request ...');
    const counts = await countStatements(running, db, token, opts, results);
    for (const scenario of opts.scenarios) {
      say(
        `${scenario}: ${opts.warmup} s warm-up, then ${opts.rounds} x ${opts.duration} s per contender at ${opts.connections} connections`,
      );
      const rounds = await load(running, db, token, opts, scenario);
      const s = results[scenario]!;
      for (const r of running) {
        const c = counts.get(`${r.name}/${scenario}`);
        s.contenders[r.name] = summarise(
          rounds.get(r.name)!,
          c?.perRequest ?? null,
          c?.statements.filter((st) => st.perRequest >= 0.5),
        );
      }
      s.ratios = {
        hubOverPostgraphile: ratio(s.contenders.hub, s.contenders.postgraphile),
        hubOverRaw: ratio(s.contenders.hub, s.contenders.raw),
        auditOnOverOff: ratio(s.contenders.hub, s.contenders.hubAuditOff),
      };
    }
    const result = {
      startedAt,
      finishedAt: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        memoryGiB: Math.round(os.totalmem() / 2 ** 30),
        loadAverage: os.loadavg().map((l) => Math.round(l * 10) / 10),
      },
      runtimes: { hub: process.version, postgraphile: postgraphileNode },
      options: { ...opts, out: path.relative(ROOT, opts.out) },
      database: db.where,
      data: { returnees: opts.returnees, inScope: db.ids.length, caseworker: db.caseworker.username },
      contenders: CONTENDERS.filter((c) => opts.contenders.includes(c)),
      scenarios: results,
      summary: opts.scenarios.map((s) => summaryLine(s, results[s]!)),
    };
    await mkdir(path.dirname(opts.out), { recursive: true });
    await writeFile(opts.out, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`\n${table(results)}\n\n${result.summary.join('\n')}\n\nresult: ${path.relative(process.cwd(), opts.out)}\n`);
    return result;
  } finally {
    process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
    await Promise.all(running.map((r) => r.stop().catch(() => undefined)));
    await db.close();
  }
}

if (require.main === module) {
  runBench(process.argv.slice(2)).catch((error: unknown) => {
    if (error instanceof HelpRequested) {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    if (error instanceof UsageError) {
      process.stderr.write(`bench: ${error.message}\n${USAGE}\n`);
      process.exit(2);
    }
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
