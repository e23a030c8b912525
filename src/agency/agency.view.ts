import type { Agency } from './agency.entity';
import type { AgencyType } from './agency.types';

/** The GraphQL view of an agency row: every module that shows an agency (staff, consents, referrals, accesses) maps it here. */
export function agencyView(a: Agency): AgencyType {
  return { id: a.id, code: a.code, name: a.name, sector: a.sector, country: a.country, createdAt: a.createdAt };
}
