import type { Client } from 'pg';
import type { HubServer } from '../src/server';
import { grantAccess, makeReturnee, makeSectorUser, makeStaff, type StaffFixture } from './support/factories';
import { errorCode, gql, sqlClient, sqlRows, startHub, type GqlResponse } from './support/hub';
import { CREATE_SUBSCRIPTION, FAST_WEBHOOKS, subscribe } from './support/webhooks';
import { createScratchDb, type ScratchDb } from './support/audit-scratch-db';
import { auditRowsFor } from './support/audit';

/**
 * Races between a permission's check and its use (time of check to time of use), each forced
 * deterministically: a second session holds a lock that the requests reach, the test waits until
 * they wait for it (pg_stat_activity, never a sleep as the assertion), commits what it wants to
 * have happened in between, and releases them. Each answer must be one a serial order allows.
 */
let hub: HubServer;
let scratch: ScratchDb;
const shared = process.env.HUB_TEST_DATABASE_URL;

// A database of its own: the tests lock whole tables (audit_event among them), which would stall
// every other suite's requests, and count the sessions of the hub's application role waiting for a
// lock, which in the shared database are also other suites' hubs (the role is per database).
// The suite's helpers (startHub, sqlClient, sqlRows) read the run's database from the environment.
beforeAll(async () => {
  scratch = await createScratchDb('races');
  process.env.HUB_TEST_DATABASE_URL = scratch.url;
  hub = await startHub({ ...FAST_WEBHOOKS, HUB_WEBHOOK_DISPATCH: '0' });
});
afterAll(async () => {
  await hub?.stop();
  process.env.HUB_TEST_DATABASE_URL = shared;
  await scratch?.drop();
});

/**
 * Waits until `n` sessions of the hub's request pool (its application role: not the sealer's
 * background work, not this test's session) wait for a lock. A state, polled; never a timing.
 */
