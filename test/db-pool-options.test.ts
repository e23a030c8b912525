import pino from 'pino';
import { loadConfig } from '../src/config';
import { openDatabase, type Database } from '../src/db/database';
import { ACQUIRE_TIMEOUT_MS, CONNECT_TIMEOUT_MS } from '../src/db/orm';
import { TEST_JWT_SECRET, testDatabaseUrl } from './support/hub';

/**
 * The serving pool adds session settings (statement_timeout, jit=off) to the ORM's connection
 * options; it must keep the bounded waits of src/db/orm.ts beside them (a request waits at most
 * 10 s for a pooled connection and 5 s for a new one, docs/operations.md), not fall back to
 * knex's minute and node-postgres' unbounded connect.
 */
let db: Database;
afterAll(() => db?.close());

it('keeps the acquire and connect bounds in the application pool, beside its session settings', async () => {
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: testDatabaseUrl(), HUB_JWT_SECRET: TEST_JWT_SECRET });
  db = await openDatabase(config, pino({ level: 'silent' }));
  const knexConfig = db.orm.em.getConnection().getKnex().client.config as {
    acquireConnectionTimeout?: number;
    connection: Record<string, unknown>;
  };
  expect({
    acquireConnectionTimeout: knexConfig.acquireConnectionTimeout,
    connectionTimeoutMillis: knexConfig.connection.connectionTimeoutMillis,
    statement_timeout: knexConfig.connection.statement_timeout,
    options: knexConfig.connection.options,
  }).toEqual({
    acquireConnectionTimeout: ACQUIRE_TIMEOUT_MS,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: config.limits.statementTimeoutMs,
    options: '-c jit=off',
  });
  // And the pool answers as the least-privileged role.
  expect(await db.orm.em.getConnection().execute('select current_user as u')).toEqual([{ u: expect.stringMatching(/_hub_app$/) }]);
});
