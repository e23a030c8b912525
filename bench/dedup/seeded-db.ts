import pino from 'pino';
import { AuditRecorder } from '../../src/trail/audit-recorder';
import { migrate, openOrm } from '../../src/db/orm';
import { seedDatabase, type SeedResult } from '../../src/seed/seed';
import { createDb, SERVER_URL, sql, urlOf } from '../audit/bench-db';

/**
 * A scratch database on the bench server (BENCH_DATABASE_URL, default the local PostgreSQL),
 * migrated and seeded with planted duplicates: what `npm run dedup:eval` and `dedup:bench` measure.
 */
export async function seededDatabase(
  name: string,
  returnees: number,
  seed: number,
  duplicateRate?: number,
): Promise<{ url: string; result: SeedResult; seconds: number }>;
/** With `keep`: `result` null when an earlier run's database was reused. */
export async function seededDatabase(
  name: string,
  returnees: number,
  seed: number,
  duplicateRate: number | undefined,
  keep: boolean,
): Promise<{ url: string; result: SeedResult | null; seconds: number }>;
export async function seededDatabase(
  name: string,
  returnees: number,
  seed: number,
  duplicateRate?: number,
  keep = false,
): Promise<{ url: string; result: SeedResult | null; seconds: number }> {
  const marker = `seeded ${returnees} ${seed} ${duplicateRate ?? ''}`;
  if (keep && (await seededBefore(name, marker))) {
    // Kept from an earlier `--keep` run with the same flags: only the migrations added since.
    const url = urlOf(name);
    const orm = await openOrm(url);
    try {
      await migrate(orm);
      await sql(url, 'analyze');
      return { url, result: null, seconds: 0 };
    } finally {
      await orm.close(true);
    }
  }
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
    if (keep) await sql(url, `comment on database ${name} is '${marker}'`);
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

/** Whether database `name` exists and was seeded to completion with `marker` (its comment). */
async function seededBefore(name: string, marker: string): Promise<boolean> {
  const rows = await sql<{ comment: string | null }>(
    SERVER_URL,
    "select shobj_description(oid, 'pg_database') as comment from pg_database where datname = $1",
    [name],
  );
  return rows[0]?.comment === marker;
}

/** `--keep`: seed into a database named after the flags and keep it, or reuse it when a run left it. */
export function keepFlag(): boolean {
  return process.argv.includes('--keep');
}
