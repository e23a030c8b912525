import { randomUUID } from 'node:crypto';
import type { Knex } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import type { Logger } from '../logger';
import type { WebhookConfig } from './webhook-config';
import type { WebhookMetrics } from './webhook-metrics';
import { OUTBOX_CHANNEL } from './webhook-outbox';
import { payloadOf, type EventRow } from './webhook-payload';
import { signatureHeader, type SecretBox } from './webhook-secret';
import { postOnce, senderAgents, type AttemptResult } from './webhook-sender';

/** A claimed delivery with what sending it needs. */
interface Claimed extends EventRow {
  delivery_id: string;
  subscription_id: string;
  url: string;
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_expires_at: Date | null;
  queued_at: Date;
  /** Attempts before this one. */
  attempts: number;
}

/**
 * Claims due deliveries for this process. `FOR UPDATE SKIP LOCKED` lets the dispatchers of every
 * hub process claim at once without taking the same row; the claim is a lease (`leased_until`),
 * not a held transaction, so no connection waits on a receiver. A delivery is due only when no
 * earlier event of the same record is still pending for the same subscription (order per
 * record: event n+1 waits until n is delivered or given up). A lease that outlives its process
 * (a crash mid-send) expires and the delivery is sent again: at least once, with the same
 * `webhook-id`, as Standard Webhooks receivers expect.
 */
const CLAIM_SQL = `with due as (
    select d.id from webhook_delivery d
    join webhook_subscription s on s.id = d.subscription_id and s.status <> 'DISABLED'
    where d.status = 'PENDING' and d.next_attempt_at <= now() and (d.leased_until is null or d.leased_until < now())
      and not exists (select 1 from webhook_delivery p where p.subscription_id = d.subscription_id and p.order_key = d.order_key
        and p.status = 'PENDING' and p.event_seq < d.event_seq)
    order by d.next_attempt_at, d.event_seq
    limit ?
    for update of d skip locked
  )
  update webhook_delivery w set leased_until = now() + make_interval(secs => ?), lease_owner = ?
  from due, webhook_event e, webhook_subscription s
  where w.id = due.id and e.id = w.event_id and s.id = w.subscription_id
  returning w.id as delivery_id, w.subscription_id, w.created_at as queued_at, w.attempts, e.id, e.type, e.returnee_id, e.subject_type, e.subject_id,
    e.occurred_at, s.url, s.secret_sealed, s.previous_secret_sealed, s.previous_secret_expires_at`;

/**
 * Attempts' outcomes, their log rows and their subscriptions' state, in one statement for every
 * attempt finished since the last one (under load, one statement per attempt was what limited
 * a dispatcher's rate). Only the lease holder's outcome counts.
 */
const RECORD_SQL = `with r as (
    select * from jsonb_to_recordset(?::jsonb) as x(delivery_id bigint, attempted_at timestamptz, status_code int, latency_ms int,
      error text, status text, next_attempt_at timestamptz)
  ), a as (
    insert into webhook_attempt (delivery_id, attempted_at, status_code, latency_ms, error)
    select delivery_id, attempted_at, status_code, latency_ms, error from r
  ), u as (
    update webhook_delivery d set status = r.status, attempts = d.attempts + 1, next_attempt_at = r.next_attempt_at,
      last_status_code = r.status_code, delivered_at = case when r.status = 'DELIVERED' then now() else null end,
      leased_until = null, lease_owner = null
    from r where d.id = r.delivery_id and d.lease_owner = ? and d.status = 'PENDING'
    returning d.subscription_id, d.status
  )
  update webhook_subscription s set
    status = case when x.ok then 'ACTIVE' else 'FAILING' end,
    failing_since = case when x.ok then null else now() end
  from (select subscription_id, bool_or(status = 'DELIVERED') as ok, bool_or(status = 'FAILED') as failed from u group by subscription_id) x
  where s.id = x.subscription_id and s.status <> 'DISABLED'
    and ((x.ok and s.status = 'FAILING') or (not x.ok and x.failed and s.status = 'ACTIVE'))`;

interface Outcome {
  row: Claimed;
  attemptedAt: Date;
  result: AttemptResult;
  status: 'DELIVERED' | 'FAILED' | 'PENDING';
  next: Date;
  done: () => void;
}

export class WebhookDispatcher {
  private readonly owner = randomUUID();
  private readonly agents;
  private inFlight = new Set<Promise<void>>();
  private timer?: NodeJS.Timeout;
  private listener?: Client;
  private stopped = false;
  private claiming = false;
  private again = false;
  /** Warn once per database outage, not at every poll. */
  private claimFailing = false;
  private outcomes: Outcome[] = [];
  private flushing = false;

  constructor(
    private readonly knex: Knex,
    private readonly listenUrl: string,
    private readonly config: WebhookConfig,
    private readonly deps: { box: SecretBox; linkBase: string; metrics: WebhookMetrics; log: Logger },
  ) {
    this.agents = senderAgents(config.concurrency);
  }

  /** Polls, and listens for the outbox's notifications; returns at once (the hub never waits on receivers). */
  start(): this {
    this.timer = setInterval(() => this.wake(), this.config.pollMs);
    this.timer.unref();
    void this.listen();
    this.wake();
    return this;
  }

