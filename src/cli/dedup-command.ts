import type { HubConfig } from '../config';
import { openDatabase } from '../db/database';
import { fillAllStaleKeys, markAllStale } from '../dedup/name-key-store';
import { fillAllStalePairs, markAllPairsStale } from '../dedup/pair-store';
import type { Logger } from '../logger';

/**
 * `hub dedup:reindex [--all]`: computes the name keys and duplicate pairs of every record waiting for them, now
 * (serving hubs do the same in the background). `--all` first marks every record stale: a full
 * rebuild, e.g. to check a change of the folding rules on a copy of the data.
 */
export async function runDedupReindex(config: HubConfig, log: Logger, all: boolean): Promise<number> {
  const db = await openDatabase(config, log);
  try {
    const knex = db.orm.em.getConnection().getKnex();
    const started = Date.now();
    if (all) process.stdout.write(`marked ${await markAllStale(knex)} records for new keys\n`);
    const done = await fillAllStaleKeys(knex);
    process.stdout.write(`computed the name keys of ${done} records in ${Date.now() - started} ms\n`);
    if (all) await markAllPairsStale(knex);
    const paired = await fillAllStalePairs(knex);
    process.stdout.write(`computed the duplicate pairs of ${paired} records in ${Date.now() - started} ms\n`);
    return 0;
  } finally {
    await db.close();
  }
}
