import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { canonicalJson, requestHash } from '../src/request/idempotency';
import type { HubServer } from '../src/server';
import { auditRowsFor } from './support/audit';
import { makeReturnee, makeSectorUser, type StaffFixture } from './support/factories';
import { errorCode, gql, sqlClient, startHub } from './support/hub';

/**
 * Idempotency-Key: a retried mutation returns the first result with no second effect and is
 * audited as a replay; the same key with another payload is refused; a duplicate that arrives
 * while the first still runs is CONFLICT; keys belong to one caller; failures store nothing.
 */
const REGISTER = `mutation($input: RegisterReturneeInput!) { registerReturnee(input: $input) { returnee { id caseNumber version givenName } } }`;
const UPDATE = `mutation($id: ID!, $v: Int!, $input: UpdateReturneeInput!) { updateReturnee(id: $id, expectedVersion: $v, input: $input) { returnee { id version district } } }`;
const RECORD_CONSENT = `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id active sectors } }`;

let hub: HubServer;
let social: StaffFixture;

beforeAll(async () => {
  hub = await startHub();
  social = await makeSectorUser(hub.db.orm, 'SOCIAL');
});
afterAll(() => hub.stop());

async function sql<T extends Record<string, any> = Record<string, any>>(text: string, params: unknown[] = []): Promise<T[]> {
  const c = await sqlClient();
  try {
    return (await c.query<T>(text, params)).rows;
  } finally {
    await c.end();
  }
}

/** A unique family name made of letters only (names refuse digits). */
const letters = (uuid: string) =>
  uuid
    .replace(/[^0-9a-f]/g, '')
    .slice(0, 10)
    .replace(/[0-9]/g, (d) => 'ghijklmnop'[Number(d)]);

const withKey = (key: string, requestId = randomUUID()) => ({ 'idempotency-key': key, 'x-request-id': requestId });

