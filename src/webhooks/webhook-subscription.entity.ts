import { randomUUID } from 'node:crypto';
import { Entity, Enum, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Agency } from '../agency/agency.entity';
import { StaffMember } from '../staff/staff.entity';

/**
 * ACTIVE: delivering. FAILING: a delivery was given up after the retry period (the hub keeps
 * trying newer events; the first success makes it ACTIVE again). DISABLED: switched off by a
 * supervisor or administrator; nothing more is queued or sent.
 */
export const WEBHOOK_SUBSCRIPTION_STATUSES = ['ACTIVE', 'FAILING', 'DISABLED'] as const;
export type WebhookSubscriptionStatus = (typeof WEBHOOK_SUBSCRIPTION_STATUSES)[number];

/**
 * An agency's endpoint and the event types it wants. The signing secret is kept only sealed
 * (AES-256-GCM, webhook-secret.ts): the hub must sign with it, so it cannot be a hash, but it
 * is shown once, at creation or rotation, and never returned again. During a rotation's
 * overlap the previous secret signs too (Standard Webhooks: several signatures, space-separated).
 */
@Entity({ tableName: 'webhook_subscription' })
export class WebhookSubscription {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Agency, { ref: true, index: true })
  agency: Ref<Agency>;

  @Property({ type: 'text' })
  url: string;

  /** Wire names (`referral.received`), see webhook-event-types.ts. */
  @Property({ type: 'text[]' })
  eventTypes: string[];

  @Property({ type: 'text', nullable: true })
  description?: string;

  @Property({ type: 'text', lazy: true })
  secretSealed: string;

  @Property({ type: 'text', nullable: true, lazy: true })
  previousSecretSealed?: string;

  /** Until when the previous secret still signs (the rotation's overlap). */
  @Property({ type: 'timestamptz', nullable: true })
  previousSecretExpiresAt?: Date;

  @Enum({ items: () => [...WEBHOOK_SUBSCRIPTION_STATUSES], type: 'string' })
  status: WebhookSubscriptionStatus = 'ACTIVE';

  @Property({ type: 'timestamptz', nullable: true })
  failingSince?: Date;

  @ManyToOne(() => StaffMember, { ref: true, nullable: true })
  createdBy?: Ref<StaffMember>;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  secretRotatedAt?: Date;

  @Property({ type: 'timestamptz', nullable: true })
  disabledAt?: Date;

  constructor(agency: Ref<Agency>, url: string, eventTypes: string[], secretSealed: string) {
    this.agency = agency;
    this.url = url;
    this.eventTypes = eventTypes;
    this.secretSealed = secretSealed;
  }
}
