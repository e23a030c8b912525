import type { HubServer } from '../src/server';
import { createScratchDb, type ScratchDb } from './support/audit-scratch-db';
import { giveConsent, makeReturnee, makeSectorUser, makeStaff, type StaffFixture } from './support/factories';
import { gql, startHub } from './support/hub';
import { WebhookReceiver } from './support/webhook-receiver';
import { FAST_WEBHOOKS, subscribe } from './support/webhooks';

/**
 * Every webhook delivery is a disclosure (it tells an agency a record's id and what happened to
 * it), so it is in the audit trail: the auditor's events about the person name the receiving
 * agency, a redelivery is audited again, and the person's own statement lists the notices. The
 * database refuses such an event for an agency that was sent no such delivery.
 */
let db: ScratchDb;
let hub: HubServer;
let ngo: StaffFixture; // registers the record (caseworker)
let ngoSupervisor: StaffFixture;
let social: StaffFixture; // receives the referral (supervisor)
let auditor: StaffFixture;
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  db = await createScratchDb('webhooks_audit');
  hub = await startHub({ DATABASE_URL: db.url, ...FAST_WEBHOOKS });
  ngo = await makeSectorUser(hub.db.orm, 'NGO', ['CASEWORKER']);
  ngoSupervisor = await makeStaff(hub.db.orm, ngo.agency, ['SUPERVISOR']);
  social = await makeSectorUser(hub.db.orm, 'SOCIAL', ['SUPERVISOR']);
  auditor = await makeSectorUser(hub.db.orm, 'OVERSIGHT', ['AUDITOR']);
}, 120_000);

afterAll(async () => {
  for (const r of receivers) await r.close();
  await hub?.stop();
  await db?.drop();
});

const REFER = `mutation($input: ReferReturneeInput!) { referReturnee(input: $input) { id } }`;
const REDELIVER = `mutation($input: RedeliverWebhookEventInput!) { redeliverWebhookEvent(input: $input) }`;
const EVENTS = `query($filter: AuditEventFilter) { auditEvents(filter: $filter, first: 100) {
  nodes { action outcome entityType fields purpose operation staff { id } agency { id } returnee { id } } } }`;
const REPORT = `query($id: ID!) { disclosureReport(returneeId: $id) {
  agencies { agency { code } entries { staff { username } action outcome purpose records fields times } } } }`;
const STATEMENT = `query($id: ID!, $lang: String!) { disclosureStatement(returneeId: $id, language: $lang) {
  entries { access topics times sentence purpose agency { name } basis { kind } } } }`;

interface EventNode {
  action: string;
  entityType: string;
  fields: string[];
  purpose: string | null;
  operation: string;
  staff: { id: string } | null;
  agency: { id: string } | null;
}

async function deliveryEvents(returneeId: string): Promise<EventNode[]> {
  const res = await gql(hub, auditor.token, EVENTS, { filter: { returneeId } });
  expect(res.errors).toBeUndefined();
  return (res.data.auditEvents.nodes as EventNode[]).filter((e) => e.entityType === 'WebhookDelivery' && e.action === 'READ');
}

