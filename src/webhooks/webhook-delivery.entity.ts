import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, type Ref } from '@mikro-orm/core';
import { WebhookSubscription } from './webhook-subscription.entity';

/**
 * The outbox. One `webhook_event` row per change, written in the change's transaction; one
 * `webhook_delivery` per (event, subscription of an agency that may see the record at that
 * moment), claimed by the dispatchers of every hub process; one `webhook_attempt` per try.
 * Thin by construction: ids, a type and a time, never names, notes or section values; no
 * response body is ever stored.
 */
@Entity({ tableName: 'webhook_event' })
export class WebhookEvent {
  /** Also the `webhook-id` header: the same on every retry and redelivery, so receivers can dedupe. */
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  /** Commit order per record (writers of one record's events queue on a lock, webhook-outbox.ts). */
  @Property({ type: 'bigint', autoincrement: true, unique: true })
  seq!: string;

  @Property({ type: 'text' })
  type!: string;

  @Property({ type: 'uuid', index: true })
  returneeId!: string;

  @Property({ type: 'text' })
  subjectType!: string;

  @Property({ type: 'uuid' })
  subjectId!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  occurredAt!: Date;
}

export const WEBHOOK_DELIVERY_STATUSES = ['PENDING', 'DELIVERED', 'FAILED', 'CANCELLED'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

@Entity({ tableName: 'webhook_delivery' })
@Unique({ properties: ['event', 'subscription'] })
@Index({ properties: ['subscription', 'id'] })
// What the dispatchers poll: due, pending deliveries only.
@Index({
  name: 'webhook_delivery_due_index',
  expression: `create index "webhook_delivery_due_index" on "webhook_delivery" ("next_attempt_at") where "status" = 'PENDING'`,
})
// "Is an earlier event of this record still pending for this endpoint?" (order per record).
@Index({
  name: 'webhook_delivery_order_index',
  expression: `create index "webhook_delivery_order_index" on "webhook_delivery" ("subscription_id", "order_key", "event_seq") where "status" = 'PENDING'`,
})
export class WebhookDelivery {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne(() => WebhookEvent, { ref: true })
  event!: Ref<WebhookEvent>;

  @ManyToOne(() => WebhookSubscription, { ref: true })
  subscription!: Ref<WebhookSubscription>;

  /** The record the event is about: events of one record reach one endpoint in order. */
  @Property({ type: 'uuid' })
  orderKey!: string;

  @Property({ type: 'bigint' })
  eventSeq!: string;

  @Enum({ items: () => [...WEBHOOK_DELIVERY_STATUSES], type: 'string', default: 'PENDING' })
  status!: WebhookDeliveryStatus;

  @Property({ type: 'int', default: 0 })
  attempts!: number;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt!: Date;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  nextAttemptAt!: Date;

  /** A dispatcher holds the delivery until then (it is sending); another may take it after. */
  @Property({ type: 'timestamptz', nullable: true })
  leasedUntil?: Date;

  @Property({ type: 'text', nullable: true })
  leaseOwner?: string;

  @Property({ type: 'timestamptz', nullable: true })
  deliveredAt?: Date;

  @Property({ type: 'int', nullable: true })
  lastStatusCode?: number;
}

@Entity({ tableName: 'webhook_attempt' })
export class WebhookAttempt {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne(() => WebhookDelivery, { ref: true, index: true })
  delivery!: Ref<WebhookDelivery>;

  @Property({ type: 'timestamptz' })
  attemptedAt!: Date;

  /** The receiver's HTTP status; null when no response came (refused, timed out, blocked). */
  @Property({ type: 'int', nullable: true })
  statusCode?: number;

  @Property({ type: 'int' })
  latencyMs!: number;

  /** Why it failed, from a fixed vocabulary (webhook-sender.ts); never the response body. */
  @Property({ type: 'text', nullable: true })
  error?: string;
}