async function lockWaiters(client: Client, n: number): Promise<void> {
  // A bound so a broken interleaving fails the test (and releases its lock) rather than hanging it.
  for (let polls = 0; ; polls++) {
    if (polls > 1000) {
      const { rows } = await client.query(
        `select wait_event_type, wait_event, state, left(query, 120) as query from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
      );
      throw new Error(`never saw ${n} sessions waiting for a lock: ${JSON.stringify(rows)}`);
    }
    // The session's view of pg_stat_activity is a snapshot kept for its transaction: take a fresh one.
    await client.query('select pg_stat_clear_snapshot()');
    const { rows } = await client.query(
      `select count(*)::int as n from pg_stat_activity
        where datname = current_database() and usename = $1 and wait_event_type = 'Lock'`,
      [decodeURIComponent(new URL(hub.db.appUrl).username)],
    );
    if (rows[0].n >= n) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Runs `hold` in a transaction of a second session, starts the requests one by one (each waits
 * for a lock before the next starts, so they queue in that order), runs `meanwhile` in that
 * session and commits it: the requests then go on, in order.
 */
async function held(hold: string[], sends: (() => Promise<GqlResponse>)[], meanwhile: string[] = []): Promise<GqlResponse[]> {
  const other = await sqlClient();
  try {
    await other.query('begin');
    for (const q of hold) await other.query(q);
    const sent: Promise<GqlResponse>[] = [];
    for (const send of sends) {
      sent.push(send());
      await lockWaiters(other, sent.length);
    }
    for (const q of meanwhile) await other.query(q);
    await other.query('commit');
    return await Promise.all(sent);
  } finally {
    await other.end();
  }
}

/**
 * `first` is made to wait between its check and its write (it needs what `hold` locks); `second`
 * (the change of permission) is sent meanwhile and either completes or waits in turn, behind
 * `first`. Then `first` goes on. `secondFirst`: the change was committed before `first` wrote.
 */
async function interleaved(hold: string, first: () => Promise<GqlResponse>, second: () => Promise<GqlResponse>) {
  const other = await sqlClient();
  try {
    await other.query('begin');
    await other.query(hold);
    const one = first();
    await lockWaiters(other, 1);
    let done = false;
    const two = second().then((res) => ((done = true), res));
    await Promise.race([two, lockWaiters(other, 2)]);
    const secondFirst = done;
    await other.query('commit');
    const [a, b] = await Promise.all([one, two]);
    return { first: a, second: b, secondFirst };
  } finally {
    await other.end();
  }
}

describe('break-glass review', () => {
  const BREAK = `mutation($input: BreakGlassInput!) { breakGlass(input: $input) { id } }`;
  const REVIEW = `mutation($input: ReviewBreakGlassInput!) { reviewBreakGlass(input: $input) { id reviewOutcome } }`;

  it("the two agencies' reviews sent at once both count: the opening gets its outcome", async () => {
    const orm = hub.db.orm;
    const social = await makeSectorUser(orm, 'SOCIAL');
    const clinic = await makeSectorUser(orm, 'HEALTH');
    const clinicChief = await makeStaff(orm, clinic.agency, ['SUPERVISOR']);
    const holderChief = await makeStaff(orm, social.agency, ['SUPERVISOR']);
    const r = await makeReturnee(orm, social.agency);
    const opened = await gql(hub, clinic.token, BREAK, {
      input: { returneeId: r.id, reasonCode: 'CHILD_HEALTH_EMERGENCY', reasonText: 'Child brought in unconscious, guardian unknown' },
    });
    expect(opened.errors).toBeUndefined();
    const id = opened.data.breakGlass.id as string;
    const review = (who: StaffFixture, outcome: string) => () =>
      gql(hub, who.token, REVIEW, { input: { id, outcome, note: 'Reviewed with the attending doctor' } });
    // Each review's events wait for the audit table: both reviews are in before either commits.
    const answers = await held(
      ['lock table audit_event in share mode'],
      [review(clinicChief, 'JUSTIFIED'), review(holderChief, 'NOT_JUSTIFIED')],
    );
    for (const a of answers) expect(a.errors).toBeUndefined();
    const [row] = await sqlRows('select review_outcome from break_glass where id = $1', [id]);
    expect(row.review_outcome).toBe('NOT_JUSTIFIED');
  });
});

describe('webhook subscriptions', () => {
  const ROTATE = `mutation($input: RotateWebhookSecretInput!) { rotateWebhookSecret(input: $input) { signingSecret } }`;
  const DISABLE = `mutation($id: ID!) { disableWebhookSubscription(id: $id) { status } }`;

  async function subscription() {
    const ngo = await makeSectorUser(hub.db.orm, 'NGO', ['SUPERVISOR']);
    const sub = await subscribe(hub, ngo.token, 'http://127.0.0.1:9/hooks', ['REFERRAL_RECEIVED']);
    return { ngo, sub };
  }

  it('a rotation that waited while the subscription was disabled is CONFLICT, and stores no secret', async () => {
    const { ngo, sub } = await subscription();
    const [before] = await sqlRows('select secret_sealed from webhook_subscription where id = $1', [sub.id]);
    const [rotated] = await held(
      [`select 1 from webhook_subscription where id = '${sub.id}' for update`],
      [() => gql(hub, ngo.token, ROTATE, { input: { id: sub.id } })],
      [`update webhook_subscription set status = 'DISABLED', disabled_at = now() where id = '${sub.id}'`],
    );
    expect(errorCode(rotated)).toBe('CONFLICT');
    const [after] = await sqlRows('select secret_sealed, previous_secret_sealed from webhook_subscription where id = $1', [sub.id]);
    expect(after).toEqual({ secret_sealed: before.secret_sealed, previous_secret_sealed: null });
  });

  it('of two disablings sent at once, one disables and the other is CONFLICT (one audit event)', async () => {
    const { ngo, sub } = await subscription();
    const disable = () => gql(hub, ngo.token, DISABLE, { id: sub.id });
    const answers = await held([`select 1 from webhook_subscription where id = '${sub.id}' for update`], [disable, disable]);
    expect(answers.map((a) => errorCode(a) ?? 'OK').sort()).toEqual(['CONFLICT', 'OK']);
    const events = await sqlRows(`select outcome from audit_event where entity_id = $1 and action = 'UPDATE' and outcome = 'SUCCESS'`, [
      sub.id,
    ]);
    expect(events).toHaveLength(1);
  });

  it('of two rotations sent at once, the secret each returns was stored (the second keeps the first as previous)', async () => {
    const { ngo, sub } = await subscription();
    const [original] = await sqlRows('select secret_sealed from webhook_subscription where id = $1', [sub.id]);
    const rotate = () => gql(hub, ngo.token, ROTATE, { input: { id: sub.id, overlapSeconds: 600 } });
    const answers = await held([`select 1 from webhook_subscription where id = '${sub.id}' for update`], [rotate, rotate]);
    for (const a of answers) expect(a.errors).toBeUndefined();
    const [row] = await sqlRows('select secret_sealed, previous_secret_sealed from webhook_subscription where id = $1', [sub.id]);
    // The first rotation's secret is the previous one of the second (not the original): none was lost.
    expect(row.previous_secret_sealed).not.toBeNull();
    expect([original.secret_sealed, row.secret_sealed]).not.toContain(row.previous_secret_sealed);
    const [{ n }] = await sqlRows(
      `select count(*)::int as n from audit_event where entity_id = $1 and action = 'UPDATE' and outcome = 'SUCCESS'`,
      [sub.id],
    );
    expect(n).toBe(2);
  });
  it('of two registrations sent at once for the last free place (10 per agency), one is CONFLICT', async () => {
    const { ngo } = await subscription();
    for (let i = 0; i < 8; i++) await subscribe(hub, ngo.token, `http://127.0.0.1:9/hooks/${i}`, ['REFERRAL_RECEIVED']);
    const create = (n: number) => () =>
      gql(hub, ngo.token, CREATE_SUBSCRIPTION, { input: { url: `http://127.0.0.1:9/last/${n}`, eventTypes: ['REFERRAL_RECEIVED'] } });
    const answers = await held(['lock table webhook_subscription in share mode'], [create(1), create(2)]);
    expect(answers.map((a) => errorCode(a) ?? 'OK').sort()).toEqual(['CONFLICT', 'OK']);
    const [{ n }] = await sqlRows(`select count(*)::int as n from webhook_subscription where agency_id = $1 and status <> 'DISABLED'`, [
      ngo.agency.id,
    ]);
    expect(n).toBe(10);
  });
});

