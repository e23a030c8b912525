import type { EntityManager } from '@mikro-orm/postgresql';
import { POLICIES } from '../../policies';
import type { Operation } from '../request/operation';
import { Agency } from '../agency/agency.entity';
import { badInput, conflict, forbidden } from '../errors';
import { uuidOrThrow } from '../common/ids';
import { StaffMember } from '../staff/staff.entity';
import { eventTypeOfWire, WEBHOOK_EVENT_TYPES, type WebhookEventTypeName } from './webhook-event-types';
import { secretBoxFor } from './webhook-runtime';
import { subscriptionScopeSql } from './webhook-scope';
import { newSigningSecret } from './webhook-secret';
import { WebhookSubscription } from './webhook-subscription.entity';
import { endpointUrlOrThrow } from './webhook-target';
import type { CreateWebhookSubscriptionInput, RotateWebhookSecretInput, WebhookSubscriptionType } from './webhook.types';

/** Endpoints an agency may have at once: enough for a case system and a reporting job, few enough to bound fan-out. */
const MAX_PER_AGENCY = 10;

const MANAGE_DENIED = 'Only a supervisor of the agency (or an administrator) may manage its webhooks';
const REGISTER_DENIED =
  "Only a supervisor of the agency registers its endpoints: they receive the ids of the agency's records, which administrators do not read";

/**
 * Webhook subscriptions: a supervisor of a case agency registers an endpoint and the event types
 * it wants, and gets the signing secret once; rotates it with an overlap during which both secrets
 * sign; disables it (administrators, for any such agency, list, rotate and disable, but do not
 * register: an endpoint receives record ids, which they do not read). Authorize first
 * (a DENY event for anyone else), then every lookup is limited in SQL to the caller's scope
 * (webhook-scope.ts); a subscription outside it answers exactly as a missing one.
 */
export async function createWebhookSubscriptionOrThrow(
  op: Operation,
  input: CreateWebhookSubscriptionInput,
): Promise<{ id: string; secret: string }> {
  await op.authorizeOrThrow('manageWebhooks', 'WebhookSubscription', { entityType: 'WebhookSubscription', message: MANAGE_DENIED });
  const agencyId = input.agencyId ? uuidOrThrow(input.agencyId, 'agencyId') : op.actor.agencyId;
  const agency = await op.em.findOne(Agency, { id: agencyId });
  if (!agency) throw badInput('No agency with this agencyId: pick one from the agencies query', { fields: ['agencyId'] });
  // An endpoint receives the ids of the agency's records as they change, what its delivery log
  // shows: so it is registered only by someone who may both manage the agency's webhooks and read
  // that log (its supervisors). Administrators, who read no record, list, rotate and disable.
  const params: unknown[] = [agencyId]; // the id comes first in the text too
  const manage = subscriptionScopeSql(op.ability, 'manageWebhooks', 'x.id', params) ?? 'false';
  const log = subscriptionScopeSql(op.ability, 'readWebhookLog', 'x.id', params) ?? 'false';
  const [{ ok }] = await op.em.execute<{ ok: boolean }[]>(
    `with x as (select ?::uuid as id) select (${manage}) and (${log}) as ok from x`,
    params,
  );
  if (!ok) await op.denyOrThrow({ entityType: 'WebhookSubscription' }, forbidden(REGISTER_DENIED));
  if (POLICIES[agency.sector].recordScope !== 'case') {
    throw badInput(`A ${agency.sector} agency works on no cases, so no event concerns it`, { fields: ['agencyId'] });
  }
  const url = await endpointUrlOrThrow(input.url, op.ctx.runtime.config.webhooks);
  const full = () => conflict(`${agency.code} already has ${MAX_PER_AGENCY} webhook subscriptions: disable one first`);
  const active = (em: EntityManager) => em.count(WebhookSubscription, { agency: agency.id, status: { $ne: 'DISABLED' } });
  if ((await active(op.em)) >= MAX_PER_AGENCY) throw full();
  const secret = newSigningSecret();
  const id = await op.em.transactional(async (tx) => {
    // Registrations for one agency one after the other (a lock on its row that no foreign key
    // check waits for), counted again under it: two at once for the last place are one CONFLICT.
    await tx.execute('select 1 from agency where id = ? for no key update', [agency.id]);
    if ((await active(tx)) >= MAX_PER_AGENCY) throw full();
    const sub = new WebhookSubscription(
      tx.getReference(Agency, agency.id, { wrapped: true }),
      url,
      [...new Set(input.eventTypes)].map((t) => WEBHOOK_EVENT_TYPES[t].wire),
      '',
    );
    sub.secretSealed = secretBoxFor(op.ctx.runtime).seal(secret, sub.id);
    sub.description = input.description?.trim() || undefined;
    sub.createdBy = tx.getReference(StaffMember, op.actor.staffId, { wrapped: true });
    tx.persist(sub);
    await tx.flush();
    await op.recordInTransaction(tx, [
      {
        action: 'CREATE',
        entityType: 'WebhookSubscription',
        entityId: sub.id,
        fields: ['url', 'eventTypes', 'description', 'secret'],
        outcome: 'SUCCESS',
      },
    ]);
    return sub.id;
  });
  return { id, secret };
}

