import type { MikroORM } from '@mikro-orm/postgresql';
import type { HubConfig } from '../config';
import type { Logger } from '../logger';
import { startEmbeddedPostgres } from './embedded';
import { migrate, openOrm } from './orm';

export interface Database {
  orm: MikroORM;
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * Opens the database the config names (DATABASE_URL), or starts the embedded PostgreSQL
 * in HUB_DATA_DIR when none is named, then applies pending migrations.
 */
export async function openDatabase(config: HubConfig, log: Logger, opts: { migrate?: boolean } = {}): Promise<Database> {
  const embedded = config.databaseUrl
    ? undefined
    : await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, log });
  const url = config.databaseUrl ?? embedded!.url;
  try {
    const orm = await openOrm(url);
    if (opts.migrate !== false) {
      const applied = await migrate(orm);
      if (applied.length > 0) log.info({ applied }, 'migrations applied');
    }
    return {
      orm,
      url,
      embedded: embedded !== undefined,
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
