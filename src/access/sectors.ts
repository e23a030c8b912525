import { POLICIES } from '../../policies';
import { ROLES, SECTORS, type Role, type Sector } from './policy';

/**
 * Facts about sectors that follow from their policy files (policies/*.policy.ts), so that adding
 * a sector is its policy file, its line in policies/index.ts and its name in SECTORS: nothing
 * elsewhere lists sectors again.
 */

/**
 * Sectors that work on cases (recordScope `case`): the ones a consent can name, since only they
 * read other sectors' sections under one. Oversight reads reference fields by country and
 * administration no records, so a consent has nothing to open for them.
 */
export const CASE_SECTORS: readonly Sector[] = SECTORS.filter((s) => POLICIES[s].recordScope === 'case');

/**
 * The roles a staff member of a `sector` agency may hold: those its policy gives anything to
 * (in the order of ROLES). A role the policy grants nothing would be an account that can do
 * nothing, or worse one that means something else elsewhere (an AUDITOR in a health agency).
 */
export function staffRolesOf(sector: Sector): readonly Role[] {
  const p = POLICIES[sector];
  const granted = new Set<Role>([...p.readRoles, ...p.writeRoles, ...p.grantRoles, ...p.consentRoles, ...p.adminRoles, ...p.auditRoles]);
  return ROLES.filter((r) => granted.has(r));
}