describe('duplicate decisions', () => {
  const MARK = `mutation($a: ID!, $b: ID!) { markNotDuplicate(aId: $a, bId: $b) { notDuplicate } }`;
  const MERGE = `mutation($input: MergeReturneesInput!) { mergeReturnees(input: $input) { mergeId } }`;

  it('markNotDuplicate that waited while the pair was merged answers NOT_FOUND and stores no decision (or came first)', async () => {
    const orm = hub.db.orm;
    const sup = await makeSectorUser(orm, 'SOCIAL', ['SUPERVISOR']);
    const a = await makeReturnee(orm, sup.agency, { givenName: 'Aigerim', familyName: 'Nurlanova', dateOfBirth: '1994-03-12' });
    const b = await makeReturnee(orm, sup.agency, { givenName: 'Aygerim', familyName: 'Nurlanova', dateOfBirth: '1994-03-12' });
    const mark = () => gql(hub, sup.token, MARK, { a: a.id, b: b.id });
    const merge = () =>
      gql(hub, sup.token, MERGE, {
        input: { survivorId: a.id, mergedId: b.id, expectedVersions: { survivor: a.version, merged: b.version } },
      });
    const { first: marked, second: merged, secondFirst } = await interleaved('lock table duplicate_decision in share mode', mark, merge);
    expect(merged.errors).toBeUndefined();
    const [low, high] = [a.id, b.id].sort();
    const stored = await sqlRows('select 1 from duplicate_decision where low_id = $1 and high_id = $2', [low, high]);
    if (secondFirst) {
      expect(errorCode(marked)).toBe('NOT_FOUND');
      expect(stored).toEqual([]);
    } else {
      expect(marked.errors).toBeUndefined();
      expect(stored).toHaveLength(1);
    }
  });
});

