import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { createLogger } from '../logger';

const USAGE = `usage: hub <command>
  serve                         start the hub (same as npm start)
  migrate                       apply pending migrations
  migration:create              generate a migration from entity changes (developers)
  seed [--returnees N] [--seed S]  fill the database with synthetic demo data
  token <username> [--ttl 12h]  print a bearer token for a staff member
  schema                        write schema/schema.graphql`;

export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
  switch (command) {
    case 'migrate': {
      const db = await openDatabase(config, log);
      await db.close();
      process.stdout.write('migrations are up to date\n');
      return 0;
    }
    case 'migration:create': {
      const db = await openDatabase(config, log);
      try {
        const result = await db.orm.getMigrator().createMigration(undefined, false, rest.includes('--initial'));
        process.stdout.write(result.fileName ? `created ${result.fileName}\n` : 'no changes\n');
        if (result.fileName) process.stdout.write(result.diff.up.join('\n') + '\n');
      } finally {
        await db.close();
      }
      return 0;
    }
    default:
      process.stderr.write(`${USAGE}\n`);
      return command ? 2 : 0;
  }
}
