import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { MIGRATIONS_DIR } from '../paths';
import { MIGRATIONS } from '../../migrations';
import { ENTITIES } from './entities';

/**
 * MikroORM configuration. Migrations are listed explicitly (`migrations/index.ts`) rather
 * than discovered from a folder, so the same list runs compiled, under jest and from the CLI.
 */
export function ormOptions(databaseUrl: string, overrides: Partial<Options> = {}): Options {
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
    // Identity map per request (em.fork()); never share the global context.
    allowGlobalContext: false,
    debug: false,
    ...overrides,
  };
}

export async function openOrm(databaseUrl: string, overrides: Partial<Options> = {}): Promise<MikroORM> {
  return MikroORM.init(ormOptions(databaseUrl, overrides));
}

export async function migrate(orm: MikroORM): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((m) => m.name);
}
