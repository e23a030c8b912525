import type { HubServer } from '../src/server';
import { postOnce, senderAgents } from '../src/webhooks/webhook-sender';
import { createScratchDb, type ScratchDb } from './support/audit-scratch-db';
import { giveConsent, makeReturnee, makeSectorUser, makeStaff, type StaffFixture } from './support/factories';
import { errorCode, gql, startHub, tokenFor } from './support/hub';
import { WebhookReceiver } from './support/webhook-receiver';
import { announce, CREATE_SUBSCRIPTION, FAST_WEBHOOKS, subscribe } from './support/webhooks';

/**
 * Who may manage webhooks and read their log (refusals audited), which endpoints are refused,
 * and what the sender does with slow, redirecting or rebinding receivers.
 */
let db: ScratchDb;
let hub: HubServer; // loopback allowed, as a test needs to reach its receivers
let strict: HubServer; // the defaults: loopback refused
let ngo: StaffFixture;
let supervisor: StaffFixture;
let otherSupervisor: StaffFixture;
let auditor: StaffFixture;
let foreignAuditor: StaffFixture;
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  db = await createScratchDb('webhooks_access');
  hub = await startHub({ DATABASE_URL: db.url, ...FAST_WEBHOOKS });
  strict = await startHub({ DATABASE_URL: db.url, HUB_WEBHOOK_DISPATCH: '0', HUB_WEBHOOK_ALLOW_HTTP: '0' });
  ngo = await makeSectorUser(hub.db.orm, 'NGO', ['CASEWORKER']);
  supervisor = await makeStaff(hub.db.orm, ngo.agency, ['SUPERVISOR']);
  otherSupervisor = await makeSectorUser(hub.db.orm, 'HEALTH', ['SUPERVISOR']);
  auditor = await makeSectorUser(hub.db.orm, 'OVERSIGHT', ['AUDITOR']);
  foreignAuditor = await makeSectorUser(hub.db.orm, 'OVERSIGHT', ['AUDITOR'], 'KG');
}, 120_000);

afterAll(async () => {
  for (const r of receivers) await r.close();
  await strict?.stop();
  await hub?.stop();
  await db?.drop();
});

async function receiver(): Promise<WebhookReceiver> {
  const r = await new WebhookReceiver().open();
  receivers.push(r);
  return r;
}

async function auditRows(staffId: string): Promise<Record<string, any>[]> {
  return db.query(`select action, entity_type, entity_id, returnee_id, outcome, reason from audit_event where staff_id = $1 order by id`, [
    staffId,
  ]);
}

describe('who may manage webhooks', () => {
  it('refuses a caseworker, with a DENY event', async () => {
    const res = await gql(hub, ngo.token, CREATE_SUBSCRIPTION, {
      input: { url: 'https://example.org/hooks', eventTypes: ['REFERRAL_RECEIVED'] },
    });
    expect(errorCode(res)).toBe('FORBIDDEN');
    expect(res.errors![0].message).toMatch(/supervisor/);
    expect(await auditRows(ngo.staff.id)).toEqual([
      expect.objectContaining({ action: 'DENY', entity_type: 'WebhookSubscription', outcome: 'DENIED', reason: 'FORBIDDEN' }),
    ]);
    expect((await db.query(`select count(*)::int as n from webhook_subscription where agency_id = $1`, [ngo.agency.id]))[0].n).toBe(0);
  });

  it("refuses a supervisor another agency's webhooks, and an auditor any management, with DENY events", async () => {
    const res = await gql(hub, otherSupervisor.token, CREATE_SUBSCRIPTION, {
      input: { url: 'https://example.org/hooks', eventTypes: ['REFERRAL_RECEIVED'], agencyId: ngo.agency.id },
    });
    expect(errorCode(res)).toBe('FORBIDDEN');
    const byAuditor = await gql(hub, auditor.token, CREATE_SUBSCRIPTION, {
      input: { url: 'https://example.org/hooks', eventTypes: ['REFERRAL_RECEIVED'] },
    });
    expect(errorCode(byAuditor)).toBe('FORBIDDEN');
    expect((await auditRows(otherSupervisor.staff.id)).map((r) => r.action)).toEqual(['DENY']);
    expect((await auditRows(auditor.staff.id)).map((r) => r.action)).toEqual(['DENY']);
  });

  it('lets an administrator disable an agency’s endpoint, but neither register one nor read its log: both name records', async () => {
    const admin = await makeSectorUser(hub.db.orm, 'ADMINISTRATION', ['ADMIN']);
    const r = await receiver();
    const refused = await gql(hub, admin.token, CREATE_SUBSCRIPTION, {
      input: { url: r.url, eventTypes: ['CONSENT_RECORDED'], agencyId: ngo.agency.id },
    });
    expect(errorCode(refused)).toBe('FORBIDDEN');
    const oversight = await gql(hub, admin.token, CREATE_SUBSCRIPTION, {
      input: { url: r.url, eventTypes: ['CONSENT_RECORDED'], agencyId: auditor.agency.id },
    });
    expect(errorCode(oversight)).toBe('FORBIDDEN');
    const own = await gql(hub, supervisor.token, CREATE_SUBSCRIPTION, { input: { url: r.url, eventTypes: ['CONSENT_RECORDED'] } });
    expect(own.errors).toBeUndefined();
    const id = own.data.createWebhookSubscription.subscription.id;
    const log = await gql(hub, admin.token, `query($id: ID!) { webhookDeliveries(subscriptionId: $id) { totalCount } }`, { id });
    expect(errorCode(log)).toBe('FORBIDDEN');
    const off = await gql(hub, admin.token, `mutation($id: ID!) { disableWebhookSubscription(id: $id) { status } }`, { id });
    expect(off.data.disableWebhookSubscription.status).toBe('DISABLED');
  });
});

