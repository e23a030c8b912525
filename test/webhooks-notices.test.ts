import type { HubServer } from '../src/server';
import { addDays } from '../src/common/calendar';
import { announceDueRequests } from '../src/data-subject/due-notices';
import { today } from '../src/common/calendar';
import { grantAccess, makeReturnee, makeSectorUser, makeStaff } from './support/factories';
import { gql, sqlClient, startHub } from './support/hub';
import { WebhookReceiver } from './support/webhook-receiver';
import { FAST_WEBHOOKS, subscribe } from './support/webhooks';

/**
 * The webhook events of break-glass and data-subject requests, with a real receiver on
 * loopback: each goes to the agencies its audience names (webhook-event-types.ts) and to no
 * other agency, even one that sees the record and subscribed to the type; ids only; once.
 */
let hub: HubServer;
const receivers: WebhookReceiver[] = [];
const NOTICE_DAYS = 5;

beforeAll(async () => {
  // The timed check is off: the test runs it (announceDueRequests), so it knows when it ran.
  hub = await startHub({ ...FAST_WEBHOOKS, HUB_DSR_DUE_CHECK_MS: '0', HUB_DSR_DUE_NOTICE_DAYS: String(NOTICE_DAYS) });
});
afterAll(async () => {
  for (const r of receivers) await r.close();
  await hub.stop();
});

async function receiver(): Promise<WebhookReceiver> {
  const r = await new WebhookReceiver().open();
  receivers.push(r);
  return r;
}

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

/** Every delivery a receiver got: type, record and subject, and the payload's keys (ids only). */
const bodies = (r: WebhookReceiver) =>
  r.received.map((d) => JSON.parse(d.body) as { type: string; data: { returneeId: string; subject: { type: string; id: string } } });

describe('break_glass.opened', () => {
  it("goes to the opener's agency and the record's registering agency, and to no other agency that sees the record", async () => {
    const orm = hub.db.orm;
    const social = await makeSectorUser(orm, 'SOCIAL', ['SUPERVISOR']);
    const clinic = await makeSectorUser(orm, 'HEALTH', ['SUPERVISOR']);
    const ngo = await makeSectorUser(orm, 'NGO', ['SUPERVISOR']);
    const r = await makeReturnee(orm, social.agency);
    await grantAccess(orm, r, ngo.agency); // the NGO sees the record, but has no part in the opening
    const hooks = { social: await receiver(), clinic: await receiver(), ngo: await receiver() };
    await subscribe(hub, social.token, hooks.social.url, ['BREAK_GLASS_OPENED']);
    await subscribe(hub, clinic.token, hooks.clinic.url, ['BREAK_GLASS_OPENED']);
    await subscribe(hub, ngo.token, hooks.ngo.url, ['BREAK_GLASS_OPENED']);

    const opened = await gql(hub, clinic.token, `mutation($input: BreakGlassInput!) { breakGlass(input: $input) { id } }`, {
      input: { returneeId: r.id, reasonCode: 'CHILD_HEALTH_EMERGENCY', reasonText: 'Child brought in unconscious, guardian unknown' },
    });
    expect(opened.errors).toBeUndefined();
    const id = opened.data.breakGlass.id as string;
    await until(() => hooks.social.received.length > 0 && hooks.clinic.received.length > 0);
    for (const h of [hooks.social, hooks.clinic]) {
      expect(bodies(h)).toEqual([
        expect.objectContaining({
          type: 'break_glass.opened',
          data: expect.objectContaining({ returneeId: r.id, subject: { type: 'BreakGlass', id } }),
        }),
      ]);
      expect(h.received[0].body).not.toContain('unconscious'); // the reason text stays in the hub
      expect(h.received[0].body).not.toContain(r.familyName);
    }
    await new Promise((res) => setTimeout(res, 500));
    expect(hooks.ngo.received).toEqual([]);
  });

  it('is not written when the glass may not be broken', async () => {
    const orm = hub.db.orm;
    const social = await makeSectorUser(orm, 'SOCIAL', ['SUPERVISOR']);
    const school = await makeSectorUser(orm, 'EDUCATION', ['SUPERVISOR']);
    const r = await makeReturnee(orm, social.agency);
    await subscribe(hub, social.token, (await receiver()).url, ['BREAK_GLASS_OPENED']);
    const refused = await gql(hub, school.token, `mutation($input: BreakGlassInput!) { breakGlass(input: $input) { id } }`, {
      input: { returneeId: r.id, reasonCode: 'CHILD_HEALTH_EMERGENCY', reasonText: 'Pupil collapsed in class, parents unreachable' },
    });
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const sql = await sqlClient();
    try {
      expect((await sql.query(`select 1 from webhook_event where type = 'break_glass.opened' and returnee_id = $1`, [r.id])).rows).toEqual(
        [],
      );
    } finally {
      await sql.end();
    }
  });
});

