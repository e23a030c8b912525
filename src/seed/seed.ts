import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditEntry, AuditRecorder, AuditScope } from '../trail/audit-recorder';
import { planAgencies, SENTINEL_AGENCY_CODE } from './agencies';
import { ADMINISTRATION_LOCK_KEY } from '../staff/bootstrap';
import {
  AGENCY,
  CONSENT,
  REFERRAL,
  bulkInsert,
  CASE_ACCESS,
  fieldsSet,
  RETURNEE,
  SECTION_TABLES,
  STAFF,
  type Row,
  type TableSpec,
} from './bulk';
import { writeNameKeys } from '../dedup/name-key-store';
import { ConsentGenerator } from './consents';
import { DEFAULT_DUPLICATE_RATE } from './duplicates';
import { Prng } from './prng';
import { ReturneeGenerator } from './returnees';

/**
 * `hub seed`: fills a database with synthetic, deterministic demo data — agencies of every
 * sector in Kazakhstan, Kyrgyzstan, Tajikistan and Uzbekistan, their staff (the demo users),
 * returnee families with case accesses, health assessments and the other sectors' sections
 * (education, civil documents, social support, psychosocial support). Also the data set of the
 * benchmarks, hence bulk inserts: 10,000 returnees take a couple of seconds.
 *
 * Everything happens in one transaction, and every created row gets its CREATE audit event
 * through the audit recorder in that same transaction: a failed seed leaves nothing behind,
 * and a seeded database's audit trail accounts for every record in it.
 */
export interface SeedOptions {
  returnees: number;
  seed: number;
  /** Share of families registered twice (src/seed/duplicates.ts); DEFAULT_DUPLICATE_RATE when absent. */
  duplicateRate?: number;
}

export interface SeedResult {
  agencies: number;
  staff: number;
  returnees: number;
  healthAssessments: number;
  caseAccesses: number;
  referrals: number;
  consents: number;
  educationProgressNotes: number;
  civilDocuments: number;
  socialSupportMeasures: number;
  supportSessions: number;
  /** Ground truth for the matcher: [first registration, second registration] (both counted in `returnees`). */
  plantedDuplicates: [string, string][];
  demoUsers: { username: string; sector: string; country: string; roles: string[] }[];
}

/** Returnees per chunk: big enough to amortise round trips, small enough to keep memory flat at 10^6. */
const CHUNK = 2_000;
const MAX_RETURNEES = 10_000_000;
const PURPOSE = 'demo data seed';
const OPERATION = 'seed';

