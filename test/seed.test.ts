import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import pino from 'pino';
import type { MikroORM } from '@mikro-orm/postgresql';
import { AuditRecorder } from '../src/trail/audit-recorder';
import { migrate, openOrm } from '../src/db/orm';
import { NAME_KEY_VERSION } from '../src/dedup/name-keys';
import { masculineFamilyName } from '../src/seed/names';
import { Prng } from '../src/seed/prng';
import { seedDatabase, type SeedResult } from '../src/seed/seed';

/**
 * The demo-data seed against real PostgreSQL. The shared test database must not be seeded
 * (other suites count its rows), so this suite creates two databases of its own on the same
 * server, migrates and seeds them, and drops them afterwards.
 */
const SEED = 20261101;
const RETURNEES = 200;

interface Db {
  name: string;
  orm: MikroORM;
}

let adminUrl: URL;
const dbs: Db[] = [];
let first: SeedResult;

function urlFor(name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl.toString() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function freshDatabase(): Promise<Db> {
  const name = `seed_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`create database ${name}`));
  const orm = await openOrm(urlFor(name));
  const db = { name, orm };
  dbs.push(db);
  await migrate(orm);
  return db;
}

async function query<T extends Record<string, unknown>>(db: Db, sql: string, params: unknown[] = []): Promise<T[]> {
  return db.orm.em.fork().getConnection().execute<T[]>(sql, params);
}

function seed(db: Db, opts = { returnees: RETURNEES, seed: SEED }): Promise<SeedResult> {
  const recorder = new AuditRecorder(db.orm.em.fork(), pino({ level: 'silent' }));
  return seedDatabase(db.orm.em.fork(), recorder, opts);
}

beforeAll(async () => {
  const url = process.env.HUB_TEST_DATABASE_URL;
  if (!url) throw new Error('HUB_TEST_DATABASE_URL is not set (test/global-setup.ts sets it)');
  adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  first = await seed(await freshDatabase());
});

afterAll(async () => {
  for (const db of dbs) await db.orm.close(true);
  if (adminUrl) {
    await admin(async (c) => {
      for (const db of dbs) await c.query(`drop database if exists ${db.name} with (force)`);
    });
  }
});

describe('seedDatabase', () => {
  it('creates agencies, demo users and the requested number of returnees', async () => {
    const db = dbs[0];
    expect(first).toMatchObject({ agencies: 21, staff: 36, returnees: RETURNEES });
    const [counts] = await query<{ agencies: string; staff: string; returnees: string; assessments: string; accesses: string }>(
      db,
      `
      select (select count(*) from agency) as agencies, (select count(*) from staff_member) as staff,
             (select count(*) from returnee) as returnees, (select count(*) from health_assessment) as assessments,
             (select count(*) from case_access) as accesses`,
    );
    expect(Number(counts.agencies)).toBe(first.agencies);
    expect(Number(counts.staff)).toBe(first.staff);
    expect(Number(counts.returnees)).toBe(RETURNEES);
    expect(Number(counts.assessments)).toBe(first.healthAssessments);
    expect(Number(counts.accesses)).toBe(first.caseAccesses);
    expect(first.demoUsers).toEqual(
      expect.arrayContaining([
        { username: 'kz-health-caseworker', sector: 'HEALTH', country: 'KZ', roles: ['CASEWORKER'] },
        { username: 'kg-ngo-supervisor', sector: 'NGO', country: 'KG', roles: ['SUPERVISOR'] },
        { username: 'tj-oversight-auditor', sector: 'OVERSIGHT', country: 'TJ', roles: ['AUDITOR'] },
      ]),
    );
    const admins = await query<{ code: string }>(db, `select code from agency where sector = 'ADMINISTRATION'`);
    expect(admins).toEqual([{ code: 'hub-administration' }]);
  });

  it('gives every returnee a unique case number and a health referral in its own country', async () => {
    const rows = await query<{ case_number: string; health: string }>(
      dbs[0],
      `
      select r.case_number, (select count(*) from case_access ca join agency a on a.id = ca.agency_id
                             where ca.returnee_id = r.id and a.sector = 'HEALTH' and a.country = r.country
                               and ca.revoked_at is null) as health
        from returnee r`,
    );
    for (const r of rows) {
      expect(r.case_number).toMatch(/^(KZ|KG|TJ|UZ)-20(19|2[0-5])-\d{6}$/);
      expect(Number(r.health)).toBe(1);
    }
  });

  it('links minors to an adult woman of the same family as guardian', async () => {
    const rows = await query<{ child: string; mother: string; sex: string; mother_age: number }>(
      dbs[0],
      `
      select c.family_name as child, m.family_name as mother, m.sex,
             extract(year from age(c.returned_on, m.date_of_birth))::int as mother_age
        from returnee c join returnee m on m.id = c.guardian_returnee_id`,
    );
    expect(rows.length).toBeGreaterThan(RETURNEES / 4);
    for (const r of rows) {
      expect(r.sex).toBe('FEMALE');
      expect(r.mother_age).toBeGreaterThanOrEqual(18);
      // Nurlanova's son is Nurlanov: family names compare in their masculine form.
      expect(masculineFamilyName(r.child)).toBe(masculineFamilyName(r.mother));
    }
    const [orphans] = await query<{ n: string }>(
      dbs[0],
      `
      select count(*) as n from returnee
       where age(returned_on, date_of_birth) < interval '18 years' and guardian_returnee_id is null and guardian_name is null`,
    );
    expect(Number(orphans.n)).toBe(0);
  });

  it('gives no two members of a family (a mother and her children) the same given name', async () => {
    const [shared] = await query<{ n: string }>(
      dbs[0],
      `
      select count(*) as n from (
        select coalesce(guardian_returnee_id, id) as family, given_name from returnee
         where guardian_returnee_id is not null or id in (select guardian_returnee_id from returnee)
         group by 1, 2 having count(*) > 1) t`,
    );
    expect(Number(shared.n)).toBe(0);
  });

  it("fills the other sectors' sections only where their agency has the record, with plausible content", async () => {
    const db = dbs[0];
    const [counts] = await query<Record<string, string>>(
      db,
      `
      select (select count(*) from education_progress_note) as notes, (select count(*) from civil_document) as documents,
             (select count(*) from social_support_measure) as measures, (select count(*) from support_session) as sessions`,
    );
    expect(Object.values(counts).map(Number)).toEqual([
      first.educationProgressNotes,
      first.civilDocuments,
      first.socialSupportMeasures,
      first.supportSessions,
    ]);
    for (const n of Object.values(counts)) expect(Number(n)).toBeGreaterThan(0);
    // Every section row was recorded by an agency of the owning sector that holds the record.
    const [foreign] = await query<{ n: string }>(
      db,
      `
      select count(*) as n from (
        select returnee_id, agency_id, 'EDUCATION' as sector from education_progress_note union all
        select returnee_id, agency_id, 'SOCIAL' from civil_document union all
        select returnee_id, agency_id, 'SOCIAL' from social_support_measure union all
        select returnee_id, agency_id, 'NGO' from support_session) s
      join agency a on a.id = s.agency_id join returnee r on r.id = s.returnee_id
      where a.sector <> s.sector or (r.registering_agency_id <> a.id and not exists (
        select 1 from case_access ca where ca.returnee_id = r.id and ca.agency_id = a.id and ca.revoked_at is null))`,
    );
    expect(Number(foreign.n)).toBe(0);
    const statuses = await query<{ status: string; numbered: boolean; n: string }>(
      db,
      `
      select status, number is not null as numbered, count(*) as n from civil_document where superseded_at is null group by 1, 2`,
    );
    expect(statuses.filter((s) => s.numbered).map((s) => s.status)).toEqual(['ISSUED']);
    expect(new Set(statuses.map((s) => s.status))).toEqual(new Set(['MISSING', 'APPLIED', 'ISSUED']));
    const [dates] = await query<{ bad: string; long_stays: string; orphans: string; decisions: string }>(
      db,
      `
      select (select count(*) from support_session s join returnee r on r.id = s.returnee_id
               where s.started_on < r.date_of_birth or s.started_on >= date '2026-11-01' or s.ended_on < s.started_on) as bad,
             (select count(*) from support_session where kind = 'REHABILITATION_CENTRE_STAY' and ended_on - started_on >= 21) as long_stays,
             (select count(*) from returnee r where guardian_name is not null and exists (select 1 from case_access ca join agency a on a.id = ca.agency_id
               where ca.returnee_id = r.id and a.sector = 'SOCIAL') or guardian_name is not null and exists (select 1 from agency a
               where a.id = r.registering_agency_id and a.sector = 'SOCIAL')) as orphans,
             (select count(distinct returnee_id) from social_support_measure where kind = 'GUARDIANSHIP_DECISION' and guardian_name is not null) as decisions`,
    );
    expect(Number(dates.bad)).toBe(0);
    expect(Number(dates.long_stays)).toBeGreaterThan(0);
    expect(Number(dates.decisions)).toBe(Number(dates.orphans));
    const [children] = await query<{ enrolled: string; adults_with_education: string }>(
      db,
      `
      select count(*) filter (where enrolment_status is not null) as enrolled,
             count(*) filter (where literacy_level is not null and age(returned_on, date_of_birth) >= interval '18 years') as adults_with_education
        from returnee`,
    );
    expect(Number(children.enrolled)).toBeGreaterThan(0);
    expect(Number(children.adults_with_education)).toBe(0);
  });

  it('plants duplicates: families registered again by the other registering agency, in another spelling, with keys', async () => {
    const pairs = first.plantedDuplicates;
    // 3% of families by default; a family is 1-5 people.
    expect(pairs.length).toBeGreaterThan(0);
    expect(pairs.length).toBeLessThan(RETURNEES * 0.2);
    const rows = await query<{ same_agency: boolean; same_spelling: boolean; same_country: boolean; guardian_ok: boolean }>(
      dbs[0],
      `
      select o.registering_agency_id = d.registering_agency_id as same_agency,
             o.given_name = d.given_name and o.family_name = d.family_name and o.date_of_birth = d.date_of_birth as same_spelling,
             o.country = d.country as same_country,
             (o.guardian_returnee_id is null) = (d.guardian_returnee_id is null) as guardian_ok
        from jsonb_to_recordset(?::jsonb) p(original uuid, duplicate uuid)
        join returnee o on o.id = p.original join returnee d on d.id = p.duplicate`,
      [JSON.stringify(pairs.map(([original, duplicate]) => ({ original, duplicate })))],
    );
    expect(rows).toHaveLength(pairs.length);
    for (const r of rows) expect(r).toMatchObject({ same_agency: false, same_country: true, guardian_ok: true });
    expect(rows.filter((r) => r.same_spelling).length).toBeLessThan(rows.length);
    const [keys] = await query<{ missing: string }>(
      dbs[0],
      `
      select count(*) as missing from returnee r left join returnee_name_key k on k.returnee_id = r.id where k.key_version is distinct from ? or k.name_key is null`,
      [NAME_KEY_VERSION],
    );
    expect(Number(keys.missing)).toBe(0);
  });

  it('refuses to seed the same database twice', async () => {
    await expect(seed(dbs[0], { returnees: 5, seed: 1 })).rejects.toThrow(/already seeded/);
    const [n] = await query<{ n: string }>(dbs[0], 'select count(*) as n from returnee');
    expect(Number(n.n)).toBe(RETURNEES);
  });

  it('writes exactly one CREATE audit event per seeded returnee, through one request id', async () => {
    const [events] = await query<{ total: string; requests: string; unmatched: string }>(
      dbs[0],
      `
      select count(*) as total, count(distinct request_id) as requests,
             count(*) filter (where not exists (select 1 from returnee r where r.id::text = e.entity_id and r.id = e.returnee_id)) as unmatched
        from audit_event e where e.action = 'CREATE' and e.entity_type = 'Returnee'`,
    );
    expect(Number(events.total)).toBe(RETURNEES);
    expect(Number(events.unmatched)).toBe(0);
    expect(Number(events.requests)).toBe(1);
    const [all] = await query<{ n: string }>(
      dbs[0],
      `select count(*) as n from audit_event where action = 'CREATE' and outcome = 'SUCCESS'`,
    );
    expect(Number(all.n)).toBe(
      first.agencies +
        first.staff +
        RETURNEES +
        first.healthAssessments +
        first.caseAccesses +
        first.educationProgressNotes +
        first.civilDocuments +
        first.socialSupportMeasures +
        first.supportSessions +
        first.referrals +
        first.consents,
    );
  });

  it('links every seeded case access to an accepted referral, and gives most returnees a consent', async () => {
    const [row] = await query<{ unlinked: string; accepted: string; consents: string; minorsBySelf: string }>(
      dbs[0],
      `
      select (select count(*) from case_access where referral_id is null) as unlinked,
             (select count(*) from referral where status = 'ACCEPTED') as accepted,
             (select count(distinct returnee_id) from consent) as consents,
             (select count(*) from consent c join returnee r on r.id = c.returnee_id
               where c.given_by = 'SELF' and r.date_of_birth > date '2026-11-01' - interval '18 years') as "minorsBySelf"`,
    );
    expect(Number(row.unlinked)).toBe(0);
    expect(Number(row.accepted)).toBe(first.caseAccesses);
    expect(Number(row.consents)).toBeGreaterThan(RETURNEES * 0.8);
    expect(Number(row.minorsBySelf)).toBe(0);
  });

  it('is deterministic: the same seed gives identical records in another database', async () => {
    // The second database already has an ADMINISTRATION agency (like the bootstrap admin's),
    // and a first attempt fails on a taken username: neither may change the seeded records.
    const db = await freshDatabase();
    await query(
      db,
      `insert into agency (id, code, name, sector, country, created_at)
                     values ('00000000-0000-4000-8000-000000000001', 'bootstrap', 'Bootstrap', 'ADMINISTRATION', 'KZ', now())`,
    );
    await query(
      db,
      `insert into staff_member (id, username, display_name, agency_id, roles, active, created_at)
                     values ('00000000-0000-4000-8000-000000000002', 'uz-oversight-auditor', 'Taken', '00000000-0000-4000-8000-000000000001', '{ADMIN}', true, now())`,
    );
    await expect(seed(db)).rejects.toThrow();
    const [left] = await query<{ agencies: string; events: string }>(
      db,
      `
      select (select count(*) from agency) as agencies, (select count(*) from audit_event) as events`,
    );
    expect({ agencies: Number(left.agencies), events: Number(left.events) }).toEqual({ agencies: 1, events: 0 });
    await query(db, `delete from staff_member where username = 'uz-oversight-auditor'`);

    const second = await seed(db);
    expect(second).toEqual(first);
    const sample = `select id, case_number, given_name, family_name, other_names from returnee order by case_number limit 1`;
    expect(await query(db, sample)).toEqual(await query(dbs[0], sample));
    const digest = `select md5(string_agg(r::text, '' order by id)) as md5 from returnee r`;
    expect(await query(db, digest)).toEqual(await query(dbs[0], digest));
    const admins = await query<{ code: string }>(db, `select code from agency where sector = 'ADMINISTRATION' order by code`);
    expect(admins.map((a) => a.code)).toEqual(['bootstrap', 'hub-operations']);
  });
});

describe('Prng', () => {
  it('repeats for a seed, differs between seeds and streams, and makes version-4 UUIDs', () => {
    const a = new Prng(7, 'x');
    const b = new Prng(7, 'x');
    const seqA = Array.from({ length: 5 }, () => a.uint32());
    expect(Array.from({ length: 5 }, () => b.uint32())).toEqual(seqA);
    expect(new Prng(8, 'x').uint32()).not.toBe(seqA[0]);
    expect(new Prng(7, 'y').uint32()).not.toBe(seqA[0]);
    const ids = new Set(Array.from({ length: 10_000 }, () => a.uuid()));
    expect(ids.size).toBe(10_000);
    for (const id of [...ids].slice(0, 100)) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
