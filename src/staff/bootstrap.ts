import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { Agency } from '../agency/agency.entity';
import type { AuditRecorder } from '../trail/audit-recorder';
import { StaffMember } from './staff.entity';

export const BOOTSTRAP_AGENCY_CODE = 'hub-administration';

/**
 * Held (transaction-scoped) while the bootstrap or `hub seed` decides which ADMINISTRATION
 * agency to create: a hub starting while `hub seed` runs on a fresh database (the README's
 * first steps in any order) would otherwise both create `hub-administration`, and one fail.
 */
export const ADMINISTRATION_LOCK_KEY = 7_305_120_012;

/**
 * First start: make sure the named ADMIN exists in an ADMINISTRATION agency, so an operator
 * can sign in and onboard agencies. Idempotent; concurrent hub processes race safely because
 * the unique constraints decide and the loser just finds the rows.
 */
export async function ensureBootstrapAdmin(em: EntityManager, recorder: AuditRecorder, username: string, country = 'KZ'): Promise<void> {
  const existing = await em.findOne(StaffMember, { username });
  if (existing) return;
  try {
    await em.transactional(async (tx) => {
      await tx.getConnection().execute('select pg_advisory_xact_lock(?)', [ADMINISTRATION_LOCK_KEY], 'all', tx.getTransactionContext());
      let agency = await tx.findOne(Agency, { code: BOOTSTRAP_AGENCY_CODE });
      const created: { entityType: string; entityId: string; fields: string[] }[] = [];
      if (!agency) {
        agency = new Agency(BOOTSTRAP_AGENCY_CODE, 'Hub administration', 'ADMINISTRATION', country);
        tx.persist(agency);
        created.push({ entityType: 'Agency', entityId: agency.id, fields: ['code', 'name', 'sector', 'country'] });
      }
      const admin = new StaffMember(username, 'Hub administrator', tx.getReference(Agency, agency.id, { wrapped: true }), ['ADMIN']);
      tx.persist(admin);
      created.push({ entityType: 'StaffMember', entityId: admin.id, fields: ['username', 'displayName', 'agency', 'roles'] });
      await tx.flush();
      await recorder.inTransaction(
        tx,
        { requestId: randomUUID(), purpose: 'bootstrap administrator on first start' },
        created.map((c) => ({ action: 'CREATE' as const, ...c, outcome: 'SUCCESS' as const, operation: 'bootstrap' })),
      );
    });
  } catch (error) {
    if (!(await em.fork().findOne(StaffMember, { username }))) throw error;
  }
}
