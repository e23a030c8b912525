import { createDb, dropDb, evictFromOsCache, sql } from './bench-db';
import { fillEvents } from './fill-events';
import { benchLog as log, buildDist, builtHubPeakRss, hubCli as hub } from './hub-cli';

/**
 * Scale: `hub audit seal` and `hub audit verify` (cold: the database's files dropped from the OS
 * page cache first, PostgreSQL's 128 MB of shared buffers aside; warm: right after) on the
 * ~1.1 * 10^6 events of a 10^5-returnee seed, then (STAGE=10m) the trail grown to 10^7 for the
 * auditEvents latency bench (bench/audit/audit-latency.ts); at each size also `hub audit export` of the
 * whole trail with its peak memory. KEEP=1 keeps the database.
 * BENCH_TEMPLATE names an already seeded, unsealed database to copy instead of seeding again.
 * Run: npm run bench:audit-scale (node -r ./test/support/ts-register.js bench/audit/audit-scale.ts)
 */
const NAME = process.env.BENCH_DB ?? 'bench_audit_scale';

async function sealAndVerify(url: string, label: string, passes = ['cold', 'warm']): Promise<void> {
  const seal = await hub(url, 'audit', 'seal');
  const sealed = Number(/sealed (\d+)/.exec(seal.stdout)?.[1]);
  log(
    `${label}: ${seal.stdout.trim()} in ${(seal.ms / 1000).toFixed(1)} s (${Math.round(sealed / (seal.ms / 1000))} events/s incl. CLI start)`,
  );
  for (const pass of passes) {
    if (pass === 'cold' && !(await evictFromOsCache(url)))
      log('cannot reach the data directory: "cold" is only the first read after the load');
    const verify = await hub(url, 'audit', 'verify');
    log(`${label} verify (${pass}): ${verify.stdout.trim()} [CLI wall ${(verify.ms / 1000).toFixed(1)} s]`);
  }
}

/** `hub audit export` (built) of the whole trail to /dev/null: rate and peak memory (constant whatever the size). */
async function exportAll(url: string, label: string, formats = ['jsonl', 'csv']): Promise<void> {
  await buildDist();
  for (const format of formats) {
    const r = await builtHubPeakRss(
      url,
      'audit',
      'export',
      '--from',
      '2000-01-01',
      '--to',
      '2100-01-01',
      '--format',
      format,
      '--out',
      '/dev/null',
    );
    const n = Number(/exported (\d+) events/.exec(r.stderr)?.[1]);
    log(
      `${label} export ${format}: ${n} events in ${(r.ms / 1000).toFixed(1)} s (${Math.round(n / (r.ms / 1000))} events/s incl. CLI start), peak RSS ${r.peakMb} MB`,
    );
  }
}

async function main(): Promise<void> {
  const url = await createDb(NAME, process.env.BENCH_TEMPLATE);
  try {
    if (!process.env.BENCH_TEMPLATE) {
      const seeded = await hub(url, 'seed', '--returnees', process.env.RETURNEES ?? '100000');
      log(`seeded in ${(seeded.ms / 1000).toFixed(1)} s: ${seeded.stdout.split('\n')[0]}`);
    }
    const [{ n }] = await sql<{ n: string }>(url, 'select count(*) as n from audit_event');
    if (Number(n) < 1_000_000) await fillEvents(url, 1_000_000 - Number(n), { log });
    await sql(url, 'analyze');
    await sealAndVerify(url, '10^6');
    await exportAll(url, '10^6');
    if (process.env.STAGE === '10m') {
      await fillEvents(url, 9_000_000, { rebuildIndexes: true, log });
      await sealAndVerify(url, '10^7', ['cold']);
      await exportAll(url, '10^7', ['jsonl']);
    }
  } finally {
    if (process.env.KEEP !== '1') await dropDb(NAME);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