describe('data_subject_request.due', () => {
  it('is sent once, to the recording agency only, when a request nears its due date; not for a completed or a distant one', async () => {
    const orm = hub.db.orm;
    const social = await makeSectorUser(orm, 'SOCIAL');
    const chief = await makeStaff(orm, social.agency, ['SUPERVISOR']);
    const clinic = await makeSectorUser(orm, 'HEALTH', ['SUPERVISOR']);
    const r = await makeReturnee(orm, social.agency);
    await grantAccess(orm, r, clinic.agency); // sees the record, subscribes, and must hear nothing of the request
    const hooks = { social: await receiver(), clinic: await receiver() };
    await subscribe(hub, chief.token, hooks.social.url, ['DATA_SUBJECT_REQUEST_DUE']);
    await subscribe(hub, clinic.token, hooks.clinic.url, ['DATA_SUBJECT_REQUEST_DUE']);
    const RECORD = `mutation($input: RecordDataSubjectRequestInput!) { recordDataSubjectRequest(input: $input) { id dueOn } }`;
    const record = async (receivedOn: string) => {
      const res = await gql(hub, social.token, RECORD, { input: { returneeId: r.id, kind: 'RECTIFICATION', receivedOn } });
      expect(res.errors).toBeUndefined();
      return res.data.recordDataSubjectRequest as { id: string; dueOn: string };
    };
    const days = hub.runtime.config.dsrDueDays;
    const near = await record(addDays(today(), -(days - NOTICE_DAYS + 1))); // due in NOTICE_DAYS - 1 days
    const distant = await record(today()); // due in HUB_DSR_DUE_DAYS days
    const done = await record(addDays(today(), -days)); // due today, but answered first
    const completed = await gql(
      hub,
      social.token,
      `mutation($id: ID!) { completeDataSubjectRequest(id: $id, outcome: FULFILLED) { id status } }`,
      { id: done.id },
    );
    expect(completed.errors).toBeUndefined();
    expect(near.dueOn).toBe(addDays(today(), NOTICE_DAYS - 1));

    expect(await announceDueRequests(orm, NOTICE_DAYS)).toBeGreaterThanOrEqual(1);
    await until(() => hooks.social.received.length > 0);
    await announceDueRequests(orm, NOTICE_DAYS); // a second run announces nothing again
    await new Promise((res) => setTimeout(res, 500));
    const mine = bodies(hooks.social).filter((b) => b.data.returneeId === r.id);
    expect(mine.map((b) => [b.type, b.data.subject])).toEqual([['data_subject_request.due', { type: 'DataSubjectRequest', id: near.id }]]);
    expect(hooks.social.received[0].body).not.toContain('RECTIFICATION'); // ids only: the kind is fetched through the API
    expect(bodies(hooks.clinic).filter((b) => b.data.returneeId === r.id)).toEqual([]);
    expect(distant.id).not.toBe(near.id);
  });

  it('follows a request merged into another record: names the survivor, goes to its registering agency', async () => {
    const orm = hub.db.orm;
    const social = await makeSectorUser(orm, 'SOCIAL');
    const chief = await makeStaff(orm, social.agency, ['SUPERVISOR']);
    const owner = await makeSectorUser(orm, 'SOCIAL', ['SUPERVISOR']);
    const survivor = await makeReturnee(orm, owner.agency);
    const merged = await makeReturnee(orm, social.agency);
    await grantAccess(orm, survivor, social.agency);
    const hooks = { social: await receiver(), owner: await receiver() };
    await subscribe(hub, chief.token, hooks.social.url, ['DATA_SUBJECT_REQUEST_DUE']);
    await subscribe(hub, owner.token, hooks.owner.url, ['DATA_SUBJECT_REQUEST_DUE']);
    const RECORD = `mutation($input: RecordDataSubjectRequestInput!) { recordDataSubjectRequest(input: $input) { id } }`;
    const made = await gql(hub, social.token, RECORD, { input: { returneeId: merged.id, kind: 'ERASURE', receivedOn: '2026-01-05' } });
    expect(made.errors).toBeUndefined();
    const versionOf = async (id: string) =>
      (await gql(hub, chief.token, `query($id: ID!) { returnee(id: $id) { version } }`, { id })).data.returnee.version as number;
    const MERGE = `mutation($input: MergeReturneesInput!) { mergeReturnees(input: $input) { mergeId } }`;
    const expectedVersions = { survivor: await versionOf(survivor.id), merged: await versionOf(merged.id) };
    const res = await gql(hub, chief.token, MERGE, { input: { survivorId: survivor.id, mergedId: merged.id, expectedVersions } });
    expect(res.errors).toBeUndefined();

    expect(await announceDueRequests(orm, NOTICE_DAYS)).toBeGreaterThanOrEqual(1);
    await until(() => bodies(hooks.owner).length > 0);
    await new Promise((r) => setTimeout(r, 500));
    expect(bodies(hooks.owner).map((b) => [b.type, b.data.returneeId, b.data.subject])).toEqual([
      ['data_subject_request.due', survivor.id, { type: 'DataSubjectRequest', id: made.data.recordDataSubjectRequest.id }],
    ]);
    expect(bodies(hooks.social).filter((b) => [survivor.id, merged.id].includes(b.data.returneeId))).toEqual([]);
  });
});
