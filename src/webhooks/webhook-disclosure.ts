import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordHubEventsInTransaction, type AuditEntry } from '../trail/audit-recorder';
import { WEBHOOK_EVENT_TYPES } from './webhook-event-types';

/** One (event, receiving agency) pair a transaction just queued or re-queued for delivery. */
export interface SentRow {
  event_id: string;
  /** The wire type, e.g. `referral.received`. */
  type: string;
  returnee_id: string;
  agency_id: string;
}

const AUDIENCE_OF_WIRE = new Map<string, string>(Object.values(WEBHOOK_EVENT_TYPES).map((t) => [t.wire, t.audience]));

/** The audit trail's `purpose` of a delivery event: no one declared one, the hub sent it. */
export const WEBHOOK_PURPOSE = 'webhook notification';

/**
 * Records that an agency is told of a record: one `READ` event of entity `WebhookDelivery` per
 * (event, receiving agency), naming the returnee, with the receiving agency as `agency_id` (no
 * staff: the hub sends it), the event id (the `webhook-id`) as entity id, the event type as the
 * field disclosed and the audience rule that allowed it as the reason. Written in the
 * transaction that queues the deliveries, so no delivery exists without its event and a
 * failure to record it rolls the delivery back (fail closed). Retries of a delivery are the
 * same disclosure and are not recorded again; a redelivery is (webhook-log.service.ts).
 */
export async function recordDisclosures(tx: EntityManager, sent: readonly SentRow[], operation = 'webhookDelivery'): Promise<void> {
  const byAgency = new Map<string, AuditEntry[]>();
  for (const r of sent) {
    const entries = byAgency.get(r.agency_id) ?? [];
    entries.push({
      action: 'READ',
      entityType: 'WebhookDelivery',
      entityId: r.event_id,
      returneeId: r.returnee_id,
      fields: ['id', `type:${r.type}`],
      outcome: 'SUCCESS',
      operation,
      // The agency is told because it is in the event's audience (its own work with the person).
      basis: [{ kind: 'OWN_SECTOR' }],
      reason: `audience:${AUDIENCE_OF_WIRE.get(r.type) ?? 'unknown'}`,
    });
    byAgency.set(r.agency_id, entries);
  }
  await recordHubEventsInTransaction(
    tx,
    [...byAgency].map(([agencyId, entries]) => ({ scope: { requestId: randomUUID(), agencyId, purpose: WEBHOOK_PURPOSE }, entries })),
  );
}
