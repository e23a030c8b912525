import { Client } from 'pg';
import { sql } from './bench-db';

/**
 * Bench fill: `count` more audit events in a seeded database, set-based (as the owner: this is
 * test data, not the hub's write path), one transaction per million. Staff, agencies and
 * returnees come from the seed; time runs forward with the id (about 3 s apart, a year per
 * 10^7), as the database's clock_timestamp() would. The insert runs with the triggers off
 * (session_replication_role = replica, superuser only): the trigger that stamps occurred_at
 * with the database clock would otherwise date a year of fill at one instant. With `rebuildIndexes`, the secondary
 * indexes are dropped for the load and rebuilt after (much faster than maintaining them).
 */
const SECONDARY = [
  ['audit_event_returnee_id_occurred_at_id_index', '(returnee_id, occurred_at, id)'],
  ['audit_event_staff_id_occurred_at_id_index', '(staff_id, occurred_at, id)'],
  ['audit_event_agency_id_occurred_at_id_index', '(agency_id, occurred_at, id)'],
  ['audit_event_occurred_at_id_index', '(occurred_at, id)'],
];

/** The time of the g-th event: 3.1536 s apart (10^7 a year) from 2025-11-25, so a fill of 2·10^7 ends in 2027-11. */
const FILL_TIME = (g: string) => `(timestamptz '2025-11-25 00:00:00+00' + ${g} * interval '3.1536 seconds')`;

const FILL_SQL = `insert into audit_event (occurred_at, request_id, staff_id, agency_id, action, entity_type, entity_id, returnee_id,
    fields, denied_fields, purpose, operation, outcome, reason)
  select ${FILL_TIME('g')}, gen_random_uuid(), s.staff_id, s.agency_id,
    k.action, 'Returnee', r.id::text, r.id, k.fields, k.denied, p.purpose, k.operation, k.outcome, k.reason
  from generate_series($1::bigint, $2::bigint) g
  join bench_staff s on s.i = 1 + (g * 7919) % (select count(*) from bench_staff)
  join bench_returnee r on r.i = 1 + (g * 104729) % (select count(*) from bench_returnee)
  join bench_kind k on k.i = 1 + (g * 31) % 100
  join bench_purpose p on p.i = 1 + (g * 13) % 5
  order by g`;

const SETUP = [
  `create table if not exists bench_staff as select row_number() over (order by s.id) as i, s.id as staff_id, s.agency_id
     from staff_member s join agency a on a.id = s.agency_id where a.sector not in ('OVERSIGHT', 'ADMINISTRATION')`,
  'create table if not exists bench_returnee as select row_number() over (order by id) as i, id from returnee',
  `create table if not exists bench_kind as select i,
     case when i <= 85 then 'READ' when i <= 93 then 'UPDATE' when i <= 96 then 'CREATE' else 'DENY' end as action,
     case when i <= 85 then 'returnee' when i <= 93 then 'updateReturnee' when i <= 96 then 'recordHealthAssessment' else 'returnee' end as operation,
     case when i <= 85 then '{id,caseNumber,givenName,familyName,region}'::text[] when i <= 93 then '{region,district}'::text[]
          when i <= 96 then '{assessedOn,findings}'::text[] else '{}'::text[] end as fields,
     case when i <= 60 then '{address}'::text[] when i > 96 then '{givenName}'::text[] else '{}'::text[] end as denied,
     case when i <= 96 then 'SUCCESS' else 'DENIED' end as outcome,
     case when i <= 96 then null else 'FORBIDDEN' end as reason
   from generate_series(1, 100) i`,
  `create table if not exists bench_purpose as select row_number() over () as i, p as purpose from unnest(array['Follow-up of screening results',
     'Housing assessment', 'School enrolment', 'Document restoration', 'Case review']) p`,
];

async function withoutTriggers(url: string, text: string, params: unknown[]): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('set session_replication_role = replica');
    await c.query(text, params);
  } finally {
    await c.end();
  }
}

export async function fillEvents(
  url: string,
  count: number,
  opts: { rebuildIndexes?: boolean; log?: (m: string) => void } = {},
): Promise<void> {
  const log = opts.log ?? (() => undefined);
  for (const s of SETUP) await sql(url, s);
  if (opts.rebuildIndexes) for (const [name] of SECONDARY) await sql(url, `drop index if exists ${name}`);
  const [{ start }] = await sql<{ start: string }>(url, 'select coalesce(max(id), 0) + 1 as start from audit_event');
  const first = Number(start);
  // The trail is partitioned by month (Migration20261212000000): the months the fill dates its events in must exist first.
  await sql(
    url,
    `select hub_audit_ensure_partitions(0, date_trunc('month', ${FILL_TIME('$1::bigint')} at time zone 'UTC')::date,
       date_trunc('month', ${FILL_TIME('$2::bigint')} at time zone 'UTC')::date)`,
    [first, first + count - 1],
  );
  for (let from = first; from < first + count; from += 1_000_000) {
    const to = Math.min(first + count - 1, from + 999_999);
    const t = Date.now();
    await withoutTriggers(url, FILL_SQL, [from, to]);
    log(`filled events ${from}..${to} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  if (opts.rebuildIndexes) {
    for (const [name, cols] of SECONDARY) {
      const t = Date.now();
      await sql(url, `create index if not exists ${name} on audit_event ${cols}`);
      log(`index ${name} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
  }
  await sql(url, 'analyze audit_event');
}