/** A subscription the caller may `action`, or the attempt is recorded and answered NOT_FOUND. */
export async function subscriptionInScopeOrThrow(
  op: Operation,
  requestedId: string,
  action: 'manageWebhooks' | 'readWebhookLog',
  audit: 'READ' | 'UPDATE',
): Promise<WebhookSubscription> {
  const id = uuidOrThrow(requestedId); // before the id reaches the audit trail
  await op.authorizeOrThrow(action, 'WebhookSubscription', {
    entityType: 'WebhookSubscription',
    entityId: id,
    message: action === 'manageWebhooks' ? MANAGE_DENIED : 'Only supervisors of the agency and auditors may read its webhook deliveries',
  });
  const params: unknown[] = [id];
  const scope = subscriptionScopeSql(op.ability, action, 's.agency_id', params) ?? 'false';
  const rows = await op.em.execute<{ id: string }[]>(`select s.id from webhook_subscription s where s.id = ? and ${scope}`, params);
  // refresh: a mutation changed the row with a native update in this request; answer with what is stored, not the cached entity.
  const found = rows.length === 1 ? await op.em.findOne(WebhookSubscription, { id }, { populate: ['agency'], refresh: true }) : null;
  return found ?? op.notFoundOrThrow(audit, 'WebhookSubscription', id);
}

const DISABLED = () => conflict('This subscription is disabled; register a new one');

/**
 * A new secret; the previous one keeps signing for the overlap (both signatures are sent), then stops.
 * The row is locked and its state read in the rotation's transaction: a disabling committed since the
 * first look makes it CONFLICT (no secret stored for a disabled endpoint), and of two rotations at
 * once the second keeps the first's secret as the previous one (neither returned secret is lost).
 */
export async function rotateWebhookSecretOrThrow(op: Operation, input: RotateWebhookSecretInput): Promise<{ id: string; secret: string }> {
  const sub = await subscriptionInScopeOrThrow(op, input.id, 'manageWebhooks', 'UPDATE');
  if (sub.status === 'DISABLED') throw DISABLED();
  const overlap = input.overlapSeconds ?? op.ctx.runtime.config.webhooks.rotationOverlapS;
  const secret = newSigningSecret();
  const box = secretBoxFor(op.ctx.runtime);
  await op.em.transactional(async (tx) => {
    const [current] = await tx.execute<{ status: string; secret_sealed: string }[]>(
      'select status, secret_sealed from webhook_subscription where id = ? for update',
      [sub.id],
    );
    if (current.status === 'DISABLED') throw DISABLED();
    const now = new Date();
    await tx.nativeUpdate(
      WebhookSubscription,
      { id: sub.id },
      {
        previousSecretSealed: current.secret_sealed,
        previousSecretExpiresAt: new Date(now.getTime() + overlap * 1000),
        secretSealed: box.seal(secret, sub.id),
        secretRotatedAt: now,
      },
    );
    await op.recordInTransaction(tx, [
      {
        action: 'UPDATE',
        entityType: 'WebhookSubscription',
        entityId: sub.id,
        fields: ['secret', 'previousSecretExpiresAt'],
        outcome: 'SUCCESS',
      },
    ]);
  });
  return { id: sub.id, secret };
}

