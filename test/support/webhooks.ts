import { createHmac } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Webhook } from 'standardwebhooks';
import { enqueueWebhookEvents, type OutboxEvent } from '../../src/webhooks/webhook-outbox';
import type { WebhookEventTypeName } from '../../src/webhooks/webhook-event-types';
import { errorCode, gql } from './hub';

/** Settings of a hub whose dispatcher may reach the test's loopback receiver and retries fast. */
export const FAST_WEBHOOKS: Record<string, string> = {
  HUB_WEBHOOK_ALLOWED_TARGETS: 'loopback',
  HUB_WEBHOOK_RETRY_BASE_MS: '50',
  HUB_WEBHOOK_RETRY_MAX_DELAY_MS: '200',
  HUB_WEBHOOK_POLL_MS: '50',
  HUB_WEBHOOK_TIMEOUT_MS: '2000',
};

export const CREATE_SUBSCRIPTION = `mutation($input: CreateWebhookSubscriptionInput!) {
  createWebhookSubscription(input: $input) { signingSecret subscription { id url eventTypes status agency { id } } }
}`;

export async function subscribe(
  hub: { url: string },
  token: string,
  url: string,
  eventTypes: WebhookEventTypeName[],
  agencyId?: string,
): Promise<{ id: string; secret: string }> {
  const res = await gql(hub, token, CREATE_SUBSCRIPTION, { input: { url, eventTypes, agencyId } });
  if (res.errors) throw new Error(`createWebhookSubscription: ${errorCode(res)} ${res.errors[0].message}`);
  return { id: res.data.createWebhookSubscription.subscription.id, secret: res.data.createWebhookSubscription.signingSecret };
}

/** The Standard Webhooks signature computed here, from the published algorithm, without the library. */
export function specSignature(secret: string, id: string, timestamp: string, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** Verifies a delivery with the reference library; throws when it does not verify. */
export function verifyWithLibrary(secret: string, body: string, headers: Record<string, string>): unknown {
  return new Webhook(secret).verify(body, headers);
}

/** What a feature does in its transaction (the outbox API other modules call), committed. */
export async function announce(orm: MikroORM, events: OutboxEvent[]): Promise<void> {
  await orm.em.fork().transactional((tx) => enqueueWebhookEvents(tx, events));
}
