import { Client } from 'pg';
import type { HubServer } from '../src/server';
import { createScratchDb, type ScratchDb } from './support/audit-scratch-db';
import { makeReturnee, makeSectorUser, type StaffFixture } from './support/factories';
import { gql, startHub } from './support/hub';

/**
 * Pages within one month touch one partition: `auditEvents` with a time range inside a month is
 * planned with partition pruning, so its plan (EXPLAIN of the exact statement the hub sent,
 * captured from its pool) scans only that month's partition of `audit_event`, however many
 * months the trail holds; a deep page (a cursor) without a range is pruned to the months at or
 * before the cursor's time.
 */
let db: ScratchDb;
let hub: HubServer;
let su: Client;
let auditor: StaffFixture;
const months: string[] = [];

function monthsAgo(k: number): string {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - k);
  return d.toISOString().slice(0, 7);
}

const EVENTS = `query($filter: AuditEventFilter, $after: String) { auditEvents(filter: $filter, first: 5, after: $after) {
  pageInfo { endCursor } edges { node { id occurredAt } } } }`;

beforeAll(async () => {
  db = await createScratchDb('audit_pruning');
  hub = await startHub({ DATABASE_URL: db.url, HUB_AUDIT_SEAL_INTERVAL_MS: '0' });
  const user = await makeSectorUser(hub.db.orm, 'SOCIAL');
  auditor = await makeSectorUser(hub.db.orm, 'OVERSIGHT', ['AUDITOR']);
  const r = await makeReturnee(hub.db.orm, user.agency);
  months.push(monthsAgo(4), monthsAgo(3), monthsAgo(2), monthsAgo(1));
  su = new Client({ connectionString: db.url });
  await su.connect();
  await su.query('select hub_audit_ensure_partitions(0, $1::date)', [`${months[0]}-01`]);
  await su.query('set session_replication_role = replica');
  for (const month of months) {
    await su.query(
      `insert into audit_event (occurred_at, request_id, staff_id, agency_id, action, entity_type, entity_id, returnee_id, fields, denied_fields, outcome)
       select $1::timestamptz + g * interval '1 hour', gen_random_uuid(), $2, $3, 'READ', 'Returnee', $4::text, $4::uuid, '{id}', '{}', 'SUCCESS'
       from generate_series(1, 30) g order by g`,
      [`${month}-02T00:00:00Z`, user.staff.id, user.agency.id, r.id],
    );
  }
  await su.query('set session_replication_role = origin');
  await su.query('analyze audit_event');
});

afterAll(async () => {
  await su?.end();
  await hub?.stop();
  await db?.drop();
});

/** The page statement the hub sends for `variables`, explained with its own bindings: the audit_event partitions it scans. */
async function scannedPartitions(variables: Record<string, unknown>): Promise<{ scanned: string[]; data: any }> {
  const knex = hub.db.orm.em.getConnection().getKnex();
  let captured: { sql: string; bindings: unknown[] } | undefined;
  const listener = (q: { sql: string; bindings?: unknown[] }) => {
    if (q.sql.includes('from audit_event e left join audit_chain c')) captured = { sql: q.sql, bindings: q.bindings ?? [] };
  };
  knex.on('query', listener);
  let res: any;
  try {
    res = await gql(hub, auditor.token, EVENTS, variables);
  } finally {
    knex.off('query', listener);
  }
  expect(res.errors).toBeUndefined();
  if (!captured) throw new Error('the page statement was not seen');
  let n = 0;
  const text = captured.sql.replace(/\?/g, () => `$${++n}`);
  const { rows } = await su.query<{ 'QUERY PLAN': string }>(`explain ${text}`, captured.bindings);
  const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
  const scanned = [...new Set([...plan.matchAll(/ on (audit_event_\d{4}_\d{2})/g)].map((m) => m[1]))].sort();
  return { scanned, data: res.data.auditEvents };
}

const part = (month: string) => `audit_event_${month.replace('-', '_')}`;

it('plans a page whose time range lies inside one month on that month alone', async () => {
  const [, m1] = months;
  const { scanned, data } = await scannedPartitions({ filter: { from: `${m1}-02T05:00:00Z`, to: `${m1}-03T12:00:00Z` } });
  expect(scanned).toEqual([part(m1)]);
  expect(data.edges).toHaveLength(5);
  for (const e of data.edges) expect(e.node.occurredAt.slice(0, 7)).toBe(m1);
  // The next page stays in the month and in the range.
  const next = await scannedPartitions({
    filter: { from: `${m1}-02T05:00:00Z`, to: `${m1}-03T12:00:00Z` },
    after: data.pageInfo.endCursor,
  });
  expect(next.scanned).toEqual([part(m1)]);
  expect(next.data.edges).toHaveLength(5);
  expect(next.data.edges[0].node.occurredAt < data.edges[4].node.occurredAt).toBe(true);
});

it('plans an unbounded page on every month, and a range across two months on those two', async () => {
  const all = await scannedPartitions({});
  for (const m of months) expect(all.scanned).toContain(part(m));
  const two = await scannedPartitions({ filter: { from: `${months[1]}-20T00:00:00Z`, to: `${months[2]}-05T00:00:00Z` } });
  expect(two.scanned).toEqual([part(months[1]), part(months[2])]);
});
