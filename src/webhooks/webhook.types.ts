import { ArrayMaxSize, ArrayMinSize, IsInt, IsOptional, IsUUID, Length, Max, Min } from 'class-validator';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { enumObject } from '../access/policy';
import { AgencyType } from '../agency/agency.types';
import { PageInfo } from '../common/paging';
import { WEBHOOK_DELIVERY_STATUSES, type WebhookDeliveryStatus } from './webhook-delivery.entity';
import { WEBHOOK_EVENT_TYPE_NAMES, WEBHOOK_EVENT_TYPES, type WebhookEventTypeName } from './webhook-event-types';
import { WEBHOOK_SUBSCRIPTION_STATUSES, type WebhookSubscriptionStatus } from './webhook-subscription.entity';

export const WebhookEventTypeEnum = enumObject(WEBHOOK_EVENT_TYPE_NAMES);
export const WebhookSubscriptionStatusEnum = enumObject(WEBHOOK_SUBSCRIPTION_STATUSES);
export const WebhookDeliveryStatusEnum = enumObject(WEBHOOK_DELIVERY_STATUSES);

registerEnumType(WebhookEventTypeEnum, {
  name: 'WebhookEventType',
  description: 'What a webhook announces; the payload names it in wire form (e.g. REFERRAL_RECEIVED is `referral.received`).',
  valuesConfig: Object.fromEntries(
    WEBHOOK_EVENT_TYPE_NAMES.map((n) => [n, { description: `\`${WEBHOOK_EVENT_TYPES[n].wire}\`: ${WEBHOOK_EVENT_TYPES[n].description}` }]),
  ),
});
registerEnumType(WebhookSubscriptionStatusEnum, {
  name: 'WebhookSubscriptionStatus',
  description: 'Whether a subscription is receiving deliveries',
  valuesConfig: {
    ACTIVE: { description: 'Deliveries are going through' },
    FAILING: { description: 'A delivery was given up after the retry period; newer events are still tried, and a success makes it ACTIVE' },
    DISABLED: { description: 'Switched off by a supervisor or administrator: nothing is queued or sent' },
  },
});
registerEnumType(WebhookDeliveryStatusEnum, {
  name: 'WebhookDeliveryStatus',
  description: 'Where one delivery stands',
  valuesConfig: {
    PENDING: { description: 'To be sent, or retried after a failed attempt' },
    DELIVERED: { description: 'The receiver answered 2xx' },
    FAILED: { description: 'Given up after the retry period (redeliverWebhookEvent sends it again)' },
    CANCELLED: { description: 'Its subscription was disabled before it went out' },
  },
});

@ObjectType('WebhookSubscription', { description: "An agency's endpoint for webhooks. Its signing secret is shown once and never again." })
export class WebhookSubscriptionType {
  @Field(() => ID, { description: 'The subscription' }) id!: string;
  @Field(() => AgencyType, { description: 'The agency whose events it receives' }) agency!: AgencyType;
  @Field(() => String, { description: 'Where deliveries are POSTed' }) url!: string;
  @Field(() => [WebhookEventTypeEnum], { description: 'The event types it receives' }) eventTypes!: WebhookEventTypeName[];
  @Field(() => String, { nullable: true, description: 'A note for the agency, e.g. which system listens' }) description?: string | null;
  @Field(() => WebhookSubscriptionStatusEnum, { description: 'Whether deliveries are going through' }) status!: WebhookSubscriptionStatus;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Since when it is FAILING' }) failingSince?: Date | null;
  @Field(() => DateTimeISOResolver, { description: 'When it was registered' }) createdAt!: Date;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When its secret was last rotated' }) secretRotatedAt?: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Until when the previous secret also signs (rotation overlap)' })
  previousSecretExpiresAt?: Date | null;
}

@ObjectType('WebhookSecretPayload', {
  description: 'A subscription with its new signing secret: store the secret now, it is not shown again',
})
export class WebhookSecretPayload {
  @Field(() => WebhookSubscriptionType, { description: 'The subscription' }) subscription!: WebhookSubscriptionType;
  @Field(() => String, { description: '`whsec_…` (Standard Webhooks); verify `webhook-signature` with it' }) signingSecret!: string;
}

