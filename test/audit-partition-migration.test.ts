import { Client } from 'pg';
import { openOrm } from '../src/db/orm';
import { EVENT_COLUMNS_SQL, GENESIS_HASH, linkHash, type CanonicalEventRow } from '../src/trail/audit-canonical';
import { verifyTrail } from '../src/trail/audit-verifier';
import { createScratchDb, type ScratchDb } from './support/audit-scratch-db';

/** The trail as it stands at the partition migration: the basis columns (a later migration) do not exist yet and hash as absent. */
const BEFORE_BASIS_COLUMNS_SQL = EVENT_COLUMNS_SQL.replace(
  'e.basis::text as basis, to_json(e.basis_keys) as basis_keys',
  'null::text as basis, null::json as basis_keys',
);

/**
 * Migration20261212000000 moves an existing, sealed trail into monthly partitions: every event
 * row stays as it was (same ids, times, values), every link keeps its position and hash, and
 * the moved trail verifies with the same head. The trail here spans five months, written and
 * chained as the hub did before the migration (the chain computed with the sealer's own
 * `linkHash`), and checked link by link before the migration too.
 * PARTITION_MIGRATION_EVENTS=1000000 runs it on 10^6 events (docs/audit.md gives the figures).
 */
const EVENTS = Number(process.env.PARTITION_MIGRATION_EVENTS ?? 3000);
jest.setTimeout(Math.max(120_000, EVENTS * 2));

let db: ScratchDb;
let client: Client;

/** md5 of every event row in id order, every column as text: equal before and after means nothing was lost, changed or added. */
// The columns the trail had at the partition migration (later migrations add nullable ones, e.g. the basis).
const FINGERPRINT = `select count(*)::int as n, md5(string_agg(row(e.id, e.occurred_at, e.request_id, e.staff_id, e.agency_id, e.action, e.entity_type,
  e.entity_id, e.returnee_id, e.fields, e.denied_fields, e.purpose, e.operation, e.outcome, e.reason, e.correlation_id)::text, '|' order by e.id)) as events
  from audit_event e`;
const CHAIN_FINGERPRINT = `select count(*)::int as n, md5(string_agg(c.position || ':' || c.event_id || ':' || encode(c.hash, 'hex'), '|' order by c.position)) as links from audit_chain c`;

/** The chain over every event as the sealer made it before the migration: in id order, in batches. */
async function chainAsBefore(): Promise<string> {
  let previous: Buffer = GENESIS_HASH;
  let position = 0n;
  for (let after = '0'; ;) {
    const { rows } = await client.query<CanonicalEventRow>(
      `select ${BEFORE_BASIS_COLUMNS_SQL} from audit_event e where e.id > $1 order by e.id limit 5000`,
      [after],
    );
    if (rows.length === 0) return previous.toString('hex');
    const positions: string[] = [];
    const hashes: string[] = [];
    for (const row of rows) {
      position++;
      previous = linkHash(previous, position, row);
      positions.push(position.toString());
      hashes.push(previous.toString('hex'));
    }
    await client.query(
      `insert into audit_chain (position, event_id, hash) select p, e, decode(h, 'hex') from unnest($1::bigint[], $2::bigint[], $3::text[]) t(p, e, h)`,
      [positions, rows.map((r) => r.id), hashes],
    );
    after = rows[rows.length - 1].id;
  }
}

/** What verification did before the migration: the links recomputed in position order from the genesis hash. */
async function verifyAsBefore(): Promise<{ checked: number; head: string }> {
  let previous: Buffer = GENESIS_HASH;
  let checked = 0;
  for (let after = '0'; ;) {
    const { rows } = await client.query<CanonicalEventRow & { position: string; link: Buffer }>(
      `select c.position::text as position, c.hash as link, ${BEFORE_BASIS_COLUMNS_SQL} from audit_chain c join audit_event e on e.id = c.event_id
       where c.position > $1 order by c.position limit 5000`,
      [after],
    );
    if (rows.length === 0) return { checked, head: previous.toString('hex') };
    for (const row of rows) {
      expect(linkHash(previous, BigInt(row.position), row).equals(row.link)).toBe(true);
      previous = row.link;
      checked++;
    }
    after = rows[rows.length - 1].position;
  }
}

beforeAll(async () => {
  db = await createScratchDb('audit_partition_migration');
  const orm = await openOrm(db.url);
  try {
    await orm.getMigrator().up({ to: 'Migration20261211000000' });
  } finally {
    await orm.close(true);
  }
  client = new Client({ connectionString: db.url });
  await client.connect();
  // Five months of events, dated as the database would have (triggers off to set the past), ids in time order.
  await client.query('set session_replication_role = replica');
  await client.query(
    `insert into audit_event (occurred_at, request_id, action, entity_type, entity_id, fields, denied_fields, purpose, outcome, reason, correlation_id)
     select timestamptz '2026-07-15 00:00:00+00' + g * ($1::float8 / $2::int) * interval '1 second', gen_random_uuid(),
       (array['READ', 'UPDATE', 'DENY'])[1 + g % 3], 'Returnee', 'r-' || g, '{id,givenName}', case when g % 5 = 0 then '{address}'::text[] else '{}'::text[] end,
       case when g % 7 = 0 then 'He said "hi" \\ tab' || chr(9) end, case when g % 3 = 2 then 'DENIED' else 'SUCCESS' end,
       case when g % 3 = 2 then 'FORBIDDEN' end, case when g % 11 = 0 then 'corr-' || g end
     from generate_series(1, $2::int) g order by g`,
    [150 * 24 * 3600, EVENTS],
  );
  await client.query('set session_replication_role = origin');
});

afterAll(async () => {
  await client?.end();
  await db?.drop();
});

it('moves every event and link into monthly partitions without losing, changing or reordering one', async () => {
  const head = await chainAsBefore();
  const before = await verifyAsBefore();
  expect(before).toEqual({ checked: EVENTS, head });
  const events = (await client.query(FINGERPRINT)).rows[0];
  const links = (await client.query(CHAIN_FINGERPRINT)).rows[0];
  const started = Date.now();
  const orm = await openOrm(db.url);
  try {
    expect((await orm.getMigrator().up()).map((m) => m.name)).toContain('Migration20261212000000');
  } finally {
    await orm.close(true);
  }
  const migrationMs = Date.now() - started;
  expect((await client.query(FINGERPRINT)).rows[0]).toEqual(events);
  expect((await client.query(CHAIN_FINGERPRINT)).rows[0]).toEqual(links);
  const { rows: parts } = await client.query(
    `select c.relname, (select count(*) from audit_event e where e.tableoid = c.oid)::int as n from pg_inherits i
     join pg_class c on c.oid = i.inhrelid where i.inhparent = 'audit_event'::regclass order by c.relname`,
  );
  expect(parts.filter((p) => p.n > 0).map((p) => p.relname)).toEqual([
    'audit_event_2026_07',
    'audit_event_2026_08',
    'audit_event_2026_09',
    'audit_event_2026_10',
    'audit_event_2026_11',
    'audit_event_2026_12',
  ]);
  const started2 = Date.now();
  const orm2 = await openOrm(db.url);
  try {
    const report = await verifyTrail(orm2.em.getConnection().getKnex(), { trustedKeys: [], graceMs: 60_000 });
    expect(report).toMatchObject({ intact: true, eventsChecked: EVENTS, headPosition: String(EVENTS), headHash: head, problemCount: 0 });
  } finally {
    await orm2.close(true);
  }
  console.log(`partition migration of ${EVENTS} events: ${migrationMs} ms; verify after: ${Date.now() - started2} ms`);
});
