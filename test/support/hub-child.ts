import 'reflect-metadata';
import { loadConfig } from '../../src/config';
import { createServer } from '../../src/server';

/**
 * One hub process for multi-process suites (spawned with ./ts-register.js): configured by
 * its environment like `npm start`, it prints `{"url": …}` once ready and stops cleanly
 * (sealing its last audit events) on SIGTERM.
 */
async function run(): Promise<void> {
  const hub = await createServer(loadConfig());
  process.stdout.write(`${JSON.stringify({ url: hub.url })}\n`);
  process.once('SIGTERM', () => {
    hub.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

run().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