  /** Stops claiming, and waits for the sends under way (each bounded by the timeout). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.listener?.end().catch(() => undefined);
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  wake(): void {
    if (this.stopped) return;
    if (this.claiming) {
      this.again = true;
      return;
    }
    this.claiming = true;
    void this.claim().finally(() => {
      this.claiming = false;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.listenUrl });
    client.on('error', () => undefined);
    client.on('notification', () => this.wake());
    client.on('end', () => {
      if (this.stopped) return;
      // The database went away: polling carries on, and listening resumes when it is back.
      setTimeout(() => void this.listen(), Math.max(1000, this.config.pollMs)).unref();
    });
    try {
      await client.connect();
      await client.query(`listen ${OUTBOX_CHANNEL}`);
      this.listener = client;
      if (this.stopped) await client.end();
    } catch {
      await client.end().catch(() => undefined);
    }
  }

  private async claim(): Promise<void> {
    const room = this.config.concurrency - this.inFlight.size;
    if (room <= 0 || this.stopped) return;
    let rows: Claimed[];
    try {
      const leaseS = Math.ceil(this.config.timeoutMs / 1000) + 30;
      rows = ((await this.knex.raw(CLAIM_SQL, [room, leaseS, this.owner])) as { rows: Claimed[] }).rows;
      this.claimFailing = false;
    } catch (error) {
      if (!this.claimFailing)
        this.deps.log.warn({ err: (error as Error).message }, 'webhook dispatcher could not claim deliveries; retrying');
      this.claimFailing = true;
      return;
    }
    for (const row of rows) {
      const p: Promise<void> = this.send(row).finally(() => {
        this.inFlight.delete(p);
        // Refill in batches (one claim for several free slots), not one claim per finished send.
        if (this.inFlight.size <= this.config.concurrency / 2) this.wake();
      });
      this.inFlight.add(p);
    }
    if (rows.length === room) this.again = true;
  }

  private secretsOf(row: Claimed): string[] {
    const secrets = [this.deps.box.open(row.secret_sealed, row.subscription_id)];
    if (row.previous_secret_sealed && row.previous_secret_expires_at && new Date(row.previous_secret_expires_at) > new Date()) {
      secrets.push(this.deps.box.open(row.previous_secret_sealed, row.subscription_id));
    }
    return secrets;
  }

  private async send(row: Claimed): Promise<void> {
    const attemptedAt = new Date();
    let result: AttemptResult;
    try {
      const body = payloadOf(row, this.deps.linkBase);
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'returnee-hub-webhooks/1',
        'webhook-id': row.id,
        'webhook-timestamp': String(Math.floor(attemptedAt.getTime() / 1000)),
        'webhook-signature': signatureHeader(this.secretsOf(row), row.id, attemptedAt, body),
      };
      result = await postOnce(row.url, headers, body, this.config, this.agents);
    } catch (error) {
      this.deps.log.error({ err: (error as Error).message, subscriptionId: row.subscription_id }, 'webhook delivery could not be prepared');
      result = { latencyMs: 0, error: 'network' };
    }
    await this.record(row, attemptedAt, result);
  }

  private record(row: Claimed, attemptedAt: Date, result: AttemptResult): Promise<void> {
    const ok = result.error === null;
    const giveUp = !ok && Date.now() - new Date(row.queued_at).getTime() >= this.config.retryPeriodS * 1000;
    const status = ok ? 'DELIVERED' : giveUp ? 'FAILED' : 'PENDING';
    const next = ok || giveUp ? attemptedAt : new Date(Date.now() + this.backoffMs(row));
    return new Promise((done) => {
      this.outcomes.push({ row, attemptedAt, result, status, next, done });
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    while (this.outcomes.length > 0) {
      const batch = this.outcomes.splice(0, 500);
      const rows = batch.map((o) => ({
        delivery_id: o.row.delivery_id,
        attempted_at: o.attemptedAt.toISOString(),
        status_code: o.result.statusCode ?? null,
        latency_ms: o.result.latencyMs,
        error: o.result.error,
        status: o.status,
        next_attempt_at: o.next.toISOString(),
      }));
      try {
        await this.knex.raw(RECORD_SQL, [JSON.stringify(rows), this.owner]);
        for (const o of batch) this.counted(o);
      } catch (error) {
        // The leases expire and the deliveries are tried again: at least once.
        this.deps.log.warn({ err: (error as Error).message }, 'webhook dispatcher could not record attempts');
      }
      for (const o of batch) o.done();
    }
    this.flushing = false;
  }

  private counted(o: Outcome): void {
    if (o.status === 'DELIVERED') this.deps.metrics.delivered((Date.now() - new Date(o.row.occurred_at).getTime()) / 1000);
    else this.deps.metrics.failed(o.result.error!);
    if (o.status === 'FAILED') this.deps.metrics.gaveUp();
  }

  /** Exponential backoff with jitter: base·2^(n-1), capped, then a random point in its upper half. */
  private backoffMs(row: Claimed): number {
    const n = row.attempts + 1;
    const ceiling = Math.min(this.config.retryMaxDelayMs, this.config.retryBaseMs * 2 ** Math.min(n - 1, 30));
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }
}
