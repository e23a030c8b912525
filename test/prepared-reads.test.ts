import type { HubServer } from '../src/server';
import { MAX_NAMES, statementName, statementNamesInUse } from '../src/db/statement-name';
import { auditRowsFor } from './support/audit';
import { makeReturnee, makeSectorUser, type StaffFixture } from './support/factories';
import { gql, startHub } from './support/hub';

/**
 * Reads by key are sent as named (prepared) statements, so PostgreSQL plans them once per
 * connection (src/db/statement-name.ts, docs/bench.md); pages are not (a generic plan of a page
 * ignores the size of the caller's scope). The names are capped per process: past the cap a
 * statement goes unnamed and the read is the same, audit included.
 */
let hub: HubServer;
let social: StaffFixture;

beforeAll(async () => {
  hub = await startHub({ HUB_AUDIT_SEAL_INTERVAL_MS: '0' });
  social = await makeSectorUser(hub.db.orm, 'SOCIAL');
});
afterAll(() => hub.stop());

/** The read statements one request sends, with the name each was sent under (if any). */
async function readsOf(send: () => Promise<{ errors?: unknown; data?: any }>) {
  const knex = hub.db.orm.em.getConnection().getKnex();
  const seen: { name?: string; sql: string }[] = [];
  const onQuery = (q: { sql: string; options?: { name?: string } }) => {
    if (/^(select r\.id, r\.case_number|insert into audit_event)/.test(q.sql.trim())) seen.push({ name: q.options?.name, sql: q.sql });
  };
  knex.on('query', onQuery);
  try {
    const res = await send();
    expect(res.errors).toBeUndefined();
    return {
      seen: seen.filter((s) => s.sql.trim().startsWith('select')),
      inserts: seen.filter((s) => s.sql.trim().startsWith('insert')),
      data: res.data,
    };
  } finally {
    knex.off('query', onQuery);
  }
}

const ONE = 'query($id: ID!) { returnee(id: $id) { id givenName familyName } }';

describe('prepared reads', () => {
  it('sends a read by id under one name per shape, and a page unnamed', async () => {
    const [a, b] = [await makeReturnee(hub.db.orm, social.agency), await makeReturnee(hub.db.orm, social.agency)];
    const first = await readsOf(() => gql(hub, social.token, ONE, { id: a.id }));
    const second = await readsOf(() => gql(hub, social.token, ONE, { id: b.id }));
    // The READ event's INSERT has one text whatever the batch: one name too.
    const inserts = [...first.inserts, ...second.inserts];
    expect(inserts).toHaveLength(2);
    expect(inserts.map((s) => s.name)).toEqual([expect.stringMatching(/^hub_audit_[0-9a-f]{32}$/), inserts[0].name]);
    expect(first.seen).toHaveLength(1);
    expect(first.seen[0].name).toMatch(/^hub_read_[0-9a-f]{32}$/);
    expect(second.seen[0].name).toBe(first.seen[0].name); // same shape, other record: same statement
    expect([first.data.returnee.id, second.data.returnee.id]).toEqual([a.id, b.id]);
    const other = await readsOf(() => gql(hub, social.token, 'query($id: ID!) { returnee(id: $id) { id region } }', { id: a.id }));
    expect(other.seen[0].name).toMatch(/^hub_read_/);
    expect(other.seen[0].name).not.toBe(first.seen[0].name);
    const page = await readsOf(() => gql(hub, social.token, 'query { returnees(first: 5) { nodes { id givenName } } }'));
    expect(page.seen.length).toBeGreaterThan(0);
    expect(page.seen.every((s) => s.name === undefined)).toBe(true);
  });

  it('stops naming new shapes at the cap, and a read past it is the same read, audited the same', async () => {
    const r = await makeReturnee(hub.db.orm, social.agency);
    for (let i = 0; statementNamesInUse() < MAX_NAMES; i++) statementName('filler', `select ${i}`);
    expect(statementName('filler', 'select a shape never seen')).toBeUndefined();
    const before = (await auditRowsFor(social.staff.id)).length;
    const past = await readsOf(() => gql(hub, social.token, 'query($id: ID!) { returnee(id: $id) { id caseNumber sex } }', { id: r.id }));
    expect(past.seen).toHaveLength(1);
    expect(past.seen[0].name).toBeUndefined();
    expect(past.data.returnee).toEqual({ id: r.id, caseNumber: r.caseNumber, sex: r.sex });
    const rows = await auditRowsFor(social.staff.id);
    expect(rows.slice(before)).toEqual([expect.objectContaining({ action: 'READ', entity_id: r.id, fields: ['id', 'caseNumber', 'sex'] })]);
    // The audit INSERT is the hub's own text: named even with the cap full of other shapes.
    expect(past.inserts.map((s) => s.name)).toEqual([expect.stringMatching(/^hub_audit_/)]);
    // Shapes named before the cap keep their name.
    const again = await readsOf(() => gql(hub, social.token, ONE, { id: r.id }));
    expect(again.seen[0].name).toMatch(/^hub_read_/);
  });

  it("keeps the hub's own fixed texts named when callers' shapes have filled the cap", () => {
    jest.isolateModules(() => {
      const fresh = require('../src/db/statement-name') as typeof import('../src/db/statement-name');
      for (let i = 0; i < fresh.MAX_NAMES; i++) expect(fresh.statementName('shape', `select ${i}`)).toBeDefined();
      expect(fresh.statementName('shape', 'one more')).toBeUndefined();
      expect(fresh.statementName('hub_audit', 'insert into audit_event …', true)).toMatch(/^hub_audit_/);
      expect(fresh.statementNamesInUse()).toBe(fresh.MAX_NAMES);
    });
  });

  it('names nothing with HUB_PREPARED_STATEMENTS=0 (a proxy that cannot keep prepared statements)', async () => {
    const plain = await startHub({ HUB_PREPARED_STATEMENTS: '0', HUB_AUDIT_SEAL_INTERVAL_MS: '0' });
    try {
      const r = await makeReturnee(plain.db.orm, social.agency);
      const knex = plain.db.orm.em.getConnection().getKnex();
      const names: (string | undefined)[] = [];
      const onQuery = (q: { sql: string; options?: { name?: string } }) => names.push(q.options?.name);
      knex.on('query', onQuery);
      const res = await gql(plain, social.token, ONE, { id: r.id });
      knex.off('query', onQuery);
      expect(res.data.returnee.id).toBe(r.id);
      expect(names.length).toBeGreaterThan(0);
      expect(names.every((n) => n === undefined)).toBe(true);
    } finally {
      await plain.stop();
    }
  });
});