describe('consent', () => {
  const RECORD = `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }`;
  const REVOKE = `mutation($input: RevokeCaseAccessInput!) { revokeCaseAccess(input: $input) { id } }`;

  it('a consent whose recording waited while its recorder lost case access is not stored once the access ended', async () => {
    const orm = hub.db.orm;
    const social = await makeSectorUser(orm, 'SOCIAL');
    const registrar = await makeStaff(orm, social.agency, ['SUPERVISOR']);
    const ngo = await makeSectorUser(orm, 'NGO');
    const r = await makeReturnee(orm, social.agency, { dateOfBirth: '1990-01-01' });
    const access = await grantAccess(orm, r, ngo.agency);
    const record = () =>
      gql(hub, ngo.token, RECORD, {
        input: {
          returneeId: r.id,
          givenBy: 'SELF',
          sectors: ['HEALTH'],
          sections: ['PSYCHOSOCIAL_SUMMARY'],
          purpose: 'Reintegration support',
        },
      });
    const revoke = () => gql(hub, registrar.token, REVOKE, { input: { id: access.id, reason: 'Programme finished' } });
    // The consent's INSERT waits for its table; the access is ended meanwhile.
    const { first: recorded, second: revoked, secondFirst } = await interleaved('lock table consent in share mode', record, revoke);
    expect(revoked.errors).toBeUndefined();
    const stored = await sqlRows('select 1 from consent where returnee_id = $1', [r.id]);
    if (secondFirst) {
      expect(errorCode(recorded)).toBe('NOT_FOUND');
      expect(stored).toEqual([]);
      const events = await auditRowsFor(ngo.staff.id);
      expect(events.filter((e) => e.entity_type === 'Consent').map((e) => [e.action, e.outcome])).toEqual([['CREATE', 'NOT_FOUND']]);
    } else {
      // Recorded first; the answer shows it as the recorder may read it now (no longer: NOT_FOUND).
      expect(stored).toHaveLength(1);
    }
  });
});

describe('data-subject requests', () => {
  const RECORD = `mutation($input: RecordDataSubjectRequestInput!) { recordDataSubjectRequest(input: $input) { id } }`;

  it('a request whose recording waited while its record was merged is not stored on the merged record', async () => {
    const orm = hub.db.orm;
    const social = await makeSectorUser(orm, 'SOCIAL');
    const survivor = await makeReturnee(orm, social.agency);
    const merged = await makeReturnee(orm, social.agency);
    const record = () =>
      gql(hub, social.token, RECORD, {
        input: { returneeId: merged.id, kind: 'ACCESS', receivedOn: '2026-01-05', note: 'Asked by phone' },
      });
    // A merge holds the record FOR UPDATE; its outcome (the record merged into the survivor) is
    // committed while the request waits between its first look and its write.
    const [answer] = await held(
      [`select 1 from returnee where id = '${merged.id}' for update`],
      [record],
      [`update returnee set merged_into_id = '${survivor.id}' where id = '${merged.id}'`],
    );
    expect(errorCode(answer)).toBe('NOT_FOUND');
    expect(await sqlRows('select id from data_subject_request where returnee_id = $1', [merged.id])).toEqual([]);
    // The refusal is in the trail, and no CREATE of a request is.
    const rows = await auditRowsFor(social.staff.id);
    expect(rows.map((r) => [r.action, r.entity_type, r.outcome, r.returnee_id])).toEqual([['CREATE', 'Returnee', 'NOT_FOUND', merged.id]]);
  });
});
