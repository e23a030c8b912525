import { Client } from 'pg';
import type { HubServer } from '../src/server';
import { auditRowsFor } from './support/audit';
import { giveConsent, grantAccess, makeReturnee, makeSectorUser, type StaffFixture } from './support/factories';
import { sqlClient, startHub, tokenFor } from './support/hub';
import { ATTACKS, type AttackContext } from './support/known-attacks';
import { firstError, postJson } from './support/raw-http';

/**
 * The known attacks, each with the refusal it must get (test/support/known-attacks.ts lists
 * them over HTTP): query-shape bombs, batches, forged and stale tokens, oversized bodies,
 * CSRF-shaped requests, oracles on unreadable fields, mass assignment. Then the same intent
 * straight at the database, as the hub's own role: the audit trail cannot be changed, nor its
 * guards switched off. The hub runs as deployed (NODE_ENV=production, default limits).
 */
let hub: HubServer;
const ctx = {} as AttackContext;
let social: StaffFixture;
let edu: StaffFixture;

beforeAll(async () => {
  hub = await startHub({ NODE_ENV: 'production' });
  social = await makeSectorUser(hub.db.orm, 'SOCIAL', ['SUPERVISOR']);
  edu = await makeSectorUser(hub.db.orm, 'EDUCATION');
  const tag = social.agency.code.slice(-8).replace(/[^a-z]/g, 'q');
  const consented = await makeReturnee(hub.db.orm, social.agency, { givenName: `Oracle${tag}` });
  const unconsented = await makeReturnee(hub.db.orm, social.agency, { givenName: `Oracle${tag}`, address: `Hidden address ${tag}` });
  await grantAccess(hub.db.orm, consented, edu.agency);
  await grantAccess(hub.db.orm, unconsented, edu.agency);
  await giveConsent(hub.db.orm, consented, social);
  const gone = await makeSectorUser(hub.db.orm, 'NGO');
  const admin = await tokenFor('admin');
  const off = await postJson(
    hub,
    { query: 'mutation($id: ID!) { deactivateStaffMember(id: $id) { active } }', variables: { id: gone.staff.id } },
    { authorization: `Bearer ${admin}` },
  );
  expect(off.json?.data.deactivateStaffMember.active).toBe(false);
  Object.assign(ctx, {
    hub,
    social,
    edu,
    admin,
    deactivatedToken: gone.token,
    consented,
    unconsented,
    oracleName: `Oracle${tag}`,
    auditor: (await makeSectorUser(hub.db.orm, 'OVERSIGHT', ['AUDITOR'])).token,
  });
});
afterAll(() => hub.stop());

describe('over HTTP', () => {
  it('lists at least 50 distinct attacks', () => {
    expect(ATTACKS.length).toBeGreaterThanOrEqual(50);
    expect(new Set(ATTACKS.map((a) => a.name)).size).toBe(ATTACKS.length);
  });

  it.each(ATTACKS.map((a) => [a.name, a] as const))('%s', async (_name, attack) => {
    const res = await attack.send(ctx);
    const e = firstError(res);
    expect({ status: res.status, code: e?.extensions?.code, reason: attack.expect.reason ? e?.extensions?.reason : undefined }).toEqual({
      status: attack.expect.status,
      code: attack.expect.code,
      reason: attack.expect.reason,
    });
    if (attack.expect.message) expect(e?.message).toMatch(attack.expect.message);
    expect(res.text).not.toMatch(/\bat .+:\d+:\d+|node_modules|syntax error at or near/);
    await attack.after?.(ctx, res);
  });

  it('records the refused oracle and mass-assignment attempts as DENY events, naming the fields', async () => {
    const denials = (await auditRowsFor(edu.staff.id)).filter((r) => r.action === 'DENY');
    expect(denials).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ operation: 'returnees', outcome: 'DENIED', denied_fields: ['region'] }),
        expect.objectContaining({ operation: 'returnees', outcome: 'DENIED', denied_fields: ['familyName'] }),
        expect.objectContaining({ operation: 'updateReturnee', outcome: 'DENIED', denied_fields: ['address'] }),
      ]),
    );
  });

  it('is still healthy after all of them', async () => {
    expect((await fetch(`${hub.url}/healthz`)).status).toBe(200);
  });
});

