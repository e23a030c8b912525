import { conflict } from '../errors';
import { Arg, Authorized, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Operation } from '../request/operation';
import { Op } from '../graphql/operation.decorator';
import type { WebhookDeliveryStatus } from './webhook-delivery.entity';
import { listWebhookDeliveries, redeliverWebhookEventOrThrow } from './webhook-log.service';
import {
  createWebhookSubscriptionOrThrow,
  disableWebhookSubscriptionOrThrow,
  listWebhookSubscriptions,
  rotateWebhookSecretOrThrow,
  readWebhookSubscriptionOrThrow,
  subscriptionView,
} from './webhook.service';
import {
  CreateWebhookSubscriptionInput,
  RedeliverWebhookEventInput,
  RotateWebhookSecretInput,
  WebhookDeliveryConnection,
  WebhookDeliveryStatusEnum,
  WebhookSecretPayload,
  WebhookSubscriptionType,
} from './webhook.types';

/** Thin: the services authorize (supervisors, administrators, auditors), scope in SQL and audit. */
@Resolver(() => WebhookSubscriptionType)
export class WebhookResolver {
  @Authorized()
  @Query(() => [WebhookSubscriptionType], {
    description: 'Webhook subscriptions you may manage (supervisors: your agency; administrators: any) or audit (auditors: your country)',
  })
  async webhookSubscriptions(
    @Op() op: Operation,
    @Arg('agencyId', () => ID, { nullable: true, description: 'Only this agency' }) agencyId?: string,
  ): Promise<WebhookSubscriptionType[]> {
    return (await listWebhookSubscriptions(op, agencyId)).map(subscriptionView);
  }

  @Authorized()
  @Query(() => WebhookDeliveryConnection, {
    description: "A subscription's delivery log, newest first: attempts, status codes, latencies (supervisors of the agency, auditors)",
  })
  webhookDeliveries(
    @Op() op: Operation,
    @Arg('subscriptionId', () => ID, { description: 'The subscription' }) subscriptionId: string,
    @Arg('status', () => WebhookDeliveryStatusEnum, { nullable: true, description: 'Only deliveries in this status' })
    status?: WebhookDeliveryStatus,
    @Arg('first', () => Int, { defaultValue: 20, description: 'Page size' }) first = 20,
    @Arg('after', () => String, { nullable: true, description: 'endCursor of the previous page' }) after?: string,
  ): Promise<WebhookDeliveryConnection> {
    return listWebhookDeliveries(op, { subscriptionId, status, first, after });
  }

  @Authorized()
  @Mutation(() => WebhookSecretPayload, {
    description:
      'Register an endpoint for your agency (supervisors; it receives the ids of its records as they change); the secret is shown once',
  })
  async createWebhookSubscription(
    @Arg('input', () => CreateWebhookSubscriptionInput, { description: 'The endpoint and the event types' })
    input: CreateWebhookSubscriptionInput,
    @Op() op: Operation,
  ): Promise<WebhookSecretPayload> {
    let secret: string | undefined;
    const id = await op.once(async () => {
      const made = await createWebhookSubscriptionOrThrow(op, input);
      secret = made.secret;
      return made.id;
    });
    return secretPayloadOrThrow(await readWebhookSubscriptionOrThrow(op, id), secret);
  }

  @Authorized()
  @Mutation(() => WebhookSecretPayload, { description: 'A new signing secret, shown once; the previous one also signs during the overlap' })
  async rotateWebhookSecret(
    @Arg('input', () => RotateWebhookSecretInput, { description: 'The subscription and the overlap' }) input: RotateWebhookSecretInput,
    @Op() op: Operation,
  ): Promise<WebhookSecretPayload> {
    let secret: string | undefined;
    const id = await op.once(async () => {
      const rotated = await rotateWebhookSecretOrThrow(op, input);
      secret = rotated.secret;
      return rotated.id;
    });
    return secretPayloadOrThrow(await readWebhookSubscriptionOrThrow(op, id), secret);
  }

  @Authorized()
  @Mutation(() => WebhookSubscriptionType, { description: 'Stop a subscription: nothing more is sent, pending deliveries are cancelled' })
  async disableWebhookSubscription(
    @Arg('id', () => ID, { description: 'The subscription' }) id: string,
    @Op() op: Operation,
  ): Promise<WebhookSubscriptionType> {
    const done = await op.once(() => disableWebhookSubscriptionOrThrow(op, id));
    return readWebhookSubscriptionOrThrow(op, done);
  }

  @Authorized()
  @Mutation(() => Int, {
    description: 'Send an event again (same webhook-id) to your subscriptions that had it; returns how many were queued',
  })
  async redeliverWebhookEvent(
    @Arg('input', () => RedeliverWebhookEventInput, { description: 'The event, and optionally one subscription' })
    input: RedeliverWebhookEventInput,
    @Op() op: Operation,
  ): Promise<number> {
    return Number(await op.once(async () => String((await redeliverWebhookEventOrThrow(op, input)).length)));
  }
}

/**
 * A signing secret is shown once and never stored in the clear (not in the idempotency table
 * either): a replay of the request that made it cannot show it again.
 */
function secretPayloadOrThrow(subscription: WebhookSubscriptionType, secret: string | undefined): WebhookSecretPayload {
  if (secret !== undefined) return { subscription, signingSecret: secret };
  throw conflict(
    'This Idempotency-Key already made this change and its signing secret was shown then, once; call rotateWebhookSecret for a new one',
    { reason: 'SECRET_SHOWN_ONCE' },
  );
}