@ObjectType('WebhookAttempt', { description: 'One try of a delivery. The response body is never stored.' })
export class WebhookAttemptType {
  @Field(() => DateTimeISOResolver, { description: 'When the try started' }) attemptedAt!: Date;
  @Field(() => Int, { nullable: true, description: "The receiver's HTTP status; null when no response came" }) statusCode?: number | null;
  @Field(() => Int, { description: 'Milliseconds until the status line (or the failure)' }) latencyMs!: number;
  @Field(() => String, {
    nullable: true,
    description: 'Why it failed: http_status, redirect, timeout, connection_refused, dns, blocked_address, tls, network; null on success',
  })
  error?: string | null;
}

@ObjectType('WebhookDelivery', { description: 'One event to one subscription: ids, never contents' })
export class WebhookDeliveryType {
  @Field(() => ID, {
    description: 'The delivery: derived from its event and subscription, the same on every read (never a hub-wide counter)',
  })
  id!: string;
  @Field(() => ID, { description: 'The event (the `webhook-id` header)' }) eventId!: string;
  @Field(() => WebhookEventTypeEnum, { description: 'What the event announces' }) eventType!: WebhookEventTypeName;
  @Field(() => ID, { description: 'The returnee record it is about' }) returneeId!: string;
  @Field(() => String, { description: 'The kind of record it concerns: Referral, Consent, CaseAccess…' }) subjectType!: string;
  @Field(() => ID, { description: 'That record' }) subjectId!: string;
  @Field(() => DateTimeISOResolver, { description: 'When the change happened' }) occurredAt!: Date;
  @Field(() => WebhookDeliveryStatusEnum, { description: 'Where the delivery stands' }) status!: WebhookDeliveryStatus;
  @Field(() => Int, { description: 'Tries so far' }) attempts!: number;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When the next try is due (PENDING only)' }) nextAttemptAt?: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When a 2xx answer came' }) deliveredAt?: Date | null;
  @Field(() => [WebhookAttemptType], { description: 'Every try, oldest first' }) attemptLog!: WebhookAttemptType[];
}

@ObjectType('WebhookDeliveryEdge', { description: 'A delivery and its cursor' })
export class WebhookDeliveryEdge {
  @Field(() => String, { description: 'Pass as `after` to continue after this delivery' }) cursor!: string;
  @Field(() => WebhookDeliveryType, { description: 'The delivery' }) node!: WebhookDeliveryType;
}

@ObjectType('WebhookDeliveryConnection', { description: 'Deliveries of a subscription, newest first' })
export class WebhookDeliveryConnection {
  @Field(() => [WebhookDeliveryEdge], { description: 'The page, with cursors' }) edges!: WebhookDeliveryEdge[];
  @Field(() => [WebhookDeliveryType], { description: 'The page' }) nodes!: WebhookDeliveryType[];
  @Field(() => PageInfo, { description: 'Whether more follow' }) pageInfo!: PageInfo;
  @Field(() => Int, { description: 'Deliveries of the subscription matching the filter' }) totalCount!: number;
}

@InputType({ description: 'A new endpoint for an agency' })
export class CreateWebhookSubscriptionInput {
  @Field(() => ID, { nullable: true, description: 'The agency; by default your own (only your own: another agency is FORBIDDEN)' })
  @IsOptional()
  @IsUUID('all', { message: 'agencyId must be a UUID' })
  agencyId?: string;
  @Field(() => String, { description: 'https:// URL the hub POSTs to; must resolve to a public address' }) @Length(8, 2000) url!: string;
  @Field(() => [WebhookEventTypeEnum], { description: 'The event types to receive (at least one)' })
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_TYPE_NAMES.length)
  eventTypes!: WebhookEventTypeName[];
  @Field(() => String, { nullable: true, description: 'A note for the agency, e.g. which system listens' })
  @IsOptional()
  @Length(0, 200)
  description?: string;
}

@InputType({ description: 'A new signing secret for a subscription' })
export class RotateWebhookSecretInput {
  @Field(() => ID, { description: 'The subscription' }) @IsUUID('all', { message: 'id must be a UUID' }) id!: string;
  @Field(() => Int, {
    nullable: true,
    description: "Seconds the previous secret keeps signing too (default: the operator's, 24 h; at most 30 days)",
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(30 * 86_400)
  overlapSeconds?: number;
}

@InputType({ description: 'Send an event again' })
export class RedeliverWebhookEventInput {
  @Field(() => ID, { description: 'The event (the `webhook-id` a receiver got)' })
  @IsUUID('all', { message: 'eventId must be a UUID' })
  eventId!: string;
  @Field(() => ID, { nullable: true, description: 'Only to this subscription; by default every one of yours that had it' })
  @IsOptional()
  @IsUUID('all', { message: 'subscriptionId must be a UUID' })
  subscriptionId?: string;
}
