import 'reflect-metadata';
import path from 'node:path';
import type * as ConfigModule from '../../src/config';
import type * as ServerModule from '../../src/server';

/**
 * Bench only: the hub exactly as `npm start` serves it (the compiled `dist/`, production
 * libraries), but with the audit recorder disabled, to measure what auditing costs. This file
 * is the switch: it is not part of the build (`tsconfig.build.json` compiles src/ only), so no
 * deployment can reach it, and `createServer` itself still refuses `auditDisabled` whenever
 * the hub's configuration says production. The process keeps NODE_ENV=production for Express,
 * Apollo and graphql-js; only the hub's own configuration is loaded as `test`, with the log
 * level production has (`info`) unless LOG_LEVEL says otherwise.
 */
const dist = path.resolve(__dirname, '../../dist/src');
const { loadConfig } = require(path.join(dist, 'config.js')) as typeof ConfigModule;
const { createServer } = require(path.join(dist, 'server.js')) as typeof ServerModule;

async function run(): Promise<void> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test', LOG_LEVEL: process.env.LOG_LEVEL || 'info' });
  const hub = await createServer(config, { auditDisabled: true });
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
