import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { freePort } from '../src/db/free-port';
import type { HubServer } from '../src/server';
import { enqueueWebhookEvents } from '../src/webhooks/webhook-outbox';
import { createScratchDb, type ScratchDb } from './support/audit-scratch-db';
import { giveConsent, makeReturnee, makeSectorUser, makeStaff, type StaffFixture } from './support/factories';
import { errorCode, gql, startHub } from './support/hub';
import { WebhookReceiver } from './support/webhook-receiver';
import { announce, FAST_WEBHOOKS, specSignature, subscribe, verifyWithLibrary } from './support/webhooks';

/**
 * Webhooks end to end: a real hub on a database of its own (other suites' hubs must not pick up
 * these deliveries), real mutations, and real receivers on loopback (allowed for this hub only).
 */
let db: ScratchDb;
let hub: HubServer;
let ngo: StaffFixture; // registers the record (caseworker)
let ngoSupervisor: StaffFixture;
let social: StaffFixture; // receives the referral (supervisor)
let outsider: StaffFixture; // same sector and country, never on the record (supervisor)
const receivers: WebhookReceiver[] = [];

async function receiver(): Promise<WebhookReceiver> {
  const r = await new WebhookReceiver().open();
  receivers.push(r);
  return r;
}

beforeAll(async () => {
  db = await createScratchDb('webhooks');
  hub = await startHub({ DATABASE_URL: db.url, ...FAST_WEBHOOKS });
  ngo = await makeSectorUser(hub.db.orm, 'NGO', ['CASEWORKER']);
  ngoSupervisor = await makeStaff(hub.db.orm, ngo.agency, ['SUPERVISOR']);
  social = await makeSectorUser(hub.db.orm, 'SOCIAL', ['SUPERVISOR']);
  outsider = await makeSectorUser(hub.db.orm, 'SOCIAL', ['SUPERVISOR']);
}, 120_000);

afterAll(async () => {
  for (const r of receivers) await r.close();
  await hub?.stop();
  await db?.drop();
});

const REFER = `mutation($input: ReferReturneeInput!) { referReturnee(input: $input) { id } }`;
const ACCEPT = `mutation($input: DecideReferralInput!) { acceptReferral(input: $input) { id status } }`;

async function referToSocial(returneeId: string): Promise<string> {
  const res = await gql(hub, ngo.token, REFER, {
    input: { returneeId, toAgencyId: social.agency.id, service: 'housing support', reason: 'Needs housing after the centre' },
  });
  expect(res.errors).toBeUndefined();
  return res.data.referReturnee.id;
}

