import { recordDisclosures } from './webhook-disclosure';
import type { Operation } from '../request/operation';
import { badInput, conflict } from '../errors';
import { cursorsFor } from '../common/cursor';
import { pageInfoOf } from '../common/paging';
import { derivedId, uuidOrThrow } from '../common/ids';
import { WEBHOOK_DELIVERY_STATUSES, type WebhookDeliveryStatus } from './webhook-delivery.entity';
import { eventTypeOfWire, type WebhookEventTypeName } from './webhook-event-types';
import { subscriptionScopeSql } from './webhook-scope';
import { subscriptionInScopeOrThrow } from './webhook.service';
import type { WebhookDeliveryType } from './webhook.types';

interface DeliveryRow {
  id: string;
  event_id: string;
  type: string;
  returnee_id: string;
  subject_type: string;
  subject_id: string;
  occurred_at: Date;
  status: WebhookDeliveryStatus;
  attempts: number;
  next_attempt_at: Date;
  delivered_at: Date | null;
  attempt_log: { attemptedAt: string; statusCode: number | null; latencyMs: number; error: string | null }[];
}

const FIELDS = ['eventId', 'eventType', 'returneeId', 'subjectType', 'subjectId', 'status', 'attempts', 'attemptLog'];

/**
 * A delivery is shown under an id derived from its event and subscription (unique together), never
 * under its key: that sequence counts every agency's deliveries, so the gap between two of yours
 * would say how many other agencies, of any country, were notified in between.
 */
function view(r: DeliveryRow, subscriptionId: string): WebhookDeliveryType {
  return {
    id: derivedId('WebhookDelivery', r.event_id, subscriptionId),
    eventId: r.event_id,
    eventType: eventTypeOfWire(r.type) as WebhookEventTypeName,
    returneeId: r.returnee_id,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    occurredAt: r.occurred_at,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.status === 'PENDING' ? r.next_attempt_at : null,
    deliveredAt: r.delivered_at,
    attemptLog: r.attempt_log.map((a) => ({ ...a, attemptedAt: new Date(a.attemptedAt) })),
  };
}

/**
 * The delivery log of one subscription, newest first: event ids and types, status codes,
 * latencies and failure kinds (never a response body), for the agency's supervisors and the
 * auditors of its country. Each delivery shown is a READ event naming the record it is about.
 */
