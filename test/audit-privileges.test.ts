import { Client } from 'pg';
import { createCheckpoint } from '../src/trail/audit-checkpoint';
import { sealAll } from '../src/trail/audit-sealer';
import type { HubServer } from '../src/server';
import { sqlClient, startHub } from './support/hub';

/**
 * Least privilege: the hub serves through a role that may only append events (not their id
 * or time) and read the trail, owns nothing, cannot write the chain (the sealer role does) and
 * cannot switch the triggers off; the triggers still stop the owner.
 */
let hub: HubServer;
let app: Client;

beforeAll(async () => {
  hub = await startHub();
  app = new Client({ connectionString: hub.db.appUrl });
  await app.connect();
  // Rows in every audit table, so the row triggers have something to refuse.
  await sealAll(hub.runtime.audit.knex, { wait: true });
  await createCheckpoint(hub.runtime.audit.knex, hub.runtime.audit.key);
});
afterAll(async () => {
  await app?.end();
  await hub?.stop();
});

const AUDIT_TABLES = ['audit_event', 'audit_chain', 'audit_seal', 'audit_checkpoint'];
const A_COLUMN: Record<string, string> = {
  audit_event: "purpose = 'x'",
  audit_chain: 'event_id = 0',
  audit_seal: 'watermark = 0',
  audit_checkpoint: 'position = 0',
};

it('serves as a dedicated login role that is neither superuser nor owner', async () => {
  const {
    rows: [me],
  } = await app.query(`select current_user as name, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication
    from pg_roles where rolname = current_user`);
  expect(me).toEqual({
    name: expect.stringMatching(/_hub_app$/),
    rolsuper: false,
    rolcreaterole: false,
    rolcreatedb: false,
    rolbypassrls: false,
    rolreplication: false,
  });
  const { rows: owned } = await app.query(`select tablename from pg_tables where schemaname = 'public' and tableowner = current_user`);
  expect(owned).toEqual([]);
  const [pool] = await hub.db.orm.em.getConnection().execute('select current_user as name');
  expect(pool.name).toBe(me.name);
});

it('serves with JIT compilation off, on the request pool and the audit maintenance pool', async () => {
  const [request] = await hub.db.orm.em.getConnection().execute('show jit');
  const {
    rows: [maintenance],
  } = (await hub.runtime.audit.knex.raw('show jit')) as { rows: { jit: string }[] };
  expect([request.jit, maintenance.jit]).toEqual(['off', 'off']);
});

/** What the serving role may do per table: audit_event gets INSERT column by column, never on id or occurred_at. */
const APP_MAY: Record<string, { ins: boolean; insertColumns?: boolean }> = {
  audit_event: { ins: false, insertColumns: true },
  audit_chain: { ins: false },
  audit_seal: { ins: false },
  audit_checkpoint: { ins: false },
};

it.each(AUDIT_TABLES)('may only select from %s, and append only events (never the chain)', async (table) => {
  const {
    rows: [p],
  } = await app.query(
    `select has_table_privilege($1, 'SELECT') as sel, has_table_privilege($1, 'INSERT') as ins,
    has_table_privilege($1, 'UPDATE') as upd, has_table_privilege($1, 'DELETE') as del, has_table_privilege($1, 'TRUNCATE') as trunc,
    has_table_privilege($1, 'TRIGGER') as trig`,
    [table],
  );
  expect(p).toEqual({ sel: true, ins: APP_MAY[table].ins, upd: false, del: false, trunc: false, trig: false });
  const { rows: columns } = await app.query(
    `select column_name as name, has_column_privilege($1, column_name, 'INSERT') as ins
    from information_schema.columns where table_schema = 'public' and table_name = $1`,
    [table],
  );
  const insertable = columns.filter((c) => c.ins).map((c) => c.name);
  if (APP_MAY[table].insertColumns)
    expect(insertable.sort()).toEqual(
      columns
        .map((c) => c.name)
        .filter((c) => c !== 'id' && c !== 'occurred_at')
        .sort(),
    );
  else expect(insertable).toEqual([]);
  await expect(app.query(`update ${table} set ${A_COLUMN[table]}`)).rejects.toThrow(/permission denied/);
  await expect(app.query(`delete from ${table}`)).rejects.toThrow(/permission denied/);
  await expect(app.query(`truncate ${table}`)).rejects.toThrow(/permission denied/);
});

