import { knex as createKnex, type Knex, type MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import type { HubConfig } from '../config';
import type { Logger } from '../logger';
import { appRoleName, appRolePassword, excessPrivileges, provisionRoles, sealerRoleName, userOf, withCredentials } from './app-role';
import { loadOrCreateSecrets, startEmbeddedPostgres } from './embedded';
import { ACQUIRE_TIMEOUT_MS, CONNECT_TIMEOUT_MS, migrate, openOrm } from './orm';

export interface Database {
  /** The application pool: connects as the least-privileged app role. */
  orm: MikroORM;
  /** The owner's URL (DATABASE_URL or the embedded cluster's superuser): migrations only. */
  url: string;
  /** The app role's URL. */
  appUrl: string;
  /** The sealer role's URL: the only role that writes the audit chain, seals and checkpoints. */
  sealerUrl: string;
  embedded: boolean;
  /** A small pool of its own, as the sealer role, for background audit work (sealing, checkpoints, verification), off the request pool. */
  openMaintenancePool(max?: number): Knex;
  close(): Promise<void>;
}

interface RoleCredentials {
  url: string;
  role: string;
  /** Derived from the shared secret and provisioned by the hub; undefined: managed by the operator. */
  password?: string;
}

/**
 * The serving role and the sealer role. The app role: HUB_APP_DATABASE_URL, or
 * `<database>_hub_app` with a password derived from the shared secret. The sealer:
 * HUB_SEALER_DATABASE_URL, or `<database>_hub_sealer` derived the same way when the hub also
 * derives the app role; an operator who manages the app role and names no sealer gets sealing
 * as the owner (DATABASE_URL), with a warning at start.
 */
async function roleCredentials(config: HubConfig, ownerUrl: string): Promise<{ app: RoleCredentials; sealer: RoleCredentials }> {
  const owner: RoleCredentials = { url: ownerUrl, role: userOf(ownerUrl) };
  const given = (url: string): RoleCredentials => ({ url, role: userOf(url) });
  const database = decodeURIComponent(new URL(ownerUrl).pathname.slice(1)) || 'postgres';
  const secret = async () => config.jwtSecret ?? (await loadOrCreateSecrets(config.dataDir)).jwtSecret;
  const derived = async (role: string): Promise<RoleCredentials> => {
    const password = appRolePassword(await secret(), role);
    return { url: withCredentials(ownerUrl, role, password), role, password };
  };
  const app = config.appDatabaseUrl ? given(config.appDatabaseUrl) : await derived(appRoleName(database));
  if (app.role === owner.role) return { app, sealer: owner };
  const sealer = config.sealerDatabaseUrl
    ? given(config.sealerDatabaseUrl)
    : config.appDatabaseUrl
      ? owner
      : await derived(sealerRoleName(database));
  return { app, sealer };
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
async function prepareAsOwner(
  ownerUrl: string,
  roles: { app: RoleCredentials; sealer: RoleCredentials },
  doMigrate: boolean,
  log: Logger,
): Promise<void> {
  const lock = new Client({ connectionString: ownerUrl });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await migrateAndGrant(ownerUrl, roles, doMigrate, log);
  } finally {
    await lock.end(); // ends the session, and with it the lock
  }
}

async function migrateAndGrant(
  ownerUrl: string,
  { app, sealer }: { app: RoleCredentials; sealer: RoleCredentials },
  doMigrate: boolean,
  log: Logger,
): Promise<void> {
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
    const sealedByOwner = sealer.role === userOf(ownerUrl);
    if (sealedByOwner)
      log.warn(
        { role: sealer.role },
        'the audit chain is sealed as the schema owner: set HUB_SEALER_DATABASE_URL to a role of its own (docs/audit.md)',
      );
    await provisionRoles(owner.em.getConnection().getKnex(), { app, sealer: sealedByOwner ? undefined : sealer }).catch(
      (error: unknown) => {
        throw new Error(
          `could not provision the database roles "${app.role}" and "${sealer.role}" (${(error as Error).message}); ` +
            'give the DATABASE_URL role CREATEROLE, or create login roles yourself and set HUB_APP_DATABASE_URL and HUB_SEALER_DATABASE_URL',
        );
      },
    );
  } finally {
    await owner.close(true);
  }
}

/**
 * Opens the database the config names (DATABASE_URL), or starts the embedded PostgreSQL in
 * HUB_DATA_DIR when none is named; as its owner applies pending migrations and provisions
 * the app role; then opens the application pool as that role.
 */
export async function openDatabase(
  config: HubConfig,
  log: Logger,
  opts: { migrate?: boolean; stopOnSignal?: boolean } = {},
): Promise<Database> {
  const embedded = config.databaseUrl
    ? undefined
    : await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, log, stopOnSignal: opts.stopOnSignal });
  const url = config.databaseUrl ?? embedded!.url;
  try {
    const roles = await roleCredentials(config, url);
    const { app } = roles;
    await prepareAsOwner(url, roles, opts.migrate !== false, log);
    // Caps every statement of a request (docs/limits.md); PostgreSQL cancels it and the transaction rolls back.
    const orm = await openOrm(app.url, {
      driverOptions: { connection: { statement_timeout: config.limits.statementTimeoutMs, options: SESSION_OPTIONS } },
    });
    const excess = await excessPrivileges(orm.em.getConnection().getKnex());
    if (excess.length > 0) log.warn({ role: app.role, excess }, "the hub's database role can change the audit trail");
    return {
      orm,
      url,
      appUrl: app.url,
      sealerUrl: roles.sealer.url,
      embedded: embedded !== undefined,
      openMaintenancePool: (max = 2) =>
        createKnex({
          client: 'pg',
          connection: { connectionString: roles.sealer.url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, options: SESSION_OPTIONS },
          pool: { min: 0, max },
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