describe("as the hub's own database role", () => {
  let app: Client;
  beforeAll(async () => {
    app = new Client({ connectionString: hub.db.appUrl });
    await app.connect();
  });
  afterAll(() => app?.end());

  /** This month's partitions of the trail (Migration20261212000000): the same guards must hold on them directly. */
  const month = new Date().toISOString().slice(0, 7).replace('-', '_');
  const EVENTS = `audit_event_${month}`;
  const LINKS = `audit_chain_${month}`;

  /** The statement, and the refusal it gets (null: PostgreSQL only warns, so the test checks it changed nothing). */
  const DB_ATTACKS: [string, string, RegExp | null][] = [
    ["UPDATE on this month's partition", `update ${EVENTS} set purpose = 'rewritten'`, /permission denied/],
    ["DELETE on this month's partition", `delete from ${EVENTS}`, /permission denied/],
    ["TRUNCATE of this month's partition", `truncate ${EVENTS}`, /permission denied/],
    ["SELECT from this month's partition around the parent", `select count(*) from ${EVENTS}`, /permission denied/],
    [
      "INSERT straight into this month's partition",
      `insert into ${EVENTS} (request_id, action, entity_type, fields, denied_fields, outcome)
      values (gen_random_uuid(), 'READ', 'Returnee', '{}', '{}', 'SUCCESS')`,
      /permission denied/,
    ],
    [
      "INSERT of a forged link into this month's chain partition",
      `insert into ${LINKS} (position, event_id, hash, occurred_at) values (999999999, 1, '\\x00', now())`,
      /permission denied/,
    ],
    ['DETACH PARTITION of a month', `alter table audit_event detach partition ${EVENTS}`, /must be owner/],
    ["ALTER TABLE … DISABLE TRIGGER on this month's partition", `alter table ${EVENTS} disable trigger user`, /must be owner/],
    ["DROP TABLE of this month's partition", `drop table ${EVENTS}`, /must be owner/],
    ["Creating next months' partitions (the sealer's function)", 'select hub_audit_ensure_partitions(3)', /permission denied/],
    ['UPDATE on the audit table', "update audit_event set purpose = 'rewritten'", /permission denied/],
    ['DELETE on the audit table', 'delete from audit_event', /permission denied/],
    ['TRUNCATE of the audit table', 'truncate audit_event', /permission denied/],
    ['TRUNCATE … CASCADE', 'truncate audit_event cascade', /permission denied/],
    ['UPDATE of the hash chain', 'update audit_chain set event_id = event_id', /permission denied/],
    ['DELETE of signed checkpoints', 'delete from audit_checkpoint', /permission denied/],
    [
      'INSERT of a forged chain link',
      "insert into audit_chain (position, event_id, hash) values (999999999, 1, '\\x00')",
      /permission denied/,
    ],
    [
      'INSERT of a forged checkpoint',
      "insert into audit_checkpoint (position, hash, signed_at, key_id, public_key, signature) values (0, '\\x00', now(), 'x', '\\x00', '\\x00')",
      /permission denied/,
    ],
    [
      'INSERT of a back-dated audit event',
      `insert into audit_event (occurred_at, request_id, action, entity_type, fields, denied_fields, outcome)
      values ('2025-01-01', gen_random_uuid(), 'READ', 'Returnee', '{}', '{}', 'SUCCESS')`,
      /permission denied/,
    ],
    [
      'INSERT of an event blamed on a made-up staff member',
      `insert into audit_event (request_id, staff_id, agency_id, action, entity_type, fields, denied_fields, outcome)
      values (gen_random_uuid(), gen_random_uuid(), null, 'READ', 'Returnee', '{}', '{}', 'SUCCESS')`,
      /not an active staff member/,
    ],
    ['DELETE of record history', 'delete from returnee_revision', /permission denied/],
    ['ALTER TABLE … DISABLE TRIGGER ALL', 'alter table audit_event disable trigger all', /must be owner/],
    ['ALTER TABLE … DISABLE TRIGGER USER', 'alter table audit_event disable trigger user', /must be owner/],
    ['ALTER TABLE … DISABLE TRIGGER on history', 'alter table returnee_revision disable trigger user', /must be owner/],
    ['DROP TABLE of the audit table', 'drop table audit_event', /must be owner/],
    ['ALTER TABLE … OWNER TO', 'alter table audit_event owner to current_user', /must be owner/],
    ['SET session_replication_role', 'set session_replication_role = replica', /permission denied/],
    ['SET LOCAL session_replication_role', 'begin; set local session_replication_role = replica; commit', /permission denied/],
    ['set_config(session_replication_role)', "select set_config('session_replication_role', 'replica', false)", /permission denied/],
    ['GRANT UPDATE on the audit table to itself', 'grant update, delete, truncate on audit_event to current_user', null],
    ['GRANT of its own role to PUBLIC', 'grant all on returnee_revision to public', null],
    ['CREATE a trigger-free copy', 'create table audit_copy as select * from audit_event', /permission denied/],
    [
      'DROP FUNCTION behind the guard trigger',
      "do $$ begin execute (select 'drop function ' || p.oid::regprocedure from pg_trigger t join pg_proc p on p.oid = t.tgfoid where t.tgrelid = 'audit_event'::regclass and not t.tgisinternal limit 1); end $$",
      /must be owner/,
    ],
  ];

  it.each(DB_ATTACKS)('%s is refused', async (_name, sql, refusal) => {
    const before = await auditEventCount();
    // Another suite's hub may be changing the same catalog row at that moment (a partition created
    // ahead, a grant of its own): PostgreSQL then answers "tuple concurrently updated" before it
    // decides on privileges. That says nothing about the attack, so it is tried again.
    const attempt = async (): Promise<unknown> => {
      for (let i = 0; ; i++) {
        try {
          return await app.query(sql);
        } catch (e) {
          if (i < 5 && /tuple concurrently updated/.test(String(e))) {
            await app.query('rollback').catch(() => undefined);
            continue;
          }
          throw e;
        }
      }
    };
    if (refusal) await expect(attempt()).rejects.toThrow(refusal);
    else await attempt(); // "no privileges were granted": a warning, not an error
    await app.query('rollback').catch(() => undefined);
    expect(await auditEventCount()).toBeGreaterThanOrEqual(before);
    expect((await app.query('show session_replication_role')).rows[0].session_replication_role).toBe('origin');
    const {
      rows: [p],
    } = await app.query(`select has_table_privilege('audit_event', 'UPDATE') or has_table_privilege('audit_event', 'DELETE')
      or has_table_privilege('audit_event', 'TRUNCATE') or has_table_privilege('public', 'returnee_revision', 'DELETE') as mutate`);
    expect(p.mutate).toBe(false);
    await expect(app.query("update audit_event set purpose = 'rewritten' where id = (select min(id) from audit_event)")).rejects.toThrow(
      /permission denied/,
    );
  });

  it('leaves the audit triggers enabled', async () => {
    const { rows } = await app.query(
      `select tgname, tgenabled from pg_trigger where tgrelid = 'audit_event'::regclass and not tgisinternal`,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.tgenabled === 'O')).toBe(true);
  });
});

async function auditEventCount(): Promise<number> {
  const client = await sqlClient();
  try {
    return (await client.query('select count(*)::int as n from audit_event')).rows[0].n;
  } finally {
    await client.end();
  }
}
