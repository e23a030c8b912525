import pino from 'pino';
import { AuditRecorder } from '../../src/trail/audit-recorder';
import { migrate, openOrm } from '../../src/db/orm';
import { seedDatabase, type SeedResult } from '../../src/seed/seed';
import { createDb, sql } from '../audit/bench-db';

/**
 * A scratch database on the bench server (BENCH_DATABASE_URL, default the local PostgreSQL),
 * migrated and seeded with planted duplicates: what `npm run dedup:eval` and `dedup:bench` measure.
 */
export async function seededDatabase(
  name: string,
  returnees: number,
  seed: number,
  duplicateRate?: number,
): Promise<{ url: string; result: SeedResult; seconds: number }> {
  const url = await createDb(name);
  const orm = await openOrm(url);
  try {
    await migrate(orm);
    const started = Date.now();
    const result = await seedDatabase(orm.em.fork(), new AuditRecorder(orm.em.fork(), pino({ level: 'silent' })), {
      returnees,
      seed,
      duplicateRate,
    });
    // What autovacuum does soon after a bulk load: statistics, and the GIN indexes' pending lists
    // merged (searching a long pending list cost 7 ms of a 8 ms check at 4,000 rows).
    await sql(url, 'vacuum analyze');
    return { url, result, seconds: (Date.now() - started) / 1000 };
  } finally {
    await orm.close(true);
  }
}

/** `--name value` flags of a bench script. */
export function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value)) throw new Error(`--${name} must be a number`);
  return value;
}
