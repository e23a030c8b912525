import { readFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { knex as createKnex } from '@mikro-orm/postgresql';
import { verifyTrail } from '../../src/trail/audit-verifier';
import { urlOf } from './bench-db';
import { benchLog as log } from './hub-cli';

/**
 * `verifyTrail` of the whole trail in this process, timed, with the CPU it took: this process's
 * (rows, canonical form, hashing) and the PostgreSQL backends' that served it (the join and
 * COPY's text), read from /proc before the connections close (a local server only). On a shared
 * machine the wall time follows the neighbours; the CPU seconds per 10^6 links do not, and
 * `cores / (CPU per link)` is what the machine's cores would verify if they were free.
 * Run alone: BENCH_DB=<database> CONCURRENCY=4 node -r ./test/support/ts-register.js bench/audit/verify-cpu.ts
 */
const TICKS = 100; // USER_HZ on Linux

async function cpuOf(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / TICKS; // utime, stime
  } catch {
    return Number.NaN; // not on this machine
  }
}

export interface VerifyCpu {
  events: number;
  ms: number;
  nodeCpuS: number;
  dbCpuS: number;
  intact: boolean;
}

export async function verifyWithCpu(url: string, concurrency: number, rangeSize?: number): Promise<VerifyCpu> {
  const k = createKnex({ client: 'pg', connection: url, pool: { min: 0, max: concurrency + 1 } });
  try {
    const cpu0 = process.cpuUsage();
    const t = Date.now();
    const report = await verifyTrail(k, { trustedKeys: [], graceMs: 60_000, concurrency, rangeSize });
    const ms = Date.now() - t;
    const cpu = process.cpuUsage(cpu0);
    const { rows } = (await k.raw('select pid from pg_stat_activity where datname = current_database()')) as { rows: { pid: number }[] };
    const db = (await Promise.all(rows.map((r) => cpuOf(r.pid)))).reduce((a, b) => a + b, 0);
    // Problems other than MONTH_SEAL (no key given here, so seals do not verify) would mean the walk found something.
    const intact = report.problems.every((p) => p.kind === 'MONTH_SEAL');
    return { events: report.eventsChecked, ms, nodeCpuS: (cpu.user + cpu.system) / 1e6, dbCpuS: db, intact };
  } finally {
    await k.destroy();
  }
}

export function describeCpu(r: VerifyCpu, concurrency: number): string {
  const perM = ((r.nodeCpuS + r.dbCpuS) / r.events) * 1e6;
  const cores = availableParallelism();
  return (
    `verify in-process, ${concurrency} connections: ${r.events} links in ${(r.ms / 1000).toFixed(1)} s ` +
    `(${Math.round(r.events / (r.ms / 1000))}/s; links intact: ${r.intact}); CPU ${r.nodeCpuS.toFixed(1)} s hub + ${r.dbCpuS.toFixed(1)} s PostgreSQL ` +
    `= ${perM.toFixed(1)} s per 10^6 links, so about ${Math.round((cores / perM) * 1e6)}/s on ${cores} free cores (load ${loadavg()[0].toFixed(1)})`
  );
}

if (require.main === module) {
  const concurrency = Number(process.env.CONCURRENCY ?? 4);
  verifyWithCpu(urlOf(process.env.BENCH_DB ?? 'bench_audit_scale'), concurrency, process.env.RANGE ? Number(process.env.RANGE) : undefined)
    .then((r) => log(describeCpu(r, concurrency)))
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    });
}