describe('Idempotency-Key', () => {
  it('applies a registration once across 20 concurrent and 10 sequential sends of one key, and audits the replays', async () => {
    const user = await makeSectorUser(hub.db.orm, 'SOCIAL');
    const key = randomUUID();
    const input = { givenName: 'Idempotina', familyName: `Retry${letters(key)}`, sex: 'FEMALE', dateOfBirth: '1991-04-05' };
    const concurrent = await Promise.all(Array.from({ length: 20 }, () => gql(hub, user.token, REGISTER, { input }, withKey(key))));
    const sequential = [];
    for (let i = 0; i < 10; i++) sequential.push(await gql(hub, user.token, REGISTER, { input }, withKey(key)));

    const all = [...concurrent, ...sequential];
    const ok = all.filter((r) => !r.errors);
    const conflicts = all.filter((r) => errorCode(r) === 'CONFLICT');
    expect(ok.length + conflicts.length).toBe(30);
    expect(sequential.every((r) => !r.errors)).toBe(true);
    for (const c of conflicts) expect(c.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_IN_USE' });
    const ids = new Set(ok.map((r) => r.data.registerReturnee.returnee.id));
    const caseNumbers = new Set(ok.map((r) => r.data.registerReturnee.returnee.caseNumber));
    expect(ids.size).toBe(1);
    expect(caseNumbers.size).toBe(1);
    const [id] = ids;

    // exactly one effect …
    expect(await sql('select id from returnee where family_name = $1', [input.familyName])).toEqual([{ id }]);
    const events = await auditRowsFor(user.staff.id);
    const writes = events.filter((e) => e.action === 'CREATE');
    expect(writes).toHaveLength(1);
    // … and one replay event per replayed answer, naming the request that took effect
    const first = writes[0].request_id;
    const replays = events.filter((e) => e.outcome === 'REPLAYED');
    expect(replays).toHaveLength(ok.length - 1);
    for (const r of replays)
      expect(r).toMatchObject({
        action: 'READ',
        entity_type: 'Returnee',
        entity_id: id,
        returnee_id: id,
        fields: [],
        reason: `REPLAY_OF ${first}`,
        operation: 'registerReturnee',
      });
    const inUse = events.filter((e) => e.reason === 'IDEMPOTENCY_KEY_IN_USE');
    expect(inUse).toHaveLength(conflicts.length);
    expect(await sql('select operation, request_id::text, result from idempotency_key where staff_id = $1', [user.staff.id])).toEqual([
      { operation: 'registerReturnee', request_id: first, result: id },
    ]);
    console.log(
      `idempotency figures: ${JSON.stringify({ sends: all.length, concurrent: concurrent.length, effects: writes.length, replays: replays.length, inProgressConflicts: conflicts.length })}`,
    );
  });

  it('applies an update once: one revision, one UPDATE event, the version moves by one', async () => {
    const r = await makeReturnee(hub.db.orm, social.agency);
    const key = randomUUID();
    const vars = { id: r.id, v: 1, input: { district: 'Khromtau' } };
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await gql(hub, social.token, UPDATE, vars, withKey(key)));
    expect(results.map((x) => x.errors)).toEqual(results.map(() => undefined));
    expect(results.map((x) => x.data.updateReturnee.returnee)).toEqual(results.map(() => ({ id: r.id, version: 2, district: 'Khromtau' })));
    expect(await sql('select count(*)::int as n from returnee_revision where returnee_id = $1', [r.id])).toEqual([{ n: 1 }]);
    const events = (await auditRowsFor(social.staff.id)).filter((e) => e.returnee_id === r.id);
    expect(events.filter((e) => e.action === 'UPDATE').map((e) => e.outcome)).toEqual(['SUCCESS']);
    expect(events.filter((e) => e.outcome === 'REPLAYED')).toHaveLength(4);

    // Without a key the same request is a new intent: here, a stale version.
    expect(errorCode(await gql(hub, social.token, UPDATE, vars))).toBe('CONFLICT');
  });

  it('answers CONFLICT to a duplicate that arrives while the first is still running, which then completes once', async () => {
    const r = await makeReturnee(hub.db.orm, social.agency);
    const key = randomUUID();
    const vars = { id: r.id, v: 1, input: { district: 'Temir' } };
    // Hold the record's row lock so the first request waits inside its transaction.
    const blocker = await sqlClient();
    await blocker.query('begin');
    await blocker.query('select 1 from returnee where id = $1 for update', [r.id]);
    const first = gql(hub, social.token, UPDATE, vars, withKey(key));
    try {
      for (let i = 0; i < 200; i++) {
        // until the first one waits on the lock
        const [{ n }] = await sql<{ n: number }>(
          `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query like 'update "returnee"%'`,
        );
        if (n > 0) break;
        await new Promise((res) => setTimeout(res, 25));
      }
      const duplicate = await gql(hub, social.token, UPDATE, vars, withKey(key));
      expect(duplicate.status).toBe(200);
      expect(duplicate.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_IN_USE' });
    } finally {
      await blocker.query('rollback');
      await blocker.end();
    }
    expect((await first).data.updateReturnee.returnee).toEqual({ id: r.id, version: 2, district: 'Temir' });
    const retry = await gql(hub, social.token, UPDATE, vars, withKey(key));
    expect(retry.data.updateReturnee.returnee).toEqual({ id: r.id, version: 2, district: 'Temir' });
    const events = (await auditRowsFor(social.staff.id)).filter((e) => e.returnee_id === r.id || e.reason === 'IDEMPOTENCY_KEY_IN_USE');
    expect(events.filter((e) => e.action !== 'READ' || e.outcome !== 'SUCCESS').map((e) => [e.action, e.outcome, e.reason])).toEqual([
      ['DENY', 'CONFLICT', 'IDEMPOTENCY_KEY_IN_USE'],
      ['UPDATE', 'SUCCESS', null],
      ['READ', 'REPLAYED', expect.stringMatching(/^REPLAY_OF /)],
    ]);
  });

  it('refuses the same key with a different payload, writes nothing, and records the refusal', async () => {
    const r = await makeReturnee(hub.db.orm, social.agency);
    const key = randomUUID();
    expect(
      (await gql(hub, social.token, UPDATE, { id: r.id, v: 1, input: { district: 'Mugalzhar' } }, withKey(key))).errors,
    ).toBeUndefined();
    const other = await gql(hub, social.token, UPDATE, { id: r.id, v: 2, input: { district: 'Shalkar' } }, withKey(key));
    expect(other.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'IDEMPOTENCY_KEY_REUSED' });
    expect(other.errors![0].message).toMatch(/different request/);
    // … also for another mutation under the same key
    const register = await gql(
      hub,
      social.token,
      REGISTER,
      { input: { givenName: 'A', familyName: 'B', sex: 'MALE', dateOfBirth: '2000-01-01' } },
      withKey(key),
    );
    expect(register.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await sql('select version, district from returnee where id = $1', [r.id])).toEqual([{ version: 2, district: 'Mugalzhar' }]);
    const refusals = (await auditRowsFor(social.staff.id)).filter((e) => e.reason === 'IDEMPOTENCY_KEY_REUSED');
    expect(refusals.map((e) => [e.action, e.outcome, e.operation])).toEqual([
      ['DENY', 'INVALID', 'updateReturnee'],
      ['DENY', 'INVALID', 'registerReturnee'],
    ]);
  });

  it('keeps keys per caller: the same key from another staff member is a separate mutation', async () => {
    const a = await makeSectorUser(hub.db.orm, 'SOCIAL');
    const b = await makeSectorUser(hub.db.orm, 'SOCIAL');
    const key = randomUUID();
    const input = { givenName: 'Shared', familyName: `Key${letters(key)}`, sex: 'MALE', dateOfBirth: '1989-09-09' };
    const ra = await gql(hub, a.token, REGISTER, { input }, withKey(key));
    const rb = await gql(hub, b.token, REGISTER, { input }, withKey(key));
    expect(ra.data.registerReturnee.returnee.id).not.toBe(rb.data.registerReturnee.returnee.id);
    expect(await sql('select count(*)::int as n from returnee where family_name = $1', [input.familyName])).toEqual([{ n: 2 }]);
  });

  it('stores nothing for a mutation that failed: the retry runs again', async () => {
    const r = await makeReturnee(hub.db.orm, social.agency);
    const key = randomUUID();
    const stale = { id: r.id, v: 7, input: { district: 'Irgiz' } };
    expect(errorCode(await gql(hub, social.token, UPDATE, stale, withKey(key)))).toBe('CONFLICT');
    expect(errorCode(await gql(hub, social.token, UPDATE, stale, withKey(key)))).toBe('CONFLICT');
    const events = (await auditRowsFor(social.staff.id)).filter((e) => e.returnee_id === r.id);
    expect(events.map((e) => [e.action, e.outcome])).toEqual([
      ['UPDATE', 'CONFLICT'],
      ['UPDATE', 'CONFLICT'],
    ]);
    expect(await sql('select count(*)::int as n from idempotency_key where staff_id = $1 and key = $2', [social.staff.id, key])).toEqual([
      { n: 0 },
    ]);
  });

  it('replays mutations that return an entity (recordConsent): one consent, the same id', async () => {
    const r = await makeReturnee(hub.db.orm, social.agency);
    const key = randomUUID();
    const input = { returneeId: r.id, givenBy: 'SELF', sectors: ['NGO'], sections: ['CONTACT'], purpose: 'Home visits' };
    const first = await gql(hub, social.token, RECORD_CONSENT, { input }, withKey(key));
    const again = await gql(hub, social.token, RECORD_CONSENT, { input }, withKey(key));
    expect(first.errors).toBeUndefined();
    expect(again.data).toEqual(first.data);
    expect(await sql('select count(*)::int as n from consent where returnee_id = $1', [r.id])).toEqual([{ n: 1 }]);
  });

  it('refuses a malformed key, and a key on a request with more than one mutation', async () => {
    const bad = await gql(
      hub,
      social.token,
      REGISTER,
      { input: { givenName: 'A', familyName: 'B', sex: 'MALE', dateOfBirth: '2000-01-01' } },
      { 'idempotency-key': 'short' },
    );
    expect(bad.status).toBe(400);
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    const r = await makeReturnee(hub.db.orm, social.agency);
    const two = await gql(
      hub,
      social.token,
      `mutation($id: ID!) {
      a: updateReturnee(id: $id, expectedVersion: 1, input: { district: "X" }) { returnee { id } }
      b: updateReturnee(id: $id, expectedVersion: 1, input: { district: "Y" }) { returnee { id } } }`,
      { id: r.id },
      withKey(randomUUID()),
    );
    // the first is refused, and a mutation field that fails stops the ones after it
    expect(two.errors!.map((e) => [e.path, e.extensions!.code])).toEqual([[['a'], 'BAD_USER_INPUT']]);
    expect(await sql('select version from returnee where id = $1', [r.id])).toEqual([{ version: 1 }]);
  });

  it('hashes requests by content, not by the order of their fields', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: undefined } })).toBe('{"a":{"d":[2,{"e":0,"f":1}]},"b":1}');
    expect(requestHash('updateReturnee', { id: 'x', input: { a: 1, b: 2 } })).toBe(
      requestHash('updateReturnee', { input: { b: 2, a: 1 }, id: 'x' }),
    );
    expect(requestHash('updateReturnee', { id: 'x' })).not.toBe(requestHash('registerReturnee', { id: 'x' }));
  });

  it('covers every mutation: each resolver runs its service through op.once', () => {
    const src = path.resolve(__dirname, '../src');
    const resolvers = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.resolver.ts'));
    const missing: string[] = [];
    for (const file of resolvers) {
      const text = readFileSync(path.join(src, file), 'utf8');
      for (const block of text.split('@Mutation(').slice(1)) {
        const body = block.split(/@(Query|Mutation|FieldResolver)\(/)[0];
        if (!body.includes('op.once(')) missing.push(`${file}: ${/async (\w+)\(/.exec(body)?.[1] ?? '?'}`);
      }
    }
    expect(resolvers.length).toBeGreaterThan(5);
    expect(missing).toEqual([]);
  });
});