describe('the delivery log', () => {
  it('shows attempts, status codes and latencies to supervisors and auditors of the country, never a response body; redelivers', async () => {
    const r = await receiver();
    const sub = await subscribe(hub, supervisor.token, r.url, ['CONSENT_RECORDED']);
    const returnee = await makeReturnee(hub.db.orm, ngo.agency);
    const consent = await giveConsent(hub.db.orm, returnee, ngo);
    r.mode = 'fail';
    await announce(hub.db.orm, [{ type: 'CONSENT_RECORDED', returneeId: returnee.id, subjectId: consent.id }]);
    await r.until(() => r.received.length >= 2, 'two failed tries');
    r.mode = 'ok';
    await r.until(() => r.received.at(-1)?.headers['webhook-id'] !== undefined && r.received.length >= 3, 'the successful try');
    const LOG = `query($id: ID!) { webhookDeliveries(subscriptionId: $id) { totalCount edges { cursor node { eventId eventType returneeId status attempts
      attemptLog { statusCode latencyMs error } } } pageInfo { hasNextPage } } }`;
    let delivered: any;
    for (let i = 0; i < 50; i++) {
      const res = await gql(hub, supervisor.token, LOG, { id: sub.id });
      delivered = res.data?.webhookDeliveries.edges[0]?.node;
      if (delivered?.status === 'DELIVERED') break;
      await new Promise((res2) => setTimeout(res2, 100));
    }
    expect(delivered).toMatchObject({ eventType: 'CONSENT_RECORDED', returneeId: returnee.id, status: 'DELIVERED' });
    expect(delivered.attemptLog.length).toBeGreaterThanOrEqual(3);
    expect(delivered.attemptLog[0]).toMatchObject({ statusCode: 503, error: 'http_status' });
    expect(delivered.attemptLog.at(-1)).toMatchObject({ statusCode: 200, error: null });
    expect(delivered.attemptLog.every((a: { latencyMs: number }) => a.latencyMs >= 0)).toBe(true);
    const everything = await db.query(`select * from webhook_attempt`);
    expect(JSON.stringify(everything)).not.toContain(WebhookReceiver.BODY_MARKER);
    const reads = await auditRows(supervisor.staff.id);
    expect(reads).toContainEqual(expect.objectContaining({ action: 'READ', entity_type: 'WebhookDelivery', returnee_id: returnee.id }));

    // An auditor of the country reads it; one of another country finds nothing there.
    const byAuditor = await gql(hub, auditor.token, LOG, { id: sub.id });
    expect(byAuditor.data.webhookDeliveries.totalCount).toBe(1);
    const foreign = await gql(hub, foreignAuditor.token, LOG, { id: sub.id });
    expect(errorCode(foreign)).toBe('NOT_FOUND');
    const byCaseworker = await gql(hub, ngo.token, LOG, { id: sub.id });
    expect(errorCode(byCaseworker)).toBe('FORBIDDEN');
    expect((await auditRows(ngo.staff.id)).at(-1)).toMatchObject({ action: 'DENY', entity_type: 'WebhookSubscription' });

    // Redelivery: the same webhook-id again; another agency's supervisor cannot.
    const before = r.received.length;
    const REDELIVER = `mutation($input: RedeliverWebhookEventInput!) { redeliverWebhookEvent(input: $input) }`;
    const denied = await gql(hub, otherSupervisor.token, REDELIVER, { input: { eventId: delivered.eventId } });
    expect(errorCode(denied)).toBe('NOT_FOUND');
    const again = await gql(hub, supervisor.token, REDELIVER, { input: { eventId: delivered.eventId, subscriptionId: sub.id } });
    expect(again.data.redeliverWebhookEvent).toBe(1);
    await r.until(() => r.received.length > before, 'the redelivery');
    expect(r.received.at(-1)!.headers['webhook-id']).toBe(delivered.eventId);
    expect(await auditRows(supervisor.staff.id)).toContainEqual(
      expect.objectContaining({ action: 'UPDATE', entity_type: 'WebhookDelivery', entity_id: delivered.eventId }),
    );
  });
});

