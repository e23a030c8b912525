import type { Role, Sector } from './policy';

/** The signed-in staff member as the database knows them at the start of this request. */
export interface Actor {
  staffId: string;
  username: string;
  displayName: string;
  roles: Role[];
  agencyId: string;
  agencyCode: string;
  sector: Sector;
  country: string;
}
