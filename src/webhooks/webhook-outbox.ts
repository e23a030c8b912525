import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Sector } from '../access/policy';
import { audienceSql, type AudienceAgency } from './webhook-audience';
import { WEBHOOK_EVENT_TYPES, type WebhookAudience, type WebhookEventTypeName } from './webhook-event-types';
import { pgArray } from '../common/pg-array';
import { recordDisclosures, type SentRow } from './webhook-disclosure';

/** An event a feature announces: its type, the record it is about, and the row it concerns (ids only). */
export interface OutboxEvent {
  type: WebhookEventTypeName;
  returneeId: string;
  /** The referral, consent, case access… named by the type's subject. */
  subjectId: string;
}

/** Dispatchers LISTEN on this channel; PostgreSQL delivers the notification when the transaction commits, never if it rolls back. */
export const OUTBOX_CHANNEL = 'hub_webhook_outbox';

/** Serialises the event writers of one record, so that per record, event order is commit order. */
function orderLockKey(returneeId: string): string {
  return createHash('sha256').update(`webhook-order\0${returneeId}`).digest().readBigInt64BE(0).toString();
}

/**
 * The outbox writer: call it with the transaction of the change, after the change's own
 * statements, e.g. `await enqueueWebhookEvents(tx, [{ type: 'REFERRAL_RECEIVED', returneeId, subjectId }])`.
 * The event rows and their deliveries commit or roll back with the change: no event for a
 * rolled-back change, no change without its event.
 *
 * 1. One statement takes the per-record order lock and reads the subscriptions that want any of
 *    these types. When there are none, that is all (nothing to deliver, nothing written).
 * 2. One statement inserts the events and a delivery per (event, subscription of an agency that
 *    may see the record now, webhook-audience.ts), and notifies the dispatchers on commit.
 */
export async function enqueueWebhookEvents(tx: EntityManager, events: readonly OutboxEvent[]): Promise<void> {
  if (events.length === 0) return;
  const wires = [...new Set(events.map((e) => WEBHOOK_EVENT_TYPES[e.type].wire))];
  const keys = [...new Set(events.map((e) => orderLockKey(e.returneeId)))];
  const subscribers = await tx.execute<{ id: string | null; agency_id: string; sector: Sector; country: string }[]>(
    `select s.id, s.agency_id, a.sector, a.country
     from (select count(pg_advisory_xact_lock(k)) from (select k from unnest(?::bigint[]) k order by k) o) l
     left join (webhook_subscription s join agency a on a.id = s.agency_id) on s.status <> 'DISABLED' and s.event_types && ?::text[]`,
    [pgArray(keys), pgArray(wires)],
  );
  const subscriptions = subscribers.filter((s) => s.id !== null);
  if (subscriptions.length === 0) return;
  const agencies = new Map<string, AudienceAgency>(
    subscriptions.map((s) => [s.agency_id, { id: s.agency_id, sector: s.sector, country: s.country }]),
  );
  const byAudience = new Map<WebhookAudience, string[]>();
  for (const wire of wires) {
    const spec = Object.values(WEBHOOK_EVENT_TYPES).find((t) => t.wire === wire)!;
    byAudience.set(spec.audience, [...(byAudience.get(spec.audience) ?? []), wire]);
  }
  const rows = events.map((e) => ({
    id: randomUUID(),
    type: WEBHOOK_EVENT_TYPES[e.type].wire,
    returnee_id: e.returneeId,
    subject_type: WEBHOOK_EVENT_TYPES[e.type].subject,
    subject_id: e.subjectId,
  }));
  const params: unknown[] = [JSON.stringify(rows), pgArray(subscriptions.map((s) => s.id!))];
  const audience = audienceSql(byAudience, [...agencies.values()], params);
  const sent = await tx.execute<SentRow[]>(
    `with ev as (
       insert into webhook_event (id, type, returnee_id, subject_type, subject_id)
       select id, type, returnee_id, subject_type, subject_id
       from jsonb_to_recordset(?::jsonb) as x(id uuid, type text, returnee_id uuid, subject_type text, subject_id uuid)
       returning id, seq, type, returnee_id, subject_id
     ), d as (
       insert into webhook_delivery (event_id, subscription_id, order_key, event_seq)
       select ev.id, s.id, ev.returnee_id, ev.seq
       from ev join webhook_subscription s on s.id = any(?::uuid[]) and ev.type = any(s.event_types)
       where ${audience}
       returning event_id, subscription_id
     ), n as (select pg_notify('${OUTBOX_CHANNEL}', '') from (select 1 from d limit 1) one)
     select distinct d.event_id::text, ev.type, ev.returnee_id::text, s.agency_id::text, (select count(*) from n)::int as notified
     from d join ev on ev.id = d.event_id join webhook_subscription s on s.id = d.subscription_id`,
    params,
  );
  await recordDisclosures(tx, sent);
}