describe('a webhook delivery in the audit trail', () => {
  it('names the receiving agency, is audited again on redelivery, and is in the person’s statement', async () => {
    const toSocial = await new WebhookReceiver().open();
    receivers.push(toSocial);
    const sub = await subscribe(hub, social.token, toSocial.url, ['REFERRAL_RECEIVED']);
    const returnee = await makeReturnee(hub.db.orm, ngo.agency);
    await giveConsent(hub.db.orm, returnee, ngo);
    const referred = await gql(hub, ngo.token, REFER, {
      input: { returneeId: returnee.id, toAgencyId: social.agency.id, service: 'housing support', reason: 'Needs housing' },
    });
    expect(referred.errors).toBeUndefined();
    await toSocial.until(() => toSocial.received.length >= 1, 'the referral event');
    const eventId = toSocial.events()[0].id;

    // The disclosure is recorded once, for the receiving agency, whatever the retries; the NGO has no subscription.
    const first = await deliveryEvents(returnee.id);
    expect(first).toEqual([
      expect.objectContaining({
        agency: { id: social.agency.id },
        staff: null,
        fields: ['id', 'type:referral.received'],
        purpose: 'webhook notification',
        operation: 'webhookDelivery',
        outcome: 'SUCCESS',
      }),
    ]);

    // A redelivery tells the agency again: a second disclosure event, beside the supervisor's own UPDATE.
    const again = await gql(hub, social.token, REDELIVER, { input: { eventId, subscriptionId: sub.id } });
    expect(again.data.redeliverWebhookEvent).toBe(1);
    await toSocial.until(() => toSocial.received.length >= 2, 'the redelivery');
    const both = await deliveryEvents(returnee.id);
    expect(both).toHaveLength(2);
    expect(both.map((e) => e.operation).sort()).toEqual(['redeliverWebhookEvent', 'webhookDelivery']);
    expect(both.every((e) => e.agency?.id === social.agency.id)).toBe(true);

    // The auditor's per-person report lists the receiving agency with what it was told.
    const report = await gql(hub, auditor.token, REPORT, { id: returnee.id });
    expect(report.errors).toBeUndefined();
    const socialPart = report.data.disclosureReport.agencies.find(
      (a: { agency: { code: string } }) => a.agency.code === social.agency.code,
    );
    expect(socialPart.entries).toContainEqual(
      expect.objectContaining({ staff: null, action: 'READ', purpose: 'webhook notification', times: 2 }),
    );

    // The statement names the agency that was notified, and how often (the supervisor's redelivery
    // request itself is a separate CHANGED entry of the same agency).
    const statement = await gql(hub, ngo.token, STATEMENT, { id: returnee.id, lang: 'en' });
    expect(statement.errors).toBeUndefined();
    const notices = (
      statement.data.disclosureStatement.entries as {
        access: string;
        topics: string[];
        times: number;
        agency: { name: string } | null;
        sentence: string;
      }[]
    ).filter((e) => e.topics.includes('NOTIFICATIONS') && e.access === 'SAW');
    expect(notices).toEqual([expect.objectContaining({ agency: expect.objectContaining({ name: social.agency.name }), times: 2 })]);
    expect(notices[0].sentence).toContain('notices to their own system');
    const ru = await gql(hub, ngo.token, STATEMENT, { id: returnee.id, lang: 'ru' });
    expect(ru.data.disclosureStatement.entries.map((e: { sentence: string }) => e.sentence).join('\n')).toContain('уведомления');
  });

  it('the database refuses a delivery event naming an agency that was sent no such delivery', async () => {
    const returnee = await makeReturnee(hub.db.orm, ngo.agency);
    {
      const insert = (agencyId: string, entityId: string) =>
        db.query(
          `insert into audit_event (request_id, agency_id, action, entity_type, entity_id, returnee_id, fields, denied_fields, operation, outcome)
           values (gen_random_uuid(), $1, 'READ', 'WebhookDelivery', $2, $3, '{}', '{}', 'forged', 'SUCCESS')`,
          [agencyId, entityId, returnee.id],
        );
      const delivered = await db.query<{ event_id: string }>(
        `select d.event_id::text from webhook_delivery d join webhook_subscription s on s.id = d.subscription_id where s.agency_id = $1 limit 1`,
        [social.agency.id],
      );
      expect(delivered).toHaveLength(1);
      // The event exists, but was never sent to the NGO: blaming the NGO for it is refused.
      await expect(insert(ngoSupervisor.agency.id, delivered[0].event_id)).rejects.toThrow(/not an active staff member/);
      await expect(insert(social.agency.id, '00000000-0000-4000-8000-000000000000')).rejects.toThrow(/not an active staff member/);
      await expect(insert(social.agency.id, 'not-a-uuid')).rejects.toThrow(/not an active staff member/);
    }
  });
});
