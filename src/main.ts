import 'reflect-metadata';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { createServer } from './server';

/**
 * Requests in flight get this long in all to finish (Apollo's drain gives them 10 s before it
 * closes their connections), then the audit events are settled and sealed and the database
 * closed; past it the process exits 1 rather than hang.
 */
const SHUTDOWN_BOUND_MS = 20_000;

/** `npm start`: load config, start (embedded PostgreSQL when no DATABASE_URL), stop cleanly on SIGTERM/SIGINT. */
export async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`hub: configuration error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  const started = Date.now();
  // Listening for signals before the (slow) start: a SIGTERM during start stops what was started.
  const starting = createServer(config, { log });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: no new connections; finishing requests in flight');
    const timer = setTimeout(() => {
      log.error({ ms: SHUTDOWN_BOUND_MS }, 'shutdown did not finish in time; exiting');
      process.exit(1);
    }, SHUTDOWN_BOUND_MS);
    timer.unref();
    const began = Date.now();
    try {
      const hub = await starting.catch(() => undefined);
      await hub?.stop(); // drain HTTP, settle audit events, seal, close the pools, stop an embedded PostgreSQL
      log.info({ ms: Date.now() - began }, 'shut down');
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  const hub = await starting;
  log.info({ ms: Date.now() - started }, `hub ready at ${hub.url}/graphql (health: ${hub.url}/healthz)`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`hub: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