it('cannot switch the triggers off, nor create tables', async () => {
  await expect(app.query('alter table audit_event disable trigger user')).rejects.toThrow(/must be owner/);
  await expect(app.query('set session_replication_role = replica')).rejects.toThrow(/permission denied/);
  await expect(app.query('create table sneaky (id int)')).rejects.toThrow(/permission denied/);
});

it('appends audit rows (in a transaction rolled back here)', async () => {
  await app.query('begin');
  try {
    const { rows } = await app.query(`insert into audit_event (request_id, action, entity_type, fields, denied_fields, outcome)
      values (gen_random_uuid(), 'READ', 'Probe', '{}', '{}', 'SUCCESS') returning id`);
    expect(rows).toHaveLength(1);
  } finally {
    await app.query('rollback');
  }
});

it.each(AUDIT_TABLES)('the owner (a superuser) is still stopped by the triggers on %s', async (table) => {
  const su = await sqlClient();
  try {
    expect((await su.query(`select count(*)::int as n from ${table}`)).rows[0].n).toBeGreaterThan(0);
    await expect(su.query(`update ${table} set ${A_COLUMN[table]}`)).rejects.toThrow(/append-only/);
    await expect(su.query(`delete from ${table}`)).rejects.toThrow(/append-only/);
    await expect(su.query(`truncate ${table}`)).rejects.toThrow(/append-only/);
  } finally {
    await su.end();
  }
});

describe('the monthly partitions (Migration20261212000000)', () => {
  const partitionsOf = async (client: Client, parent: string) =>
    (
      await client.query(
        `select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = $1::regclass order by 1`,
        [parent],
      )
    ).rows.map((r) => r.relname as string);

  it('exist for this month and the next three, for events and links alike', async () => {
    const su = await sqlClient();
    try {
      const months = [0, 1, 2, 3].map((k) => {
        const d = new Date();
        d.setUTCDate(1);
        d.setUTCMonth(d.getUTCMonth() + k);
        return d.toISOString().slice(0, 7).replace('-', '_');
      });
      for (const parent of ['audit_event', 'audit_chain']) {
        expect(await partitionsOf(su, parent)).toEqual(expect.arrayContaining(months.map((m) => `${parent}_${m}`)));
      }
    } finally {
      await su.end();
    }
  });

  it('give the serving role nothing on any partition: it reads and appends through the parent only', async () => {
    const su = await sqlClient();
    try {
      const parts = [...(await partitionsOf(su, 'audit_event')), ...(await partitionsOf(su, 'audit_chain'))];
      expect(parts.length).toBeGreaterThanOrEqual(8);
      const { rows } = await app.query(
        `select p as partition from unnest($1::text[]) p where has_table_privilege(p, 'SELECT') or has_table_privilege(p, 'INSERT')
          or has_table_privilege(p, 'UPDATE') or has_table_privilege(p, 'DELETE') or has_table_privilege(p, 'TRUNCATE')`,
        [parts],
      );
      expect(rows).toEqual([]);
      await expect(app.query(`select count(*) from ${parts[0]}`)).rejects.toThrow(/permission denied/);
    } finally {
      await su.end();
    }
  });

  it('stop the owner on every partition too: the row guards are cloned, the TRUNCATE guard is given to each', async () => {
    const su = await sqlClient();
    try {
      const month = new Date().toISOString().slice(0, 7).replace('-', '_');
      await expect(su.query(`update audit_event_${month} set purpose = 'x'`)).rejects.toThrow(/append-only/);
      await expect(su.query(`delete from audit_chain_${month}`)).rejects.toThrow(/append-only/);
      for (const parent of ['audit_event', 'audit_chain']) {
        for (const part of await partitionsOf(su, parent)) {
          await expect(su.query(`truncate ${part}`)).rejects.toThrow(/append-only/);
        }
      }
    } finally {
      await su.end();
    }
  });
});
