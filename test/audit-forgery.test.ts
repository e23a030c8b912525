import { Client } from 'pg';
import { sealAll } from '../src/trail/audit-sealer';
import { userOf, withCredentials } from '../src/db/app-role';
import type { HubServer } from '../src/server';
import { createScratchDb, type ScratchDb } from './support/audit-scratch-db';
import { makeSectorUser, type StaffFixture } from './support/factories';
import { gql, sqlClient, startHub } from './support/hub';

/**
 * The hub's own database role (what an SQL injection or a leaked app-role password gives an
 * attacker) tries to forge the trail: a back-dated event blamed on an auditor, chain, seal
 * and checkpoint rows of its own. The database sets the time itself, checks that the staff
 * member named is an active member of the agency named, and only the sealer role writes the
 * chain (docs/audit.md, "What the database guarantees").
 */
let hub: HubServer;
let app: Client;
let auditor: StaffFixture;
let social: StaffFixture;

beforeAll(async () => {
  hub = await startHub();
  app = new Client({ connectionString: hub.db.appUrl });
  await app.connect();
  auditor = await makeSectorUser(hub.db.orm, 'OVERSIGHT', ['AUDITOR']);
  social = await makeSectorUser(hub.db.orm, 'SOCIAL');
});
afterAll(async () => {
  await app?.end();
  await hub?.stop();
});

/** Runs `fn` in a transaction that is always rolled back: nothing stays in the shared trail. */
async function rolledBack<T>(client: Client, fn: () => Promise<T>): Promise<T> {
  await client.query('begin');
  try {
    return await fn();
  } finally {
    await client.query('rollback');
  }
}

const EVENT = `(request_id, staff_id, agency_id, action, entity_type, fields, denied_fields, outcome)
  values (gen_random_uuid(), $1, $2, 'READ', 'Returnee', '{givenName}', '{}', 'SUCCESS')`;

