import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { MIGRATIONS_DIR } from '../paths';
import { MIGRATIONS } from '../../migrations';
import { OWNER_WRITTEN_TABLES } from './app-role';
import { ENTITIES } from './entities';

/**
 * How long a query waits for a pooled connection, and a new connection for the server to
 * answer. When the database is down a connection attempt is refused at once and the request
 * fails then (knex rejects the waiting acquire with the connect error); these bounds are for
 * the cases where nothing answers at all (a dropped network, an exhausted pool), so a request
 * answers SERVICE_UNAVAILABLE within seconds instead of hanging for knex's default minute.
 * Connections the server closed (restart, failover) are marked dead by knex's error
 * listeners and replaced on the next acquire: the pool recovers by itself.
 */
export const ACQUIRE_TIMEOUT_MS = 10_000;
export const CONNECT_TIMEOUT_MS = 5_000;

/**
 * MikroORM configuration. Migrations are listed explicitly (`migrations/index.ts`) rather
 * than discovered from a folder, so the same list runs compiled, under jest and from the CLI.
 */
export function ormOptions(databaseUrl: string, overrides: Partial<Options> = {}): Options {
  // A caller's driver options (session settings of the serving pool) add to the bounded waits
  // below rather than replace them: a shallow spread dropped both from the application pool.
  const driverOptions = (overrides.driverOptions ?? {}) as { connection?: Record<string, unknown> };
  return {
    clientUrl: databaseUrl,
    entities: ENTITIES,
    extensions: [Migrator],
    migrations: {
      tableName: 'mikro_orm_migrations',
      path: MIGRATIONS_DIR,
      pathTs: MIGRATIONS_DIR,
      migrationsList: MIGRATIONS,
      transactional: true,
      silent: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts',
    },
    pool: { min: 0, max: 20 },
    // The trail's archive records (archives, legal holds, detached months) are written by the
    // owner only, through SQL functions and `hub audit archive`, never through the ORM: their
    // migration is their one definition (Migration20261223000000), so the entity diff skips them.
    schemaGenerator: { skipTables: [...OWNER_WRITTEN_TABLES] },
    // Identity map per request (em.fork()); never share the global context.
    allowGlobalContext: false,
    debug: false,
    ...overrides,
    driverOptions: {
      acquireConnectionTimeout: ACQUIRE_TIMEOUT_MS,
      ...driverOptions,
      connection: { connectionTimeoutMillis: CONNECT_TIMEOUT_MS, ...driverOptions.connection },
    },
  };
}

export async function openOrm(databaseUrl: string, overrides: Partial<Options> = {}): Promise<MikroORM> {
  return MikroORM.init(ormOptions(databaseUrl, overrides));
}

export async function migrate(orm: MikroORM): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((m) => m.name);
}