describe('a referral, announced to both agencies of it', () => {
  it('arrives signed with the Standard Webhooks algorithm, thin, and verifies with the reference library', async () => {
    const toSocial = await receiver();
    const toNgo = await receiver();
    const s = await subscribe(hub, social.token, toSocial.url, ['REFERRAL_RECEIVED', 'REFERRAL_ACCEPTED', 'CASE_ACCESS_GRANTED']);
    const n = await subscribe(hub, ngoSupervisor.token, toNgo.url, ['REFERRAL_RECEIVED', 'REFERRAL_ACCEPTED']);
    const returnee = await makeReturnee(hub.db.orm, ngo.agency, { givenName: 'Zarina', familyName: 'Yusupova' });
    await giveConsent(hub.db.orm, returnee, ngo);
    const referralId = await referToSocial(returnee.id);
    const accepted = await gql(hub, social.token, ACCEPT, { input: { id: referralId, note: 'Taken on by our housing desk' } });
    expect(accepted.errors).toBeUndefined();

    await toSocial.until(() => toSocial.received.length >= 3, 'three events at the receiving agency');
    await toNgo.until(() => toNgo.received.length >= 2, 'two events at the referring agency');
    expect(toSocial.events().map((e) => e.type)).toEqual(['referral.received', 'referral.accepted', 'case_access.granted']);
    expect(toNgo.events().map((e) => e.type)).toEqual(['referral.received', 'referral.accepted']);

    for (const [r, secret] of [
      [toSocial, s.secret],
      [toNgo, n.secret],
    ] as const) {
      for (const got of r.received) {
        // The reference library (the receiver's view) and the published algorithm by hand agree.
        expect(() => verifyWithLibrary(secret, got.body, got.headers)).not.toThrow();
        expect(got.headers['webhook-signature'].split(' ')).toContain(
          specSignature(secret, got.headers['webhook-id'], got.headers['webhook-timestamp'], got.body),
        );
        // Tampering with one byte of the body breaks it.
        expect(() => verifyWithLibrary(secret, got.body.replace('"version":1', '"version":2'), got.headers)).toThrow();
      }
    }
    const first = toSocial.events()[0];
    expect(JSON.parse(first.body)).toEqual({
      type: 'referral.received',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      data: {
        version: 1,
        eventId: first.id,
        returneeId: returnee.id,
        subject: { type: 'Referral', id: referralId },
        link: `${hub.url}/graphql`,
      },
    });
    // Thin: no name, note, service or reason of the record or the referral travels.
    for (const got of [...toSocial.received, ...toNgo.received]) {
      for (const secretValue of ['Zarina', 'Yusupova', 'housing', 'Taken on', returnee.caseNumber])
        expect(got.body).not.toContain(secretValue);
    }
    // The same event reaches both agencies under one webhook-id.
    expect(toNgo.events()[0].id).toBe(first.id);
  });

  it('sends nothing to an agency that does not see the record, and nothing of a change that rolled back', async () => {
    const toOutsider = await receiver();
    const toNgo = await receiver();
    await subscribe(hub, outsider.token, toOutsider.url, [
      'REFERRAL_RECEIVED',
      'CONSENT_RECORDED',
      'CASE_ACCESS_GRANTED',
      'CASE_ACCESS_ENDED',
    ]);
    await subscribe(hub, ngoSupervisor.token, toNgo.url, ['CONSENT_RECORDED']);
    const returnee = await makeReturnee(hub.db.orm, ngo.agency);
    const consent = await giveConsent(hub.db.orm, returnee, ngo);
    await referToSocial(returnee.id);
    // A change whose transaction rolls back after announcing its event.
    const rolledBack = '00000000-0000-4000-8000-00000000dead';
    await expect(
      hub.db.orm.em.fork().transactional(async (tx) => {
        await enqueueWebhookEvents(tx, [{ type: 'CONSENT_RECORDED', returneeId: returnee.id, subjectId: rolledBack }]);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await announce(hub.db.orm, [{ type: 'CONSENT_RECORDED', returneeId: returnee.id, subjectId: consent.id }]);

    await toNgo.until(() => toNgo.received.length >= 1, 'the committed consent event');
    await new Promise((r) => setTimeout(r, 500)); // anything else would have come by now
    expect(toNgo.events().map((e) => e.data.subject.id)).toEqual([consent.id]);
    expect(toOutsider.received).toEqual([]);
    const rows = await db.query(`select count(*)::int as n from webhook_event where subject_id = $1`, [rolledBack]);
    expect(rows[0].n).toBe(0);
  });

  it('keeps deliveries verifiable across a secret rotation: both secrets sign during the overlap', async () => {
    const r = await receiver();
    const sub = await subscribe(hub, ngoSupervisor.token, r.url, ['CONSENT_RECORDED']);
    const returnee = await makeReturnee(hub.db.orm, ngo.agency);
    const consent = await giveConsent(hub.db.orm, returnee, ngo);
    const event = { type: 'CONSENT_RECORDED' as const, returneeId: returnee.id, subjectId: consent.id };

    const ROTATE = `mutation($input: RotateWebhookSecretInput!) { rotateWebhookSecret(input: $input) { signingSecret subscription { previousSecretExpiresAt } } }`;
    const rotated = await gql(hub, ngoSupervisor.token, ROTATE, { input: { id: sub.id, overlapSeconds: 600 } });
    expect(rotated.errors).toBeUndefined();
    const next = rotated.data.rotateWebhookSecret.signingSecret as string;
    expect(next).toMatch(/^whsec_/);
    expect(next).not.toBe(sub.secret);
    await announce(hub.db.orm, [event]);
    await r.until(() => r.received.length === 1, 'the event signed during the overlap');
    const during = r.received[0];
    expect(during.headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => verifyWithLibrary(sub.secret, during.body, during.headers)).not.toThrow(); // a receiver not yet updated
    expect(() => verifyWithLibrary(next, during.body, during.headers)).not.toThrow(); // an updated one

    // A rotation without overlap: only the newest secret signs from now on.
    const again = await gql(hub, ngoSupervisor.token, ROTATE, { input: { id: sub.id, overlapSeconds: 0 } });
    const newest = again.data.rotateWebhookSecret.signingSecret as string;
    await announce(hub.db.orm, [event]);
    await r.until(() => r.received.length === 2, 'the event signed after the overlap');
    const after = r.received[1];
    expect(() => verifyWithLibrary(newest, after.body, after.headers)).not.toThrow();
    expect(() => verifyWithLibrary(next, after.body, after.headers)).toThrow();
    expect(() => verifyWithLibrary(sub.secret, after.body, after.headers)).toThrow();
    // The secret is never returned again, nor stored in the clear.
    const list = await gql(hub, ngoSupervisor.token, `{ webhookSubscriptions { id url } }`);
    expect(JSON.stringify(list)).not.toContain('whsec_');
    const stored = await db.query(`select * from webhook_subscription where id = $1`, [sub.id]);
    expect(JSON.stringify(stored)).not.toContain(newest.slice(6, 30));
  });

  it('tells an agency whose access ended, and nothing more of that record afterwards', async () => {
    const toSocial = await receiver();
    await subscribe(hub, social.token, toSocial.url, ['CASE_ACCESS_GRANTED', 'CASE_ACCESS_ENDED', 'CONSENT_RECORDED']);
    const returnee = await makeReturnee(hub.db.orm, ngo.agency);
    const consent = await giveConsent(hub.db.orm, returnee, ngo);
    const referralId = await referToSocial(returnee.id);
    await gql(hub, social.token, ACCEPT, { input: { id: referralId } });
    await announce(hub.db.orm, [{ type: 'CONSENT_RECORDED', returneeId: returnee.id, subjectId: consent.id }]);
    await toSocial.until(() => toSocial.received.length === 2, 'access granted, then the consent');
    const close = await gql(
      hub,
      ngoSupervisor.token,
      `mutation($input: DecideReferralInput!) { closeReferral(input: $input) { status } }`,
      {
        input: { id: referralId, note: 'Done' },
      },
    );
    expect(close.errors).toBeUndefined();
    await toSocial.until(() => toSocial.received.length === 3, 'access ended');
    await announce(hub.db.orm, [{ type: 'CONSENT_RECORDED', returneeId: returnee.id, subjectId: consent.id }]);
    await new Promise((r) => setTimeout(r, 500));
    expect(toSocial.events().map((e) => e.type)).toEqual(['case_access.granted', 'consent.recorded', 'case_access.ended']);
    expect(errorCode(close)).toBeUndefined();
  });
});

describe('the receivers integrators start from', () => {
  const ROOT = path.resolve(__dirname, '..');
  const children: ChildProcess[] = [];
  afterAll(() => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')));

  /** A TypeScript file run as an integrator would, printing JSON lines; resolves once `ready` holds for a line. */
  function run(file: string, env: Record<string, string>): { lines: () => Record<string, any>[]; child: ChildProcess } {
    const child = spawn(process.execPath, ['-r', path.join(ROOT, 'test/support/ts-register.js'), file], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const lines = () =>
      out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, any>);
    return { lines, child };
  }

  async function until(what: string, check: () => boolean): Promise<void> {
    const end = Date.now() + 30_000;
    while (!check()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it("docs/webhooks.md's verification example accepts the hub's deliveries and refuses a forged one", async () => {
    const page = await readFile(path.join(ROOT, 'docs/webhooks.md'), 'utf8');
    const block = /^```ts webhook-receiver\n([\s\S]*?)^```$/m.exec(page);
    expect(block).not.toBeNull();
    await mkdir(path.join(ROOT, 'test/artifacts'), { recursive: true });
    const file = path.join(ROOT, 'test/artifacts/docs-webhook-receiver.ts');
    await writeFile(file, block![1]);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const { secret } = await subscribe(hub, ngoSupervisor.token, url, ['CONSENT_RECORDED']);
    const receiver = run(file, { HUB_WEBHOOK_SECRET: secret, PORT: String(port) });
    const returnee = await makeReturnee(hub.db.orm, ngo.agency);
    const consent = await giveConsent(hub.db.orm, returnee, ngo);
    await new Promise((r) => setTimeout(r, 1500)); // let it listen; the hub retries anyway
    await announce(hub.db.orm, [{ type: 'CONSENT_RECORDED', returneeId: returnee.id, subjectId: consent.id }]);
    await until('the verified event', () => receiver.lines().length >= 1);
    expect(receiver.lines()[0]).toMatchObject({ type: 'consent.recorded', subject: { type: 'Consent', id: consent.id } });
    const forged = await fetch(url, {
      method: 'POST',
      headers: { 'webhook-id': 'x', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' },
      body: '{"type":"referral.received"}',
    });
    expect(forged.status).toBe(400);
    expect(receiver.lines()).toHaveLength(1);
  });

  it('the typed client example verifies a referral event and reads the referral through the API', async () => {
    const port = await freePort();
    const { secret } = await subscribe(hub, social.token, `http://127.0.0.1:${port}/`, ['REFERRAL_RECEIVED']);
    const receiver = run(path.join(ROOT, 'examples/typed-client/webhook-receiver.ts'), {
      HUB_URL: hub.url,
      HUB_TOKEN: social.token,
      HUB_WEBHOOK_SECRET: secret,
      PORT: String(port),
    });
    await until('the receiver to listen', () => receiver.lines().some((l) => l.listening === port));
    const returnee = await makeReturnee(hub.db.orm, ngo.agency);
    await giveConsent(hub.db.orm, returnee, ngo);
    const referralId = await referToSocial(returnee.id);
    await until('the referral read back', () =>
      receiver.lines().some((l) => l.event === 'referral.received' && l.referral?.id === referralId),
    );
    const line = receiver.lines().find((l) => l.referral?.id === referralId)!;
    expect(line.referral).toMatchObject({ status: 'PENDING', service: 'housing support', toAgency: { code: social.agency.code } });
  });
});
