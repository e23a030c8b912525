import { knex as createKnex, type Knex, type MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import type { HubConfig } from '../config';
import type { Logger } from '../logger';
import { appRoleName, appRolePassword, excessPrivileges, provisionAppRole, userOf, withCredentials } from './app-role';
import { loadOrCreateSecrets, startEmbeddedPostgres } from './embedded';
import { ACQUIRE_TIMEOUT_MS, CONNECT_TIMEOUT_MS, migrate, openOrm } from './orm';

export interface Database {
  /** The application pool: connects as the least-privileged app role. */
  orm: MikroORM;
  /** The owner's URL (DATABASE_URL or the embedded cluster's superuser): migrations only. */
  url: string;
  /** The app role's URL. */
  appUrl: string;
  embedded: boolean;
  /** A small pool of its own for background audit work (sealing, checkpoints), off the request pool. */
  openMaintenancePool(max?: number): Knex;
  close(): Promise<void>;
}

/** The app role's URL: given (HUB_APP_DATABASE_URL), or `<database>_hub_app` with a derived password. */
async function appCredentials(config: HubConfig, ownerUrl: string): Promise<{ url: string; role: string; password?: string }> {
  if (config.appDatabaseUrl) return { url: config.appDatabaseUrl, role: userOf(config.appDatabaseUrl) };
  const database = decodeURIComponent(new URL(ownerUrl).pathname.slice(1)) || 'postgres';
  const role = appRoleName(database);
  const secret = config.jwtSecret ?? (await loadOrCreateSecrets(config.dataDir)).jwtSecret;
  const password = appRolePassword(secret, role);
  return { url: withCredentials(ownerUrl, role, password), role, password };
}

const MIGRATION_LOCK_KEY = 7_305_120_004;

/**
 * Session settings of the serving pools. JIT off: the hub's queries are short, but a keyset page
 * (ORDER BY … LIMIT 21) is planned with the cost of the whole index scan it may stop early, which
 * crosses jit_above_cost; compiling then took 150-350 ms on pages that run in 1-5 ms
 * (measured at 10^7 audit events, docs/audit.md).
 */
const SESSION_OPTIONS = '-c jit=off';

/**
 * As the owner: apply pending migrations, then (re)grant the app role what the schema needs.
 * Several processes may start at once on one database: a session advisory lock, held on a
 * connection of its own while the ORM migrates on its pool, lets one migrate and makes the
 * others wait, then find nothing left to do.
 */
async function prepareAsOwner(ownerUrl: string, app: { role: string; password?: string }, doMigrate: boolean, log: Logger): Promise<void> {
  const lock = new Client({ connectionString: ownerUrl });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await migrateAndGrant(ownerUrl, app, doMigrate, log);
  } finally {
    await lock.end(); // ends the session, and with it the lock
  }
}

async function migrateAndGrant(ownerUrl: string, app: { role: string; password?: string }, doMigrate: boolean, log: Logger): Promise<void> {
  const owner = await openOrm(ownerUrl, { pool: { min: 0, max: 2 } });
  try {
    if (doMigrate) {
      const applied = await migrate(owner);
      if (applied.length > 0) log.info({ applied }, 'migrations applied');
    }
    if (app.role === userOf(ownerUrl)) {
      log.warn({ role: app.role }, 'the app role is the schema owner: the hub runs without least privilege');
      return;
    }
    await provisionAppRole(owner.em.getConnection().getKnex(), app.role, app.password).catch((error: unknown) => {
      throw new Error(`could not provision the database role "${app.role}" (${(error as Error).message}); ` +
        'give the DATABASE_URL role CREATEROLE, or create a login role yourself and set HUB_APP_DATABASE_URL');
    });
  } finally {
    await owner.close(true);
  }
}

/**
 * Opens the database the config names (DATABASE_URL), or starts the embedded PostgreSQL in
 * HUB_DATA_DIR when none is named; as its owner applies pending migrations and provisions
 * the app role; then opens the application pool as that role.
 */
export async function openDatabase(config: HubConfig, log: Logger, opts: { migrate?: boolean; stopOnSignal?: boolean } = {}): Promise<Database> {
  const embedded = config.databaseUrl
    ? undefined
    : await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, log, stopOnSignal: opts.stopOnSignal });
  const url = config.databaseUrl ?? embedded!.url;
  try {
    const app = await appCredentials(config, url);
    await prepareAsOwner(url, app, opts.migrate !== false, log);
    // Caps every statement of a request (docs/limits.md); PostgreSQL cancels it and the transaction rolls back.
    const orm = await openOrm(app.url, { driverOptions: { connection: { statement_timeout: config.limits.statementTimeoutMs, options: SESSION_OPTIONS } } });
    const excess = await excessPrivileges(orm.em.getConnection().getKnex());
    if (excess.length > 0) log.warn({ role: app.role, excess }, 'the hub\'s database role can change the audit trail');
    return {
      orm,
      url,
      appUrl: app.url,
      embedded: embedded !== undefined,
      openMaintenancePool: (max = 2) => createKnex({
        client: 'pg', connection: { connectionString: app.url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, options: SESSION_OPTIONS }, pool: { min: 0, max },
        acquireConnectionTimeout: ACQUIRE_TIMEOUT_MS,
      }),
      async close() {
        await orm.close(true);
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}
