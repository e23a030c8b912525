import type { HubServer } from '../src/server';
import { auditRowsFor } from './support/audit';
import { makeReturnee, makeSectorUser } from './support/factories';
import type { Client } from 'pg';
import { errorCode, gql, sqlClient, startHub } from './support/hub';
import { createScratchDb, type ScratchDb } from './support/audit-scratch-db';

/**
 * A trigger on audit_event is DDL on a partitioned table the hub's own background work (sealer,
 * partition upkeep) is writing to: PostgreSQL may pick this session as a deadlock victim (or see
 * the catalog row change under it). That is not what these tests are about, so it is tried again.
 */
async function ddl(client: Client, sql: string): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await client.query(sql);
      return;
    } catch (e) {
      if (i >= 5 || !/deadlock detected|tuple concurrently updated/.test(String(e))) throw e;
      await new Promise((r) => setTimeout(r, 100 * (i + 1)));
    }
  }
}

/**
 * The audit table is append-only in the database itself, and reads fail closed: when their
 * events cannot be stored the caller gets an error, not data.
 */
let hub: HubServer;
let scratch: ScratchDb;
const shared = process.env.HUB_TEST_DATABASE_URL;
// A database of its own: a trigger created or dropped on audit_event locks the partitioned table
// and each partition in turn, and PostgreSQL picked another suite's plain read of the trail as the
// deadlock victim (CI, the DATABASE_URL pass: sharing-agreement's audit query). The suite's
// helpers (startHub, sqlClient, auditRowsFor) read the run's database from the environment.
beforeAll(async () => {
  scratch = await createScratchDb('guards');
  process.env.HUB_TEST_DATABASE_URL = scratch.url;
  hub = await startHub();
  // Make sure both tables hold rows, so row-level guards have something to refuse.
  const user = await makeSectorUser(hub.db.orm, 'SOCIAL');
  const r = await makeReturnee(hub.db.orm, user.agency);
  const res = await gql(
    hub,
    user.token,
    'mutation($id: ID!) { updateReturnee(id: $id, expectedVersion: 1, input: { region: "Osh" }) { returnee { id } } }',
    { id: r.id },
  );
  expect(res.errors).toBeUndefined();
});
afterAll(async () => {
  await hub?.stop();
  process.env.HUB_TEST_DATABASE_URL = shared;
  await scratch?.drop();
});

describe('the database refuses to change the audit trail, even for a superuser', () => {
  it.each([
    ['UPDATE', "update audit_event set purpose = 'tampered' where id = (select max(id) from audit_event)"],
    ['DELETE', 'delete from audit_event where id = (select max(id) from audit_event)'],
    ['TRUNCATE', 'truncate audit_event'],
    ['UPDATE of history', "update returnee_revision set fields = '{}'"],
    ['TRUNCATE of history', 'truncate returnee_revision'],
  ])('%s is refused', async (_name, statement) => {
    const client = await sqlClient();
    try {
      const { rows } = await client.query('select rolsuper from pg_roles where rolname = current_user');
      expect(rows[0].rolsuper).toBe(true);
      await expect(client.query(statement)).rejects.toThrow(/append-only/);
    } finally {
      await client.end();
    }
  });
});

describe('fail closed', () => {
  it("returns an error and no data when the read's audit events cannot be stored", async () => {
    const user = await makeSectorUser(hub.db.orm, 'SOCIAL');
    const r = await makeReturnee(hub.db.orm, user.agency);
    const client = await sqlClient();
    const fn = `refuse_${user.staff.id.replace(/-/g, '')}`;
    // Simulate a storage failure for this one staff member only (other suites keep writing).
    await client.query(`create function ${fn}() returns trigger language plpgsql as $$ begin raise exception 'disk full'; end $$`);
    await ddl(
      client,
      `create trigger ${fn} before insert on audit_event for each row when (new.staff_id = '${user.staff.id}') execute function ${fn}()`,
    );
    try {
      const res = await gql(hub, user.token, 'query($id: ID!) { returnee(id: $id) { id givenName familyName } }', { id: r.id });
      expect(res.data).toBeNull();
      expect(errorCode(res)).toBe('INTERNAL_SERVER_ERROR');
      expect(JSON.stringify(res)).not.toContain('Aigerim');
      expect(JSON.stringify(res)).not.toMatch(/disk full|insert into|audit_event|at .*\.ts/);
      const list = await gql(hub, user.token, '{ returnees(first: 5) { nodes { givenName } } }');
      expect(list.data).toBeNull();
      expect(JSON.stringify(list)).not.toContain('Aigerim');
    } finally {
      await ddl(client, `drop trigger ${fn} on audit_event`);
      await ddl(client, `drop function ${fn}()`);
      await client.end();
    }
    expect(await auditRowsFor(user.staff.id)).toEqual([]);
    // and once storage works again, so do reads
    const ok = await gql(hub, user.token, 'query($id: ID!) { returnee(id: $id) { givenName } }', { id: r.id });
    expect(ok.data.returnee.givenName).toBe('Aigerim');
  });

  it('rolls a write back with its events when the events cannot be stored', async () => {
    const user = await makeSectorUser(hub.db.orm, 'SOCIAL');
    const r = await makeReturnee(hub.db.orm, user.agency);
    const client = await sqlClient();
    const fn = `refuse_${user.staff.id.replace(/-/g, '')}`;
    await client.query(`create function ${fn}() returns trigger language plpgsql as $$ begin raise exception 'disk full'; end $$`);
    await ddl(
      client,
      `create trigger ${fn} before insert on audit_event for each row when (new.staff_id = '${user.staff.id}' and new.action = 'UPDATE') execute function ${fn}()`,
    );
    try {
      const res = await gql(
        hub,
        user.token,
        'mutation($id: ID!) { updateReturnee(id: $id, expectedVersion: 1, input: { region: "Osh" }) { returnee { region } } }',
        { id: r.id },
      );
      expect(errorCode(res)).toBe('INTERNAL_SERVER_ERROR');
      const { rows } = await client.query('select region, version from returnee where id = $1', [r.id]);
      expect(rows[0]).toEqual({ region: 'Aqtobe', version: 1 });
      const revisions = await client.query('select count(*)::int as n from returnee_revision where returnee_id = $1', [r.id]);
      expect(revisions.rows[0].n).toBe(0);
    } finally {
      await ddl(client, `drop trigger ${fn} on audit_event`);
      await ddl(client, `drop function ${fn}()`);
      await client.end();
    }
  });
});