export async function seedDatabase(em: EntityManager, recorder: AuditRecorder, opts: SeedOptions): Promise<SeedResult> {
  if (!Number.isSafeInteger(opts.returnees) || opts.returnees < 0 || opts.returnees > MAX_RETURNEES) {
    throw new Error(`returnees must be an integer between 0 and ${MAX_RETURNEES}, got ${opts.returnees}`);
  }
  if (!Number.isSafeInteger(opts.seed)) throw new Error(`seed must be an integer, got ${opts.seed}`);
  const duplicateRate = opts.duplicateRate ?? DEFAULT_DUPLICATE_RATE;
  if (!(duplicateRate >= 0 && duplicateRate <= 1)) throw new Error(`duplicateRate must be between 0 and 1, got ${duplicateRate}`);
  const seed = opts.seed >>> 0;

  return em.transactional(async (tx) => {
    const conn = tx.getConnection();
    const ctx = tx.getTransactionContext();
    const sentinel = await conn.execute<{ id: string }[]>('select id from agency where code = ?', [SENTINEL_AGENCY_CODE], 'all', ctx);
    if (sentinel.length > 0) {
      throw new Error(`database already seeded: agency ${SENTINEL_AGENCY_CODE} exists; seed a fresh database instead`);
    }
    // The bootstrap admin's ADMINISTRATION agency stays untouched; ours gets another code
    // (decided under the bootstrap's lock: a hub may be starting on this database right now).
    await conn.execute('select pg_advisory_xact_lock(?)', [ADMINISTRATION_LOCK_KEY], 'all', ctx);
    const admin = await conn.execute<{ id: string }[]>(`select id from agency where sector = 'ADMINISTRATION' limit 1`, [], 'all', ctx);
    const plan = planAgencies(seed, admin.length > 0 ? 'hub-operations' : 'hub-administration');

    // One request id for the whole run, so the audit trail groups the seed's events.
    const scope: AuditScope = { requestId: new Prng(seed, 'request').uuid(), purpose: PURPOSE };
    const write = async (spec: TableSpec, rows: readonly Row[], returneeColumn?: string): Promise<AuditEntry[]> => {
      await bulkInsert(tx, spec, rows);
      return rows.map((row) => ({
        action: 'CREATE',
        entityType: spec.entityType,
        entityId: row.id as string,
        returneeId: returneeColumn ? (row[returneeColumn] as string) : undefined,
        fields: fieldsSet(spec, row),
        outcome: 'SUCCESS',
        operation: OPERATION,
      }));
    };

    await recorder.inTransaction(tx, scope, [...(await write(AGENCY, plan.agencies)), ...(await write(STAFF, plan.staff))]);

    const generator = new ReturneeGenerator(seed, plan, await lastCaseSequences(tx), duplicateRate);
    const consents = new ConsentGenerator(seed, plan);
    const result: SeedResult = {
      agencies: plan.agencies.length,
      staff: plan.staff.length,
      returnees: 0,
      healthAssessments: 0,
      caseAccesses: 0,
      referrals: 0,
      consents: 0,
      educationProgressNotes: 0,
      civilDocuments: 0,
      socialSupportMeasures: 0,
      supportSessions: 0,
      plantedDuplicates: [],
      demoUsers: plan.demoUsers,
    };
    for (const batch of generator.batches(opts.returnees, CHUNK)) {
      // Returnees first: assessments and case accesses reference them.
      const links = consents.generate(batch.returnees, batch.caseAccesses);
      const entries = [
        ...(await write(RETURNEE, batch.returnees, 'id')),
        ...(await write(SECTION_TABLES.healthAssessments, batch.healthAssessments, 'returnee_id')),
        ...(await write(REFERRAL, links.referrals, 'returnee_id')),
        ...(await write(CASE_ACCESS, batch.caseAccesses, 'returnee_id')),
        ...(await write(CONSENT, links.consents, 'returnee_id')),
        ...(await write(SECTION_TABLES.educationProgressNotes, batch.educationProgressNotes, 'returnee_id')),
        ...(await write(SECTION_TABLES.civilDocuments, batch.civilDocuments, 'returnee_id')),
        ...(await write(SECTION_TABLES.socialSupport, batch.socialSupportMeasures, 'returnee_id')),
        ...(await write(SECTION_TABLES.supportSessions, batch.supportSessions, 'returnee_id')),
      ];
      // Name keys in the same transaction (derived data, not audited: src/dedup/name-key-store.ts).
      await writeNameKeys(
        tx,
        batch.returnees.map((r) => ({
          id: r.id as string,
          givenName: r.given_name as string,
          familyName: r.family_name as string,
          patronymic: r.patronymic as string | null,
          otherNames: r.other_names as string[],
        })),
      );
      await recorder.inTransaction(tx, scope, entries);
      result.plantedDuplicates.push(...batch.duplicates);
      result.returnees += batch.returnees.length;
      result.healthAssessments += batch.healthAssessments.length;
      result.caseAccesses += batch.caseAccesses.length;
      result.referrals += links.referrals.length;
      result.consents += links.consents.length;
      result.educationProgressNotes += batch.educationProgressNotes.length;
      result.civilDocuments += batch.civilDocuments.length;
      result.socialSupportMeasures += batch.socialSupportMeasures.length;
      result.supportSessions += batch.supportSessions.length;
    }
    return result;
  });
}

/**
 * The highest sequence per case-number prefix (`KZ-2019`) already in the database, so demo
 * case numbers never collide with records registered before the seed. On an empty database
 * this is empty and the case numbers depend on the seed alone.
 */
async function lastCaseSequences(tx: EntityManager): Promise<Map<string, number>> {
  const rows = await tx.getConnection().execute<{ prefix: string; last: string }[]>(
    `select left(case_number, 7) as prefix, max(right(case_number, 6)) as last
       from returnee where case_number ~ '^[A-Z]{2}-[0-9]{4}-[0-9]{6}$' group by 1`,
    [],
    'all',
    tx.getTransactionContext(),
  );
  return new Map(rows.map((r) => [r.prefix, Number(r.last)]));
}
