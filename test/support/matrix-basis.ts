import type { Role, SectorPolicy } from '../../src/access/policy';
import { Section } from '../../src/access/sections';
import type { BasisKind } from '../../src/trail/audit-basis';

/** The state of a fixture record the generated read cases run on (test/support/matrix.ts, READ_RECORDS). */
export interface RecordState {
  minor: boolean;
  consent: { sectors: string[]; sections: string[] } | null;
  /**
   * A data-sharing agreement of the record's registering agency with the reader's agency,
   * covering every section: in force, or ended before today. None when absent.
   */
  agreement?: 'active' | 'expired';
  /** A break-glass window of the reader on the record: open now, or expired (src/break-glass/). */
  window?: 'open' | 'expired';
}

/**
 * Why `section` is shown to this sector on `record` (the basis its READ event must name), or
 * null when it is not shown, from the policy file alone: its own sections; a shared one under
 * the policy's agreement rule (`agreements`: an agreement and a consent, or either), a consent,
 * or the legal duty it names for minors.
 */
export function expectedBasis(policy: SectorPolicy, record: RecordState, section: Section, role?: Role): BasisKind | null {
  if (section === Section.REFERENCE) return 'OWN_SECTOR';
  const access = policy.sections[section];
  if (access === 'write') return 'OWN_SECTOR';
  if (access !== 'read') return null;
  const consented = !!record.consent?.sectors.includes(policy.sector) && record.consent.sections.includes(section);
  const agreed = record.agreement === 'active';
  const rule = policy.agreements?.[section];
  if (rule?.consent === 'also' && consented && agreed) return 'AGREEMENT';
  if (rule?.consent !== 'also' && consented) return 'CONSENT';
  if (rule?.consent === 'instead' && agreed) return 'AGREEMENT';
  if (record.minor && policy.minorsWithoutConsent?.sections.includes(section)) return 'LEGAL_DUTY';
  // Last: an open break-glass window of a role the policy's `breakGlass` names, for the sections it names.
  const glass = policy.breakGlass;
  if (record.window === 'open' && role && glass?.roles.includes(role) && glass.sections.includes(section)) return 'BREAK_GLASS';
  return null;
}
