import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createDb, dropDb, sql } from './bench-db';
import { fillEvents } from './fill-events';

/**
 * Scale: `hub audit seal` and `hub audit verify` (cold: first read after the load; warm) on the
 * ~1.1 * 10^6 events of a 10^5-returnee seed, then (STAGE=10m) the trail grown to 10^7 for the
 * auditEvents latency bench (bench/audit/audit-latency.ts); KEEP=1 keeps the database.
 * BENCH_TEMPLATE names an already seeded, unsealed database to copy instead of seeding again.
 * Run: node -r ./test/support/ts-register.js bench/audit/audit-scale.ts
 */
const ROOT = path.resolve(__dirname, '../..');
const NAME = process.env.BENCH_DB ?? 'bench_audit_scale';
const run = promisify(execFile);
const log = (m: string) => process.stderr.write(`${new Date().toISOString()} ${m}\n`);

async function hub(url: string, ...args: string[]): Promise<{ stdout: string; ms: number }> {
  const env = { ...process.env, DATABASE_URL: url, NODE_ENV: 'test', HUB_JWT_SECRET: 'bench-secret-that-is-at-least-32-characters',
    LOG_LEVEL: 'warn', HUB_DATA_DIR: path.join(ROOT, '.hub-data') };
  const t = Date.now();
  const { stdout } = await run(process.execPath, ['-r', './test/support/ts-register.js', './src/cli.ts', ...args],
    { cwd: ROOT, env, maxBuffer: 1 << 26 });
  return { stdout, ms: Date.now() - t };
}

async function sealAndVerify(url: string, label: string): Promise<void> {
  const seal = await hub(url, 'audit', 'seal');
  const sealed = Number(/sealed (\d+)/.exec(seal.stdout)?.[1]);
  log(`${label}: ${seal.stdout.trim()} in ${(seal.ms / 1000).toFixed(1)} s (${Math.round(sealed / (seal.ms / 1000))} events/s incl. CLI start)`);
  for (const pass of ['cold', 'warm']) {
    const verify = await hub(url, 'audit', 'verify');
    log(`${label} verify (${pass}): ${verify.stdout.trim()} [CLI wall ${(verify.ms / 1000).toFixed(1)} s]`);
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
    if (process.env.STAGE === '10m') {
      await fillEvents(url, 9_000_000, { rebuildIndexes: true, log });
      await sealAndVerify(url, '10^7');
    }
  } finally {
    if (process.env.KEEP !== '1') await dropDb(NAME);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