/** Nothing more is queued for it or sent to it; its pending deliveries are cancelled, its log stays. */
export async function disableWebhookSubscriptionOrThrow(op: Operation, requestedId: string): Promise<string> {
  const sub = await subscriptionInScopeOrThrow(op, requestedId, 'manageWebhooks', 'UPDATE');
  if (sub.status === 'DISABLED') throw conflict('This subscription is already disabled');
  await op.em.transactional(async (tx) => {
    // Conditional: of two disablings at once (or one racing a look at a stale state) one changes the row, the other is CONFLICT.
    const n = await tx.nativeUpdate(
      WebhookSubscription,
      { id: sub.id, status: { $ne: 'DISABLED' } },
      { status: 'DISABLED', disabledAt: new Date() },
    );
    if (n === 0) throw conflict('This subscription is already disabled');
    await tx.execute(
      `update webhook_delivery set status = 'CANCELLED', leased_until = null where subscription_id = ? and status = 'PENDING'`,
      [sub.id],
    );
    await op.recordInTransaction(tx, [
      { action: 'UPDATE', entityType: 'WebhookSubscription', entityId: sub.id, fields: ['status', 'disabledAt'], outcome: 'SUCCESS' },
    ]);
  });
  return sub.id;
}

/** Subscriptions the caller may manage or whose log they may read, newest first; each read is audited. */
export async function listWebhookSubscriptions(op: Operation, agencyId?: string): Promise<WebhookSubscription[]> {
  const params: unknown[] = [];
  const arms = (['manageWebhooks', 'readWebhookLog'] as const)
    .map((a) => subscriptionScopeSql(op.ability, a, 's.agency_id', params))
    .filter((s): s is string => s !== null);
  if (arms.length === 0) {
    await op.authorizeOrThrow('readWebhookLog', 'WebhookSubscription', {
      entityType: 'WebhookSubscription',
      message: 'Only supervisors, administrators and auditors see webhook subscriptions',
    });
  }
  const where = [`(${arms.join(' or ')})`];
  if (agencyId !== undefined && agencyId !== null) {
    // '' too: an id that is not a UUID is refused, never read as "no filter"
    where.push('s.agency_id = ?');
    params.push(uuidOrThrow(agencyId, 'agencyId'));
  }
  const ids = await op.em.execute<{ id: string }[]>(
    `select s.id from webhook_subscription s where ${where.join(' and ')} order by s.created_at desc, s.id limit 100`,
    params,
  );
  const subs = await op.em.find(
    WebhookSubscription,
    { id: { $in: ids.map((r) => r.id) } },
    { populate: ['agency'], orderBy: { createdAt: 'desc', id: 'asc' } },
  );
  await op.recordDurably(
    subs.map((s) => ({
      action: 'READ' as const,
      entityType: 'WebhookSubscription',
      entityId: s.id,
      fields: SHOWN,
      outcome: 'SUCCESS' as const,
    })),
  );
  return subs;
}

const SHOWN = ['url', 'eventTypes', 'description', 'status'];

export async function subscriptionById(em: EntityManager, id: string): Promise<WebhookSubscription> {
  return em.findOneOrFail(WebhookSubscription, { id }, { populate: ['agency'] });
}

export function subscriptionView(s: WebhookSubscription): WebhookSubscriptionType {
  const agency = s.agency.getEntity();
  return {
    id: s.id,
    agency: {
      id: agency.id,
      code: agency.code,
      name: agency.name,
      sector: agency.sector,
      country: agency.country,
      createdAt: agency.createdAt,
    },
    url: s.url,
    eventTypes: s.eventTypes.map(eventTypeOfWire).filter((t): t is WebhookEventTypeName => t !== undefined),
    description: s.description ?? null,
    status: s.status,
    failingSince: s.failingSince ?? null,
    createdAt: s.createdAt,
    secretRotatedAt: s.secretRotatedAt ?? null,
    previousSecretExpiresAt: s.previousSecretExpiresAt ?? null,
  };
}

/**
 * One subscription as its manager sees it after a change: scoped (NOT_FOUND outside), and its
 * showing recorded as a READ like the list's. What every webhook mutation answers with.
 */
export async function readWebhookSubscriptionOrThrow(op: Operation, id: string): Promise<WebhookSubscriptionType> {
  const sub = await subscriptionInScopeOrThrow(op, id, 'manageWebhooks', 'READ');
  await op.recordDurably([{ action: 'READ', entityType: 'WebhookSubscription', entityId: sub.id, fields: SHOWN, outcome: 'SUCCESS' }]);
  return subscriptionView(sub);
}
