import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import path from 'node:path';
import { knex as createKnex } from '@mikro-orm/postgresql';
import { sealAll } from '../../src/trail/audit-sealer';
import { verifyTrail } from '../../src/trail/audit-verifier';
import { createDb, dropDb, sql } from './bench-db';

/**
 * Audit events/s with 1 and 4 writer processes (each a hub's recorder with 64, 8 or 1 requests in
 * flight, IN_FLIGHT_LIST, each waiting for its event to be durable), with each process's sealer on (every 500 ms, as
 * served) and off (to see what sealing costs). Afterwards: seal lag (event -> sealed) and a
 * verification of the trail they left. Run: npm run bench:audit-throughput (SECONDS=10 per run)
 */
const SECONDS = Number(process.env.SECONDS ?? 10);
const ROOT = path.resolve(__dirname, '../..');

async function runWriters(url: string, writers: number, inFlight: number, sealMs: number): Promise<number> {
  const env = {
    ...process.env,
    DATABASE_URL: url,
    NODE_ENV: 'test',
    HUB_JWT_SECRET: 'bench-secret-that-is-at-least-32-characters',
    LOG_LEVEL: 'warn',
    SECONDS: String(SECONDS),
    IN_FLIGHT: String(inFlight),
    HUB_AUDIT_SEAL_INTERVAL_MS: String(sealMs),
    HUB_DATA_DIR: path.join(ROOT, '.hub-data'),
  };
  const procs = Array.from({ length: writers }, () =>
    spawn(process.execPath, ['-r', './test/support/ts-register.js', './bench/audit/audit-writer.ts'], {
      cwd: ROOT,
      env,
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  );
  const lines = procs.map((p) => {
    let buf = '';
    const waiters: ((l: string) => void)[] = [];
    p.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        waiters.shift()?.(line);
      }
    });
    return () => new Promise<string>((resolve) => waiters.push(resolve));
  });
  const ready = lines.map((next) => next());
  await Promise.all(ready);
  const results = lines.map((next) => next());
  for (const p of procs) p.stdin!.write('go\n');
  const done = (await Promise.all(results)).map((l) => JSON.parse(l) as { events: number; ms: number });
  await Promise.all(procs.map((p) => new Promise((r) => p.once('exit', r))));
  return done.reduce((n, d) => n + d.events, 0) / (Math.max(...done.map((d) => d.ms)) / 1000);
}

async function sealLag(url: string): Promise<{ p50: number; p99: number; max: number }> {
  const [r] = await sql<{ p50: number; p99: number; max: number }>(
    url,
    `select
      percentile_cont(0.5) within group (order by lag) as p50, percentile_cont(0.99) within group (order by lag) as p99, max(lag) as max
    from (select extract(epoch from s.sealed_at - e.occurred_at) * 1000 as lag from audit_chain c
      join audit_event e on e.id = c.event_id join audit_seal s on c.position between s.first_position and s.last_position) t`,
  );
  return { p50: Math.round(r.p50), p99: Math.round(r.p99), max: Math.round(r.max) };
}

async function once(writers: number, inFlight: number, seal: boolean): Promise<string> {
  const name = `bench_audit_${writers}w_${inFlight}f_${seal ? 'seal' : 'noseal'}`;
  const url = await createDb(name);
  try {
    const rate = await runWriters(url, writers, inFlight, seal ? 500 : 0);
    const knex = createKnex({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
    try {
      const sealedAfter = await sealAll(knex, { wait: true });
      const report = await verifyTrail(knex, { trustedKeys: [], graceMs: 600_000 });
      const lag = seal ? await sealLag(url) : undefined;
      return `| ${writers} | ${inFlight} | ${seal ? 'on' : 'off'} | ${Math.round(rate)} | ${lag ? `${lag.p50} / ${lag.p99} / ${lag.max}` : '-'} | ${sealedAfter.sealed} | ${report.intact ? 'intact' : 'NOT intact'} (${report.eventsChecked}) |`;
    } finally {
      await knex.destroy();
    }
  } finally {
    await dropDb(name);
  }
}

async function main(): Promise<void> {
  const rows = [
    '| writer processes | in flight each | sealers | events/s | seal lag ms p50 / p99 / max | left to seal at end | verification |',
    '|---|---|---|---|---|---|---|',
  ];
  process.stderr.write(
    `load average before: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}\n`,
  );
  for (const inFlight of (process.env.IN_FLIGHT_LIST ?? '64,8,1').split(',').map(Number)) {
    for (const writers of [1, 4]) {
      for (const seal of [true, false]) {
        rows.push(await once(writers, inFlight, seal));
        process.stderr.write(`${rows.at(-1)}\n`);
      }
    }
  }
  process.stdout.write(`${rows.join('\n')}\n`);
  process.stderr.write(
    `load average after: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
