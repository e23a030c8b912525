import type { Knex } from '@mikro-orm/postgresql';
import type { Sql } from '../access/condition-sql';
import { statementName } from '../db/statement-name';
import type { Operation } from '../request/operation';

export type Row = Record<string, unknown>;

/**
 * Runs a statement of returnee-select.ts with its values bound as parameters (`?` → `$n`), in
 * the operation's transaction when it has one (knex: `em.execute` would splice the values in).
 * `prepared`: a named statement (db/statement-name.ts), for reads by key only: a generic plan
 * per connection (byId's round trip 1.64 → 0.43 ms, `npm run bench:explain`); a page's generic
 * plan ignores the scope's size (115-190 ms where a custom one takes a few).
 */
export function rowsOf(op: Operation, sql: Sql, prepared = false): Promise<Row[]> {
  return runSql<Row>(op, sql.text, sql.params, prepared ? 'hub_read' : undefined);
}

/**
 * One statement with its values as parameters, in op's transaction when it has one; sent as a
 * named (prepared) statement under `prefix` (db/statement-name.ts) when given. Reads by key and
 * section writes (section-write-sql.ts) go through here.
 */
export async function runSql<T>(op: Operation, text: string, params: readonly unknown[], prefix?: string): Promise<T[]> {
  const name = prefix ? statementName(prefix, text) : undefined;
  const raw = op.em
    .getConnection()
    .getKnex()
    .raw(text, params as Knex.RawBinding[]);
  const query = name ? raw.options({ name }) : raw;
  const trx = op.em.getTransactionContext<Knex.Transaction>();
  const result = (await (trx ? query.transacting(trx) : query)) as { rows: T[] };
  return result.rows;
}
