import { Client } from 'pg';
import { fullReturneeSql } from './bench-sql-full';

/**
 * The hand-written SQL the raw baseline and PostGraphile serve, installed in a schema `bench`
 * of the bench database only. It returns the rows the hub returns to a HEALTH caseworker, so
 * the contenders do the same work on the same data:
 *
 * - row scope: records the agency registered, or holds an active case access to (in its
 *   country, or across a border), as `policies/health.policy.ts` (`recordScope: 'case'`) says;
 * - IDENTITY (a section HEALTH reads, not writes) only while an active consent of the record
 *   covers HEALTH and IDENTITY, or for a minor (the policy's `minorsWithoutConsent`); otherwise
 *   null, as the hub answers it;
 * - HEALTH_FLAGS and the assessments (HEALTH's own sections) on every record in scope.
 *
 * The functions are plain SQL and STABLE, so PostgreSQL inlines them into the caller's query:
 * `caseworker_returnees(agency)` costs what the same WHERE clause written inline costs. The
 * column list is generated from the catalogue so that columns added by later migrations do not
 * break it; IDENTITY columns are masked, the others (no scenario reads them) pass through.
 */
const IDENTITY_COLUMNS = new Set([
  'given_name',
  'family_name',
  'patronymic',
  'other_names',
  'sex',
  'date_of_birth',
  'date_of_birth_estimated',
  'place_of_birth',
  'citizenship',
  'returned_on',
  'returned_from',
  'status',
  'country',
  'registering_agency_id',
  'created_at',
  'updated_at',
]);

const TODAY = `(now() at time zone 'utc')::date`;

function scopeSql(agency: string, r = 'r'): string {
  const access = `select 1 from public.case_access ca where ca.returnee_id = ${r}.id and ca.agency_id = ${agency} and ca.revoked_at is null`;
  return `((${r}.registering_agency_id = ${agency}
    or (${r}.country = (select a.country from public.agency a where a.id = ${agency}) and exists (${access}))
    or exists (${access} and ca.cross_border)) and ${r}.merged_into_id is null)`;
}

const IDENTITY_VISIBLE = `(r.date_of_birth > (${TODAY} - interval '18 years')
    or exists (select 1 from public.consent c where c.returnee_id = r.id and c.revoked_at is null
      and c.sectors @> array['HEALTH'] and c.sections @> array['IDENTITY']
      and c.valid_from <= ${TODAY} and (c.valid_until is null or c.valid_until >= ${TODAY})))`;

export async function installBenchSql(ownerUrl: string): Promise<void> {
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ column_name: string }>(
      `select column_name from information_schema.columns where table_schema = 'public' and table_name = 'returnee' order by ordinal_position`,
    );
    const columns = rows.map(({ column_name: c }) => (IDENTITY_COLUMNS.has(c) ? `case when v.identity then r.${c} end` : `r.${c}`));
    await client.query(`
      drop schema if exists bench cascade;
      create schema bench;
      comment on schema bench is 'Bench only: the SQL of the raw baseline and the PostGraphile contender (bench/api/bench-sql.ts)';

      -- The masked rows' type: a view, whose columns may be null (the table's IDENTITY columns are
      -- NOT NULL, which PostGraphile would serve as non-null fields). Smart tags give it the
      -- table's key and the assessments' relation, as PostGraphile would see them on the table.
      create view bench.scoped_returnee as select * from public.returnee;
      comment on view bench.scoped_returnee is E'@primaryKey id';
      comment on table public.health_assessment is E'@foreignKey (returnee_id) references bench.scoped_returnee (id)';

      create function bench.caseworker_returnees(agency uuid) returns setof bench.scoped_returnee language sql stable as $$
        select ${columns.join(',\n          ')}
        from public.returnee r
        -- once per row (offset 0 keeps PostgreSQL from copying the test into each masked column)
        cross join lateral (select ${IDENTITY_VISIBLE} as identity offset 0) v
        where ${scopeSql('agency')}
        order by r.case_number, r.id
      $$;

      create function bench.caseworker_returnee(agency uuid, returnee uuid) returns setof bench.scoped_returnee language sql stable rows 1 as $$
        select * from bench.caseworker_returnees(agency) r where r.id = returnee
      $$;

      -- byIdFull: every section HEALTH reads and the household, masked (bench-sql-full.ts).
      ${fullReturneeSql((alias) => scopeSql('agency', alias))}

      -- The write: the assessment, the flags it sets, and the previous flags kept as a revision,
      -- in one statement (what recordHealthAssessment does, without the audit events).
      create function bench.record_health_assessment(agency uuid, staff uuid, returnee uuid, assessed_on date, findings text,
          follow_up boolean, school_fit boolean) returns public.returnee language sql volatile as $$
        with target as (
          select r.id, r.version, r.follow_up_needed, r.fit_for_school, r.accommodations_needed,
            (r.follow_up_needed, r.fit_for_school, r.accommodations_needed) is distinct from (follow_up, school_fit, null::text) as changed
          from public.returnee r where r.id = returnee and ${scopeSql('agency')} for update
        ), assessment as (
          insert into public.health_assessment (id, returnee_id, agency_id, recorded_by_id, assessed_on, findings, conditions,
            follow_up_needed, fit_for_school, created_at)
          select gen_random_uuid(), t.id, agency, staff, assessed_on, findings, '{}', follow_up, school_fit, now() from target t
        ), revision as (
          insert into public.returnee_revision (returnee_id, version, fields, previous, staff_id, agency_id, changed_at)
          select t.id, t.version, array['followUpNeeded', 'fitForSchool', 'accommodationsNeeded'],
            jsonb_build_object('followUpNeeded', t.follow_up_needed, 'fitForSchool', t.fit_for_school, 'accommodationsNeeded', t.accommodations_needed),
            staff, agency, now()
          from target t where t.changed
        ), updated as (
          update public.returnee r set follow_up_needed = follow_up, fit_for_school = school_fit, accommodations_needed = null,
            version = r.version + 1, updated_at = now()
          from target t where r.id = t.id and t.changed
          returning r.*
        )
        select * from updated
        union all
        select r.* from public.returnee r join target t on r.id = t.id and not t.changed
      $$;
    `);
  } finally {
    await client.end();
  }
}