export async function listWebhookDeliveries(
  op: Operation,
  args: { subscriptionId: string; status?: WebhookDeliveryStatus; first: number; after?: string },
) {
  const maxPage = op.ctx.runtime.config.maxPageSize;
  if (!Number.isInteger(args.first) || args.first < 1 || args.first > maxPage) throw badInput(`first must be between 1 and ${maxPage}`);
  if (args.status && !WEBHOOK_DELIVERY_STATUSES.includes(args.status)) throw badInput('Unknown status', { fields: ['status'] });
  const sub = await subscriptionInScopeOrThrow(op, args.subscriptionId, 'readWebhookLog', 'READ');
  const cursors = cursorsFor(op, { connection: 'webhookDeliveries', order: 'id desc', value: 'text', id: 'bigint' });
  const after = args.after ? cursors.openOrThrow(args.after) : undefined;
  const where = ['d.subscription_id = ?'];
  const params: unknown[] = [sub.id];
  if (args.status) {
    where.push('d.status = ?');
    params.push(args.status);
  }
  const total = await op.em.execute<{ n: number }[]>(`select count(*)::int as n from webhook_delivery d where ${where.join(' and ')}`, [
    ...params,
  ]);
  // Deliveries you may see that sort before `after` (newer ones): what hasPreviousPage tells.
  const before = after
    ? await op.em.execute<{ any: boolean }[]>(
        `select exists (select 1 from webhook_delivery d where ${where.join(' and ')} and d.id > ?) as any`,
        [...params, after.id],
      )
    : [{ any: false }];
  if (after) {
    where.push('d.id < ?');
    params.push(after.id);
  }
  const rows = await op.em.execute<DeliveryRow[]>(
    `select d.id::text, d.event_id, e.type, e.returnee_id, e.subject_type, e.subject_id, e.occurred_at, d.status, d.attempts,
       d.next_attempt_at, d.delivered_at,
       coalesce((select json_agg(json_build_object('attemptedAt', a.attempted_at, 'statusCode', a.status_code, 'latencyMs', a.latency_ms,
         'error', a.error) order by a.id) from webhook_attempt a where a.delivery_id = d.id), '[]') as attempt_log
     from webhook_delivery d join webhook_event e on e.id = d.event_id
     where ${where.join(' and ')} order by d.id desc limit ?`,
    [...params, args.first + 1],
  );
  const page = rows.slice(0, args.first);
  await op.recordDurably(
    page.map((r) => ({
      action: 'READ' as const,
      entityType: 'WebhookDelivery',
      entityId: r.event_id,
      returneeId: r.returnee_id,
      fields: FIELDS,
      outcome: 'SUCCESS' as const,
    })),
  );
  const edges = page.map((r) => ({ cursor: cursors.seal(r.id, r.id), node: view(r, sub.id) }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: pageInfoOf(
      edges.map((e) => e.cursor),
      rows.length > args.first,
      before[0].any,
    ),
    totalCount: total[0].n,
  };
}

/**
 * Sends an event again to the caller's subscriptions that had it (or the one named), with the
 * same `webhook-id` and body: a receiver that dedupes on the id sees it once. A redelivery goes
 * out as soon as possible, not in its record's order (it is a replay of something already
 * decided). Only to subscriptions that were in the event's audience when it happened.
 */
export async function redeliverWebhookEventOrThrow(op: Operation, input: { eventId: string; subscriptionId?: string }): Promise<string[]> {
  const eventId = uuidOrThrow(input.eventId, 'eventId');
  await op.authorizeOrThrow('manageWebhooks', 'WebhookSubscription', {
    entityType: 'WebhookEvent',
    entityId: eventId,
    message: 'Only a supervisor of the agency (or an administrator) may redeliver its webhooks',
  });
  const params: unknown[] = [eventId];
  const scope = subscriptionScopeSql(op.ability, 'manageWebhooks', 's.agency_id', params) ?? 'false';
  let only = '';
  if (input.subscriptionId) {
    only = ' and s.id = ?';
    params.push(uuidOrThrow(input.subscriptionId, 'subscriptionId'));
  }
  const found = await op.em.execute<
    { id: string; status: string; sub_status: string; returnee_id: string; type: string; agency_id: string }[]
  >(
    `select d.id::text, d.status, s.status as sub_status, e.returnee_id, e.type, s.agency_id::text from webhook_delivery d
     join webhook_subscription s on s.id = d.subscription_id join webhook_event e on e.id = d.event_id
     where d.event_id = ? and ${scope}${only}`,
    params,
  );
  if (found.length === 0) return op.notFoundOrThrow('UPDATE', 'WebhookEvent', eventId);
  const live = found.filter((d) => d.sub_status !== 'DISABLED');
  if (live.length === 0) throw conflict('Every subscription that had this event is disabled; nothing was sent');
  const ids = live.map((d) => d.id);
  await op.em.transactional(async (tx) => {
    const requeued = await tx.execute<{ id: string }[]>(
      `update webhook_delivery set status = 'PENDING', next_attempt_at = now(), created_at = now(), leased_until = null, lease_owner = null
       where id in (${ids.map(() => '?').join(', ')}) and status <> 'PENDING'
       returning id::text`,
      ids,
    );
    await tx.execute(`select pg_notify('hub_webhook_outbox', '')`);
    await op.recordInTransaction(
      tx,
      live.map((d) => ({
        action: 'UPDATE' as const,
        entityType: 'WebhookDelivery',
        entityId: eventId,
        returneeId: d.returnee_id,
        fields: ['status'],
        outcome: 'SUCCESS' as const,
      })),
    );
    // Each receiving agency is told again: a disclosure of its own (webhook-disclosure.ts). A
    // delivery still pending was not re-queued: its disclosure is the one recorded when it was.
    const again = new Set(requeued.map((r) => r.id));
    await recordDisclosures(
      tx,
      live
        .filter((d) => again.has(d.id))
        .map((d) => ({ event_id: eventId, type: d.type, returnee_id: d.returnee_id, agency_id: d.agency_id })),
      'redeliverWebhookEvent',
    );
  });
  return ids;
}
