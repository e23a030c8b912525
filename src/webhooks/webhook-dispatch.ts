import { knex as createKnex, type Knex } from '@mikro-orm/postgresql';
import type { Registry } from 'prom-client';
import type { HubConfig } from '../config';
import type { Database } from '../db/database';
import type { Logger } from '../logger';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookMetrics } from './webhook-metrics';
import { secretBoxFor } from './webhook-runtime';

export interface WebhookDispatch {
  stop(): Promise<void>;
}

/**
 * The webhook side of a hub process: its metrics on /metrics, and (unless HUB_WEBHOOK_DISPATCH=0)
 * a dispatcher on a small pool of its own, as the app role, so sending never takes a connection
 * a request needs. Called once the hub listens (the payload's link names its URL).
 */
export function startWebhookDispatch(
  db: Pick<Database, 'appUrl'>,
  config: HubConfig,
  opts: { jwtSecret: string; registry: Registry; log: Logger; url: string },
): WebhookDispatch {
  const pool: Knex = createKnex({
    client: 'pg',
    connection: { connectionString: db.appUrl, connectionTimeoutMillis: 5000, options: '-c jit=off' },
    pool: { min: 0, max: Math.min(4, config.webhooks.concurrency) }, // claims and attempt records; never the request pool
    acquireConnectionTimeout: 10_000,
  });
  const metrics = new WebhookMetrics(opts.registry, () => pool);
  const dispatcher = config.webhooks.dispatch
    ? new WebhookDispatcher(pool, db.appUrl, config.webhooks, {
        box: secretBoxFor({ config, jwtSecret: opts.jwtSecret }),
        linkBase: config.webhooks.publicUrl ?? opts.url,
        metrics,
        log: opts.log,
      }).start()
    : undefined;
  return {
    async stop() {
      await dispatcher?.stop();
      await pool.destroy();
    },
  };
}
