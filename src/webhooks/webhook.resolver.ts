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
    description: 'Register an endpoint for your agency (supervisors) or any case agency (administrators); the secret is shown once',
  })
  async createWebhookSubscription(
    @Arg('input', () => CreateWebhookSubscriptionInput, { description: 'The endpoint and the event types' })
    input: CreateWebhookSubscriptionInput,
    @Op() op: Operation,
  ): Promise<WebhookSecretPayload> {
    const { id, secret } = await createWebhookSubscriptionOrThrow(op, input);
    return { subscription: await readWebhookSubscriptionOrThrow(op, id), signingSecret: secret };
  }

  @Authorized()
  @Mutation(() => WebhookSecretPayload, { description: 'A new signing secret, shown once; the previous one also signs during the overlap' })
  async rotateWebhookSecret(
    @Arg('input', () => RotateWebhookSecretInput, { description: 'The subscription and the overlap' }) input: RotateWebhookSecretInput,
    @Op() op: Operation,
  ): Promise<WebhookSecretPayload> {
    const { id, secret } = await rotateWebhookSecretOrThrow(op, input);
    return { subscription: await readWebhookSubscriptionOrThrow(op, id), signingSecret: secret };
  }

  @Authorized()
  @Mutation(() => WebhookSubscriptionType, { description: 'Stop a subscription: nothing more is sent, pending deliveries are cancelled' })
  async disableWebhookSubscription(
    @Arg('id', () => ID, { description: 'The subscription' }) id: string,
    @Op() op: Operation,
  ): Promise<WebhookSubscriptionType> {
    const done = await disableWebhookSubscriptionOrThrow(op, id);
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
    return (await redeliverWebhookEventOrThrow(op, input)).length;
  }
}
