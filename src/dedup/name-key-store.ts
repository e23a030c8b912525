import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { inline } from '../access/condition-sql';
import type { ReadProjection } from '../access/projection';
import { PeriodicTask } from '../common/periodic-task';
import type { Logger } from '../logger';
import { NAME_KEY_VERSION, nameKeysOf, type PersonName } from './name-keys';
import { fillAllStalePairs } from './pair-store';

/**
 * Keeps returnee_name_key (name-key.entity.ts) in step with the names. Writers of names call
 * `writeNameKeys` in their own transaction; anything else that changes a name leaves the row at
 * version 0 (database triggers), and `fillStaleKeys` recomputes such rows: in the background in
 * every hub process, before each duplicate check, and with `hub dedup:reindex`.
 *
 * Keys are derived data, like an index: computing them discloses nothing to anyone and changes
 * no field of the record, so it writes no audit event and no record history.
 */
export interface KeyedName extends PersonName {
  id: string;
}

const UPSERT = `insert into returnee_name_key (returnee_id, name_key, given_key, family_key, name_pairs, key_version)
  select x.id, x.name_key, x.given_key, x.family_key, x.name_pairs, x.key_version
    from jsonb_to_recordset(?::jsonb) as x(id uuid, name_key text, given_key text, family_key text, name_pairs text[], key_version int)
  on conflict (returnee_id) do update set name_key = excluded.name_key, given_key = excluded.given_key, family_key = excluded.family_key,
    name_pairs = excluded.name_pairs, key_version = excluded.key_version`;

/** The rows to upsert for `people` (one JSON parameter, as the seed's bulk inserts do). */
export function nameKeyRows(people: readonly KeyedName[]): Record<string, unknown>[] {
  return people.map((p) => {
    const keys = nameKeysOf(p);
    return {
      id: p.id,
      name_key: keys.nameKey,
      given_key: keys.givenKey,
      family_key: keys.familyKey,
      name_pairs: keys.namePairs,
      key_version: NAME_KEY_VERSION,
    };
  });
}

/** Writes the keys of `people` through `knex` (a transaction, when the names are written in one). */
export async function upsertNameKeys(knex: Knex | Knex.Transaction, people: readonly KeyedName[]): Promise<void> {
  if (people.length === 0) return;
  await knex.raw(UPSERT, [JSON.stringify(nameKeyRows(people))]);
}

/** In the transaction of `tx` (registerReturnee, updateReturnee): the keys commit with the names. */
export async function writeNameKeys(tx: EntityManager, people: readonly KeyedName[]): Promise<void> {
  const knex = tx.getConnection().getKnex();
  const trx = tx.getTransactionContext<Knex.Transaction>();
  await upsertNameKeys(trx ?? knex, people);
}

interface StaleRow {
  id: string;
  given_name: string;
  family_name: string;
  patronymic: string | null;
  other_names: string[];
}

/**
 * Recomputes up to `limit` stale rows and returns how many it did. Rows another process is
 * filling are skipped (SKIP LOCKED), so several hub processes share the work without waiting.
 * `within`: only records in that caller's row scope (a duplicate check fills what it could
 * find, so neither its work nor its time depends on stale records elsewhere). `newestFirst`:
 * the records written last come first — what a request needs is what was written a moment ago
 * around the hub, not the oldest of a backlog (which the background filler works through in
 * index order; sorting a large backlog on every batch would slow it down).
 */
export async function fillStaleKeys(knex: Knex, limit: number, within?: ReadProjection, newestFirst = false): Promise<number> {
  return knex.transaction(async (trx) => {
    const params: unknown[] = [NAME_KEY_VERSION];
    const scope = within ? ` and ${inline(within.scopeSql, params)}` : '';
    params.push(limit);
    const order = newestFirst ? 'r.updated_at desc, r.id' : 'k.key_version';
    const { rows } = (await trx.raw(
      `select r.id, r.given_name, r.family_name, r.patronymic, to_json(r.other_names) as other_names
         from returnee_name_key k join returnee r on r.id = k.returnee_id
        where k.key_version < ?${scope} order by ${order} limit ? for update of k skip locked`,
      params as Knex.RawBinding[],
    )) as { rows: StaleRow[] };
    await upsertNameKeys(
      trx,
      rows.map((r) => ({
        id: r.id,
        givenName: r.given_name,
        familyName: r.family_name,
        patronymic: r.patronymic,
        otherNames: r.other_names,
      })),
    );
    return rows.length;
  });
}

/** Whether any record still waits for its keys (the duplicate check says its answer may be incomplete). */
export async function hasStaleKeys(knex: Knex | Knex.Transaction): Promise<boolean> {
  const { rows } = (await knex.raw('select exists (select 1 from returnee_name_key where key_version < ?) as stale', [
    NAME_KEY_VERSION,
  ])) as { rows: { stale: boolean }[] };
  return rows[0].stale;
}

/** Marks every row stale, for a full rebuild (`hub dedup:reindex --all`). */
export async function markAllStale(knex: Knex): Promise<number> {
  const { rowCount } = (await knex.raw('update returnee_name_key set key_version = 0 where key_version <> 0')) as { rowCount: number };
  return rowCount;
}

const BATCH = 1_000;

/** Fills stale rows until none is left; `onBatch` reports progress. */
export async function fillAllStaleKeys(knex: Knex, onBatch?: (done: number) => void): Promise<number> {
  let done = 0;
  for (let n = await fillStaleKeys(knex, BATCH); n > 0; n = await fillStaleKeys(knex, BATCH)) {
    done += n;
    onBatch?.(done);
  }
  return done;
}

/**
 * The background filler of one hub process, on a pool of its own: after an upgrade (the
 * migration leaves every existing record at version 0) or a change of NAME_KEY_VERSION it
 * computes the keys of the whole table in batches, then finds nothing to do each tick.
 */
export class NameKeyFiller {
  private readonly task: PeriodicTask;

  constructor(
    private readonly knex: Knex,
    log: Logger,
    private readonly intervalMs = 5_000,
  ) {
    this.task = new PeriodicTask(
      'name key filler',
      intervalMs,
      async () => {
        const done = await fillAllStaleKeys(knex);
        if (done > 0) log.info({ records: done }, 'name keys computed');
        const paired = await fillAllStalePairs(knex);
        if (paired > 0) log.info({ records: paired }, 'duplicate pairs computed');
      },
      log,
    );
  }

  /** Runs at once and then every `intervalMs`; not at all when it is 0. */
  start(): this {
    if (this.intervalMs === 0) return this;
    void this.task.runNow();
    this.task.start();
    return this;
  }

  async stop(): Promise<void> {
    await this.task.stop();
    await this.knex.destroy();
  }
}