describe('endpoints the hub refuses', () => {
  const hostile: [string, RegExp][] = [
    ['https://127.0.0.1:9/hooks', /127\.0\.0\.1, a loopback address/],
    ['https://localhost/hooks', /localhost, a loopback address/],
    ['https://[::1]/hooks', /loopback/],
    ['https://[::ffff:127.0.0.1]/hooks', /loopback/],
    ['https://169.254.169.254/latest/meta-data', /link-local/],
    ['https://10.1.2.3/hooks', /private/],
    ['https://192.168.0.10/hooks', /private/],
    ['https://0.0.0.0/hooks', /reserved/],
    ['https://[fe80::1]/hooks', /link-local/],
    ['https://user:pass@example.org/hooks', /user name or password/],
    ['ftp://example.org/hooks', /https:\/\//],
    ['file:///etc/passwd', /https:\/\//],
    ['https://example.org/hooks#x', /fragment/],
    ['not a url', /absolute URL/],
    ['https://no-such-host.invalid/hooks', /does not resolve/],
  ];
  it.each(hostile)('%s', async (url, message) => {
    const res = await gql(strict, supervisor.token, CREATE_SUBSCRIPTION, { input: { url, eventTypes: ['REFERRAL_RECEIVED'] } });
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toMatch(message);
    expect(res.errors![0].extensions).toMatchObject({ fields: ['url'] });
  });

  it('refuses plain http where the operator did not allow it', async () => {
    const res = await gql(strict, supervisor.token, CREATE_SUBSCRIPTION, {
      input: { url: 'http://example.org/hooks', eventTypes: ['REFERRAL_RECEIVED'] },
    });
    expect(res.errors![0].message).toMatch(/must use https:\/\/ .*HUB_WEBHOOK_ALLOW_HTTP/);
  });
});

describe('the sender', () => {
  const opts = { timeoutMs: 500, allowedTargets: [] as never[] };
  const agents = senderAgents(2);

  it('checks the address a name resolves to when it connects (a name that now points at loopback is refused)', async () => {
    const r = await receiver();
    const res = await postOnce(`http://localhost:${r.port}/hooks`, {}, '{}', opts, agents);
    expect(res.error).toBe('blocked_address');
    expect(r.received).toEqual([]);
    const allowed = await postOnce(`http://localhost:${r.port}/hooks`, {}, '{}', { ...opts, allowedTargets: ['loopback'] }, agents);
    expect(allowed).toMatchObject({ statusCode: 200, error: null });
  });

  it('does not follow redirects, and gives up on a receiver that does not answer within the timeout', async () => {
    const r = await receiver();
    r.mode = 'redirect';
    const loop = { ...opts, allowedTargets: ['loopback' as const] };
    expect(await postOnce(r.url, {}, '{}', loop, agents)).toMatchObject({ statusCode: 302, error: 'redirect' });
    r.mode = 'hang';
    const started = Date.now();
    const hung = await postOnce(r.url, {}, '{}', loop, agents);
    expect(hung.error).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('never delays the hub: requests are answered while a receiver hangs', async () => {
    const r = await receiver();
    r.mode = 'hang';
    await subscribe(hub, supervisor.token, r.url, ['CONSENT_RECORDED']);
    const returnee = await makeReturnee(hub.db.orm, ngo.agency);
    await announce(
      hub.db.orm,
      Array.from({ length: 5 }, () => ({ type: 'CONSENT_RECORDED' as const, returneeId: returnee.id, subjectId: crypto.randomUUID() })),
    );
    await new Promise((res) => setTimeout(res, 200)); // the dispatcher is now waiting on the receiver
    const started = Date.now();
    const me = await gql(hub, await tokenFor(supervisor.staff.username), `{ me { staff { username } } }`);
    expect(me.errors).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
