import type { Knex } from '@mikro-orm/postgresql';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * The outbox on /metrics: what is waiting (across every hub process: read from the database at
 * scrape time), and what this process saw fail. Labels come from fixed vocabularies only.
 */
export class WebhookMetrics {
  private readonly failures: Counter<'reason'>;
  private readonly givenUp: Counter;
  private readonly latency: Histogram;
  private snapshot?: { at: number; value: Promise<{ pending: number; age: number }> };

  constructor(registry: Registry, knex: () => Knex | undefined) {
    const read = () => {
      const now = Date.now();
      if (!this.snapshot || now - this.snapshot.at > 500) {
        const k = knex();
        const value = k
          ? k
              .raw(
                `select count(*)::int as pending, coalesce(extract(epoch from now() - min(created_at)), 0)::float8 as age
                 from webhook_delivery where status = 'PENDING'`,
              )
              .then((r: { rows: { pending: number; age: number }[] }) => r.rows[0])
              .catch(() => ({ pending: 0, age: 0 }))
          : Promise.resolve({ pending: 0, age: 0 });
        this.snapshot = { at: now, value };
      }
      return this.snapshot.value;
    };
    new Gauge({
      name: 'hub_webhook_deliveries_pending',
      help: 'Webhook deliveries waiting to be sent or retried, across all hub processes',
      registers: [registry],
      async collect() {
        this.set((await read()).pending);
      },
    });
    new Gauge({
      name: 'hub_webhook_oldest_pending_age_seconds',
      help: 'Age of the oldest webhook delivery still pending (0 when none)',
      registers: [registry],
      async collect() {
        this.set((await read()).age);
      },
    });
    this.failures = new Counter({
      name: 'hub_webhook_delivery_failures_total',
      help: 'Failed webhook delivery attempts by this process, by reason (http_status, redirect, timeout, connection_refused, dns, blocked_address, tls, network)',
      labelNames: ['reason'] as const,
      registers: [registry],
    });
    this.givenUp = new Counter({
      name: 'hub_webhook_deliveries_given_up_total',
      help: 'Webhook deliveries given up after the retry period (their subscription is marked FAILING)',
      registers: [registry],
    });
    this.latency = new Histogram({
      name: 'hub_webhook_delivery_latency_seconds',
      help: 'From the event to its successful delivery',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 300, 3600],
      registers: [registry],
    });
  }

  failed(reason: string): void {
    this.failures.inc({ reason });
  }

  gaveUp(): void {
    this.givenUp.inc();
  }

  delivered(seconds: number): void {
    this.latency.observe(seconds);
  }
}
