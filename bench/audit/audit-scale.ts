import { execFile } from 'node:child_process';
import { rm, stat } from 'node:fs/promises';
import { loadavg } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { knex as createKnex } from '@mikro-orm/postgresql';
import { streamMonth } from '../../src/trail/audit-stream-walk';
import { createDb, dropDb, evictFromOsCache, sql } from './bench-db';
import { fillEvents } from './fill-events';
import { describeCpu, verifyWithCpu } from './verify-cpu';
import { benchEnv, benchLog as log, buildDist, builtHubPeakRss, hubCli as hub, ROOT } from './hub-cli';

/**
 * Scale of the partitioned trail (docs/audit.md, "Measured: the trail at scale"): a seed of
 * RETURNEES (default 10^5) returnees grown to EVENTS events (default 10^6; the full run is
 * EVENTS=20000000) with the set-based bench fill (bench/audit/fill-events.ts, 10^7 events a
 * year, so about 830,000 a month), then
 *   - fill rate; sealing rate (`hub audit seal`, from nothing);
 *   - `hub audit verify` of the whole trail (ranges of every month in parallel), cold and warm,
 *     then in-process with the CPU it took per 10^6 links (verify-cpu.ts), and each closed month
 *     on its own (one connection, one range, streamed: audit-stream-walk.ts);
 *   - disk per 10^6 events (events, chain and their indexes);
 *   - `hub audit archive --month` of the largest closed month, `hub audit verify --archive` of
 *     the file (offline), and `--detach` (HUB_AUDIT_RETENTION_MONTHS=1), then verify again;
 *   - with LATENCY=1, `auditEvents` p50/p99 by the latency bench (REQUESTS per case, default 50);
 *   - the 10^8 figures derived from the per-month costs.
 * KEEP=1 keeps the database (BENCH_DB, default bench_audit_scale). The machine's load average is
 * logged with each step: on a shared machine, treat the rates as lower bounds.
 * Run: npm run bench:audit-scale (node -r ./test/support/ts-register.js bench/audit/audit-scale.ts)
 */
const NAME = process.env.BENCH_DB ?? 'bench_audit_scale';
const EVENTS = Number(process.env.EVENTS ?? 1_000_000);
const run = promisify(execFile);
const load = () => `load ${loadavg()[0].toFixed(1)}`;
const rate = (n: number, ms: number) => Math.round(n / (ms / 1000));
const derived: [string, string][] = [];

interface MonthRow {
  month: string;
  events: number;
}

async function closedMonths(url: string): Promise<MonthRow[]> {
  return (
    await sql<{ month: string; events: string }>(
      url,
      `select to_char(month, 'YYYY-MM') as month, event_count::text as events from audit_month_seal where event_count > 0 order by month`,
    )
  ).map((r) => ({ month: r.month, events: Number(r.events) }));
}

async function sealAndVerify(url: string, events: number): Promise<void> {
  const seal = await hub(url, 'audit', 'seal');
  log(`seal: ${seal.stdout.trim()} in ${(seal.ms / 1000).toFixed(1)} s (${rate(events, seal.ms)} events/s incl. CLI start; ${load()})`);
  derived.push(['sealing 10^8 events (one sealer)', `${(1e8 / rate(events, seal.ms) / 3600).toFixed(1)} h`]);
  await sql(url, 'analyze');
  for (const pass of ['cold', 'warm']) {
    if (pass === 'cold' && !(await evictFromOsCache(url)))
      log('cannot reach the data directory: "cold" is only the first read after the load');
    const verify = await hub(url, 'audit', 'verify', '--no-external');
    log(`verify (${pass}): ${verify.stdout.trim().slice(0, 160)} [CLI wall ${(verify.ms / 1000).toFixed(1)} s; ${load()}]`);
  }
  // In-process, with the CPU it took (hub and PostgreSQL): the figure the neighbours' load does not move.
  for (const connections of [2, 4]) log(describeCpu(await verifyWithCpu(url, connections), connections));
}

