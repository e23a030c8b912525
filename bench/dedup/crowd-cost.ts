import 'reflect-metadata';
import { Client } from 'pg';
import { migrate, openOrm } from '../../src/db/orm';
import { fillAllStaleKeys } from '../../src/dedup/name-key-store';
import { fillAllStalePairs, fillStalePairs, markAllPairsStale } from '../../src/dedup/pair-store';

/**
 * The cost of the review pairs (src/dedup/pair-store.ts) when N records of one name and date of
 * birth sit in K agencies, so every record has N-1 candidate links and every pair scores as a
 * duplicate: the worst case of the pair store, and what the tests' database looked like when
 * every fixture was "Aigerim Nurlanovna". Prints the time of single batches of fixed sizes, then
 * of the whole fill in adaptive batches (the longest statement is what a request or the
 * statement timeout meets).
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres N=2000 K=400 \
 *     node -r ./test/support/ts-register.js bench/dedup/crowd-cost.ts
 *
 * A scratch database is created on that server and dropped (KEEP=1 keeps it). STALE_STATS=1
 * turns autovacuum off on the tables first, so the planner keeps the statistics of empty
 * tables, as in a database that grew faster than autovacuum analysed it.
 */
const TABLES = ['agency', 'returnee', 'returnee_name_key', 'name_key_term', 'duplicate_pair'];

async function main(): Promise<void> {
  const n = Number(process.env.N ?? 2000);
  const k = Number(process.env.K ?? 400);
  const admin = new URL(process.env.DATABASE_URL!);
  const name = `crowd_cost_${Date.now()}`;
  const c = new Client({ connectionString: admin.toString() });
  await c.connect();
  await c.query(`create database ${name}`);
  const u = new URL(admin.toString());
  u.pathname = `/${name}`;
  try {
    const orm = await openOrm(u.toString());
    await migrate(orm);
    const knex = orm.em.getConnection().getKnex();
    if (process.env.STALE_STATS) for (const t of TABLES) await knex.raw(`alter table ${t} set (autovacuum_enabled = false)`);
    await knex.raw(
      `insert into agency (id, code, name, sector, country, created_at)
       select gen_random_uuid(), 'A' || g, 'Agency ' || g, 'SOCIAL', 'KZ', now() from generate_series(1, ?) g`,
      [k],
    );
    await knex.raw(
      `insert into returnee (id, version, registering_agency_id, country, created_at, updated_at, case_number, given_name,
                             family_name, other_names, sex, date_of_birth, date_of_birth_estimated, status)
       select gen_random_uuid(), 1, a.id, 'KZ', now(), now(), 'T-' || g, 'Aigerim', 'Nurlanovna', '{}', 'FEMALE', '1994-03-12', false, 'IN_CARE'
         from generate_series(1, ?) g join lateral (select id from agency order by code offset (g % ?) limit 1) a on true`,
      [n, k],
    );
    await fillAllStaleKeys(knex);
    if (!process.env.STALE_STATS) await knex.raw('analyze');
    console.log(`${n} records of one name in ${k} agencies${process.env.STALE_STATS ? ', statistics of empty tables' : ''}`);
    for (const batch of (process.env.BATCHES ?? '1,20,100').split(',').map(Number)) {
      const t = Date.now();
      const done = await fillStalePairs(knex, batch);
      console.log(`one batch of ${batch}: ${done.records} records, ${done.links} links in ${Date.now() - t} ms`);
    }
    await markAllPairsStale(knex);
    await knex.raw('delete from duplicate_pair');
    const started = Date.now();
    let last = started;
    let longest = 0;
    let batches = 0;
    const done = await fillAllStalePairs(knex, () => {
      const now = Date.now();
      longest = Math.max(longest, now - last);
      last = now;
      batches++;
    });
    const { rows } = (await knex.raw('select count(*)::int as c from duplicate_pair')) as { rows: { c: number }[] };
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `whole fill: ${done} records in ${seconds.toFixed(1)} s (${(done / seconds).toFixed(0)} records/s), ${batches} batches, longest ${longest} ms; ${rows[0].c} pairs`,
    );
    await orm.close(true);
  } finally {
    if (process.env.KEEP) console.log(`kept ${name}`);
    else await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  }
}
void main();