describe("as the hub's own role", () => {
  it.each(['audit_chain', 'audit_seal', 'audit_checkpoint'])('cannot insert into %s (only the sealer role can)', async (table) => {
    const {
      rows: [p],
    } = await app.query(`select has_table_privilege($1, 'SELECT') as sel, has_table_privilege($1, 'INSERT') as ins`, [table]);
    expect(p).toEqual({ sel: true, ins: false });
    const forged: Record<string, string> = {
      audit_chain: `insert into audit_chain (position, event_id, hash) values (999999999, 999999999, '\\x00')`,
      audit_seal: `insert into audit_seal (first_position, last_position, head_hash, watermark, pending_high, pending_xid)
        values (1, 999999999, '\\x00', 999999999, 0, 0)`,
      audit_checkpoint: `insert into audit_checkpoint (position, hash, signed_at, key_id, public_key, signature)
        values (0, '\\x00', now(), 'forged', '\\x00', '\\x00')`,
    };
    await expect(app.query(forged[table])).rejects.toThrow(/permission denied/);
  });

  it('cannot back-date an event: occurred_at (and id) are not its to send', async () => {
    await expect(
      rolledBack(app, () =>
        app.query(
          `insert into audit_event (occurred_at, request_id, staff_id, agency_id, action, entity_type, fields, denied_fields, outcome)
      values ('2025-01-01T00:00:00Z', gen_random_uuid(), $1, $2, 'READ', 'Returnee', '{givenName}', '{}', 'SUCCESS')`,
          [auditor.staff.id, auditor.agency.id],
        ),
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(
      rolledBack(app, () =>
        app.query(`insert into audit_event (id, request_id, action, entity_type, fields, denied_fields, outcome)
      values (1, gen_random_uuid(), 'READ', 'Returnee', '{}', '{}', 'SUCCESS')`),
      ),
    ).rejects.toThrow(/permission denied/);
    // What it may send still gets the database's time, not the client's.
    const stored = await rolledBack(app, async () => {
      const {
        rows: [t],
      } = await app.query('select clock_timestamp() as before');
      const {
        rows: [e],
      } = await app.query(`insert into audit_event ${EVENT} returning occurred_at`, [social.staff.id, social.agency.id]);
      const {
        rows: [u],
      } = await app.query('select clock_timestamp() as after');
      return { before: t.before as Date, at: e.occurred_at as Date, after: u.after as Date };
    });
    expect(stored.at.getTime()).toBeGreaterThanOrEqual(stored.before.getTime());
    expect(stored.at.getTime()).toBeLessThanOrEqual(stored.after.getTime());
  });

  it('cannot blame a staff member of another agency, a made-up one, or an agency without a person', async () => {
    const cases: [string, unknown[]][] = [
      ['the auditor with the social agency', [auditor.staff.id, social.agency.id]],
      ['a staff id that does not exist', ['00000000-0000-4000-8000-000000000001', social.agency.id]],
      ['an agency without a staff member', [null, social.agency.id]],
      ['a staff member without their agency', [social.staff.id, null]],
    ];
    const outcomes = [];
    for (const [name, params] of cases) {
      outcomes.push([
        name,
        await rolledBack(app, () => app.query(`insert into audit_event ${EVENT}`, params)).then(
          () => 'stored',
          (e: Error) => e.message,
        ),
      ]);
    }
    expect(outcomes).toEqual(cases.map(([name]) => [name, expect.stringMatching(/not an active staff member/)]));
    // The recorder's real shape of an event (its own staff and agency, or neither) passes.
    expect((await rolledBack(app, () => app.query(`insert into audit_event ${EVENT}`, [social.staff.id, social.agency.id]))).rowCount).toBe(
      1,
    );
    expect((await rolledBack(app, () => app.query(`insert into audit_event ${EVENT}`, [null, null]))).rowCount).toBe(1);
  });

  it('cannot blame a deactivated staff member', async () => {
    const gone = await makeSectorUser(hub.db.orm, 'SOCIAL');
    const owner = await sqlClient();
    try {
      await owner.query('update staff_member set active = false, deactivated_at = now() where id = $1', [gone.staff.id]);
    } finally {
      await owner.end();
    }
    await expect(rolledBack(app, () => app.query(`insert into audit_event ${EVENT}`, [gone.staff.id, gone.agency.id]))).rejects.toThrow(
      /not an active staff member/,
    );
  });
});

describe('as the owner of the schema (a maintenance statement)', () => {
  it('a back-dated event and revision still get the database clock', async () => {
    const owner = await sqlClient();
    try {
      const stored = await rolledBack(owner, async () => {
        const {
          rows: [t],
        } = await owner.query('select clock_timestamp() as before');
        const {
          rows: [e],
        } = await owner.query(
          // Back-dated within this month's partition (an earlier month is refused outright, below).
          `insert into audit_event (occurred_at, request_id, staff_id, agency_id, action, entity_type, fields, denied_fields, outcome)
          values (date_trunc('month', clock_timestamp() at time zone 'UTC') at time zone 'UTC', gen_random_uuid(), $1, $2, 'READ', 'Returnee',
            '{}', '{}', 'SUCCESS') returning occurred_at`,
          [auditor.staff.id, auditor.agency.id],
        );
        const {
          rows: [r],
        } = await owner.query(
          `insert into returnee_revision (returnee_id, version, fields, previous, staff_id, agency_id, changed_at)
          values (gen_random_uuid(), 1, '{}', '{}', $1, $2, '2025-01-01T00:00:00Z') returning changed_at`,
          [social.staff.id, social.agency.id],
        );
        return { before: t.before as Date, event: e.occurred_at as Date, revision: r.changed_at as Date };
      });
      expect(stored.event.getTime()).toBeGreaterThanOrEqual(stored.before.getTime());
      expect(stored.revision.getTime()).toBeGreaterThanOrEqual(stored.before.getTime());
      // Into an earlier month: the row is routed by the date it was sent with, and the database's clock then takes it
      // out of that month's partition (or no partition holds it): refused, never stored back-dated.
      await expect(
        rolledBack(owner, () =>
          owner.query(
            `insert into audit_event (occurred_at, request_id, staff_id, agency_id, action, entity_type, fields, denied_fields, outcome)
            values ('2025-01-01T00:00:00Z', gen_random_uuid(), $1, $2, 'READ', 'Returnee', '{}', '{}', 'SUCCESS')`,
            [auditor.staff.id, auditor.agency.id],
          ),
        ),
      ).rejects.toThrow(/partition/);
    } finally {
      await owner.end();
    }
  });
});

describe('sealing', () => {
  it('runs as a sealer role that is neither the app role nor the owner, and may not write events', async () => {
    const {
      rows: [me],
    } = (await hub.runtime.audit.knex.raw(`select current_user as name, r.rolsuper
      from pg_roles r where r.rolname = current_user`)) as { rows: { name: string; rolsuper: boolean }[] };
    expect(me).toEqual({ name: expect.stringMatching(/_hub_sealer$/), rolsuper: false });
    const privileges = (table: string, p: string) =>
      hub.runtime.audit.knex
        .raw(`select has_table_privilege(?, ?) as ok`, [table, p])
        .then((r) => (r as { rows: { ok: boolean }[] }).rows[0].ok);
    expect(await privileges('audit_event', 'INSERT')).toBe(false);
    expect(await privileges('audit_chain', 'UPDATE')).toBe(false);
    expect(await privileges('returnee', 'SELECT')).toBe(false);
    expect(await privileges('audit_chain', 'INSERT')).toBe(true);
  });

  it("still chains the hub's events, with the actor the token named", async () => {
    const res = await gql(hub, social.token, 'query { me { staff { id } } }');
    expect(res.errors).toBeUndefined();
    await sealAll(hub.runtime.audit.knex, { wait: true });
    const owner = await sqlClient();
    try {
      const { rows } = await owner.query(
        `select e.staff_id, e.agency_id, c.position is not null as chained
        from audit_event e left join audit_chain c on c.event_id = e.id where e.staff_id = $1`,
        [social.staff.id],
      );
      expect(rows).toEqual([{ staff_id: social.staff.id, agency_id: social.agency.id, chained: true }]);
    } finally {
      await owner.end();
    }
  });
});

describe('with roles the operator manages (HUB_APP_DATABASE_URL, HUB_SEALER_DATABASE_URL)', () => {
  let db: ScratchDb;
  let roles: { app: string; sealer: string };

  beforeAll(async () => {
    db = await createScratchDb('audit_ops');
    roles = { app: `${db.name}_ops_app`, sealer: `${db.name}_ops_sealer` };
    await db.query(`create role ${roles.app} login password 'app-password'`);
    await db.query(`create role ${roles.sealer} login password 'sealer-password'`);
  });
  afterAll(async () => {
    await db?.drop();
    const owner = await sqlClient();
    try {
      for (const role of Object.values(roles ?? {})) await owner.query(`drop role if exists ${role}`);
    } finally {
      await owner.end();
    }
  });

  const whoSeals = async (h: HubServer) =>
    ((await h.runtime.audit.knex.raw('select current_user as u')) as { rows: { u: string }[] }).rows[0].u;

  it('grants each role its part at start; the hub serves as one and seals and signs as the other', async () => {
    const ops = await startHub({
      DATABASE_URL: db.url,
      HUB_APP_DATABASE_URL: withCredentials(db.url, roles.app, 'app-password'),
      HUB_SEALER_DATABASE_URL: withCredentials(db.url, roles.sealer, 'sealer-password'),
    });
    const asApp = new Client({ connectionString: ops.db.appUrl });
    await asApp.connect();
    try {
      expect(await whoSeals(ops)).toBe(roles.sealer);
      expect((await asApp.query('select current_user as u')).rows[0].u).toBe(roles.app);
      await expect(asApp.query(`insert into audit_chain (position, event_id, hash) values (999999999, 1, '\\x00')`)).rejects.toThrow(
        /permission denied/,
      );
      const [{ n }] = await db.query('select count(*)::int as n from audit_checkpoint'); // signed at start, by the sealer
      expect(n).toBe(1);
    } finally {
      await asApp.end();
      await ops.stop();
    }
  });

  it('without a sealer role of its own, seals as the owner (and warns)', async () => {
    const ops = await startHub({ DATABASE_URL: db.url, HUB_APP_DATABASE_URL: withCredentials(db.url, roles.app, 'app-password') });
    try {
      expect(await whoSeals(ops)).toBe(userOf(db.url));
    } finally {
      await ops.stop();
    }
  });
});