/** Each closed month verified alone on one connection: the per-month cost that the 10^8 figures scale from. */
async function perMonth(url: string, months: MonthRow[]): Promise<number> {
  const k = createKnex({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
  let perEvent = 0;
  try {
    for (const m of months) {
      const t = Date.now();
      const walk = await streamMonth(k, m.month, []);
      const ms = Date.now() - t;
      log(
        `verify month ${m.month}: ${walk.checked} links in ${(ms / 1000).toFixed(1)} s (${rate(walk.checked, ms)}/s, one connection; ${walk.problems.length} problems; ${load()})`,
      );
      perEvent = Math.max(perEvent, ms / walk.checked);
    }
  } finally {
    await k.destroy();
  }
  return perEvent;
}

async function disk(url: string, events: number): Promise<void> {
  const [r] = await sql<{ event: string; chain: string }>(
    url,
    `select (select sum(pg_total_relation_size(inhrelid)) from pg_inherits where inhparent = 'audit_event'::regclass)::text as event,
            (select sum(pg_total_relation_size(inhrelid)) from pg_inherits where inhparent = 'audit_chain'::regclass)::text as chain`,
  );
  const perEvent = (bytes: string) => Number(bytes) / events; // bytes per event
  log(
    `disk per 10^6 events: audit_event ${perEvent(r.event).toFixed(0)} MB, audit_chain ${perEvent(r.chain).toFixed(0)} MB (with their indexes)`,
  );
  derived.push([
    'disk for 10^8 events (events + chain + indexes)',
    `${(((perEvent(r.event) + perEvent(r.chain)) * 1e8) / 1e9).toFixed(0)} GB`,
  ]);
}

async function archiveAndDetach(url: string, month: MonthRow): Promise<void> {
  const file = path.join(ROOT, `.hub-data/bench-archive-${month.month}.jsonl.gz`);
  await rm(file, { force: true });
  const env = (extra: Record<string, string>) => ({ ...benchEnv(url), ...extra });
  const cli = ['-r', './test/support/ts-register.js', './src/cli.ts', 'audit'];
  let t = Date.now();
  const archived = await run(process.execPath, [...cli, 'archive', '--month', month.month, '--out', file], { cwd: ROOT, env: env({}) });
  const archiveMs = Date.now() - t;
  log(
    `archive ${month.month}: ${archived.stdout.trim()} [CLI wall ${(archiveMs / 1000).toFixed(1)} s, ${(await stat(file)).size} bytes; ${load()}]`,
  );
  t = Date.now();
  const offline = await run(process.execPath, [...cli, 'verify', '--archive', file], {
    cwd: ROOT,
    env: env({ DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' }),
  });
  log(`verify --archive (offline): ${offline.stdout.trim()} [CLI wall ${((Date.now() - t) / 1000).toFixed(1)} s]`);
  // The events of the archive above, sealed: a month holding the chain's newest links is not detached (Migration20261223000100).
  await hub(url, 'audit', 'seal');
  const detachFile = `${file}.2`;
  await rm(detachFile, { force: true });
  t = Date.now();
  const detached = await run(process.execPath, [...cli, 'archive', '--month', month.month, '--out', detachFile, '--detach'], {
    cwd: ROOT,
    env: env({ HUB_AUDIT_RETENTION_MONTHS: '1' }),
  });
  log(
    `archive --detach ${month.month}: ${detached.stdout.trim().replace(/\n/g, ' | ')} [CLI wall ${((Date.now() - t) / 1000).toFixed(1)} s]`,
  );
  derived.push([
    'archive of a month of 10^8 / 120 events (gzip JSON Lines)',
    `${(((archiveMs / month.events) * (1e8 / 120)) / 1000).toFixed(0)} s`,
  ]);
  await hub(url, 'audit', 'seal');
  const after = await hub(url, 'audit', 'verify', '--no-external').catch((e: { stdout: string }) => ({ stdout: e.stdout, ms: 0 }));
  log(`verify after detach: ${after.stdout.trim().slice(0, 400)}`);
  await rm(file, { force: true });
  await rm(detachFile, { force: true });
}

async function main(): Promise<void> {
  log(`bench:audit-scale at ${EVENTS} events (${load()}, 2 cores shared with other work)`);
  const url = await createDb(NAME, process.env.BENCH_TEMPLATE);
  try {
    if (!process.env.BENCH_TEMPLATE) {
      const seeded = await hub(url, 'seed', '--returnees', process.env.RETURNEES ?? '100000');
      log(`seeded in ${(seeded.ms / 1000).toFixed(1)} s: ${seeded.stdout.split('\n')[0]}`);
    }
    const [{ n }] = await sql<{ n: string }>(url, 'select count(*) as n from audit_event');
    const t = Date.now();
    const fill = EVENTS - Number(n);
    if (fill > 0) await fillEvents(url, fill, { rebuildIndexes: fill > 5_000_000, log });
    log(`fill: ${fill} events in ${((Date.now() - t) / 1000).toFixed(1)} s (${rate(fill, Date.now() - t)} events/s, set-based; ${load()})`);
    await sealAndVerify(url, EVENTS);
    const months = await closedMonths(url);
    const perEvent = await perMonth(url, months);
    derived.push(['verify 10^8 events, one connection', `${((perEvent * 1e8) / 3600 / 1000).toFixed(1)} h`]);
    derived.push([
      'verify 10^8 events, 8 connections on 8 free cores (months in parallel)',
      `${((perEvent * 1e8) / 8 / 60 / 1000).toFixed(0)} min`,
    ]);
    await disk(url, EVENTS);
    if (process.env.EXPORT === '1') {
      await buildDist();
      const r = await builtHubPeakRss(url, 'audit', 'export', '--from', '2000-01-01', '--to', '2100-01-01', '--out', '/dev/null');
      log(`export jsonl: ${r.stderr.trim()} in ${(r.ms / 1000).toFixed(1)} s, peak RSS ${r.peakMb} MB`);
    }
    const largest = [...months].sort((a, b) => b.events - a.events)[0];
    if (largest) await archiveAndDetach(url, largest);
    if (process.env.LATENCY === '1') {
      const r = await run(process.execPath, ['-r', './test/support/ts-register.js', 'bench/audit/audit-latency.ts'], {
        cwd: ROOT,
        env: { ...process.env, BENCH_DB: NAME, REQUESTS: process.env.REQUESTS ?? '50', WARMUP: '5' },
        maxBuffer: 1 << 26,
      });
      log(`auditEvents latency:\n${r.stdout}${r.stderr}`);
    }
    log(`derived for 10^8 events (from the per-month costs above, this machine):\n${derived.map(([k, v]) => `  ${k}: ${v}`).join('\n')}`);
  } finally {
    if (process.env.KEEP !== '1') await dropDb(NAME);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
