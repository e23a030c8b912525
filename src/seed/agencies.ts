import type { Role, Sector } from '../access/policy';
import { COUNTRIES, familyNameBase, familyNameFor, givenName, type Country } from './names';
import { Prng } from './prng';

/**
 * The demo agencies and their staff. Codes and usernames are fixed (documented in the
 * SeedResult and the CLI output) so demo scripts and benchmarks can sign in as a known
 * user; only display names and ids come from the seed.
 *
 * Usernames: `<country>-<sector>-<role>`, lower-case, e.g. `kz-health-caseworker`,
 * `kg-ngo-supervisor`, `tj-oversight-auditor`.
 */
export type CaseSector = 'HEALTH' | 'EDUCATION' | 'SOCIAL' | 'NGO';
export const CASE_SECTORS: readonly CaseSector[] = ['HEALTH', 'EDUCATION', 'SOCIAL', 'NGO'];

/** Region (for the code) and name of each country's case-working agencies. */
const CASE_AGENCIES: Record<Country, Record<CaseSector, [region: string, name: string]>> = {
  KZ: {
    HEALTH: ['aqtobe', 'Aqtobe Regional Polyclinic No. 2'],
    EDUCATION: ['qaraghandy', 'Qaraghandy Regional Department of Education'],
    SOCIAL: ['almaty', 'Almaty Department of Employment and Social Programmes'],
    NGO: ['aqtobe', 'Aqtobe Rehabilitation Centre (NGO)'],
  },
  KG: {
    HEALTH: ['bishkek', 'Bishkek Family Medicine Centre No. 8'],
    EDUCATION: ['osh', 'Osh City Department of Education'],
    SOCIAL: ['bishkek', 'Bishkek Department of Social Development'],
    NGO: ['osh', 'Osh Family Reintegration Centre (NGO)'],
  },
  TJ: {
    HEALTH: ['dushanbe', 'Dushanbe City Health Centre No. 3'],
    EDUCATION: ['khatlon', 'Khatlon Regional Department of Education'],
    SOCIAL: ['dushanbe', 'Dushanbe Department of Labour and Social Protection'],
    NGO: ['sughd', 'Khujand Women and Children Support Centre (NGO)'],
  },
  UZ: {
    HEALTH: ['tashkent', 'Tashkent City Family Polyclinic No. 17'],
    EDUCATION: ['andijan', 'Andijan Regional Department of Public Education'],
    SOCIAL: ['tashkent', 'Tashkent Department of Social Protection'],
    NGO: ['ferghana', 'Ferghana Family Support Centre (NGO)'],
  },
};

const OVERSIGHT_NAMES: Record<Country, string> = {
  KZ: 'Commissioner for Human Rights, Kazakhstan',
  KG: 'Ombudsman (Akyikatchy) of the Kyrgyz Republic',
  TJ: 'Commissioner for Human Rights, Tajikistan',
  UZ: 'Ombudsman of the Oliy Majlis for Human Rights, Uzbekistan',
};

/** The code whose presence means "this database already holds the demo data". */
export const SENTINEL_AGENCY_CODE = 'kz-aqtobe-health';

// Fixed, so that two runs of the same seed produce identical rows (no wall-clock time).
const ONBOARDED_AT = '2018-12-20T05:00:00Z';

// A type alias, not an interface, so it is assignable to the bulk inserter's `Row`.
export type AgencyRow = {
  id: string;
  code: string;
  name: string;
  sector: Sector;
  country: Country;
  created_at: string;
};

export type StaffRow = {
  id: string;
  username: string;
  display_name: string;
  agency_id: string;
  roles: Role[];
  active: boolean;
  created_at: string;
};

export interface DemoUser {
  username: string;
  sector: string;
  country: string;
  roles: string[];
}

/** A case-working agency and the two people the generator attributes work to. */
export interface CaseAgency {
  id: string;
  caseworkerId: string;
  supervisorId: string;
}

export interface AgencyPlan {
  agencies: AgencyRow[];
  staff: StaffRow[];
  demoUsers: DemoUser[];
  byCountry: Record<Country, Record<CaseSector, CaseAgency>>;
}

/**
 * Builds (without writing) the agencies and staff of a seed. `adminCode` is
 * `hub-administration`, or `hub-operations` when the database already has an
 * ADMINISTRATION agency (the bootstrap admin's), so the demo never touches it.
 */
export function planAgencies(seed: number, adminCode: string): AgencyPlan {
  const rng = new Prng(seed, 'agencies');
  const agencies: AgencyRow[] = [];
  const staff: StaffRow[] = [];
  const demoUsers: DemoUser[] = [];

  const addAgency = (code: string, name: string, sector: Sector, country: Country): string => {
    const id = rng.uuid();
    agencies.push({ id, code, name, sector, country, created_at: ONBOARDED_AT });
    return id;
  };
  const addStaff = (agencyId: string, country: Country, sector: Sector, role: Role): string => {
    const id = rng.uuid();
    const username = `${country}-${sector}-${role}`.toLowerCase();
    const sex = rng.chance(0.7) ? 'FEMALE' : 'MALE';
    const display = `${givenName(rng, country, sex).latin} ${familyNameFor(familyNameBase(rng, country), sex).latin}`;
    staff.push({ id, username, display_name: display, agency_id: agencyId, roles: [role], active: true, created_at: ONBOARDED_AT });
    demoUsers.push({ username, sector, country, roles: [role] });
    return id;
  };

  const byCountry = {} as Record<Country, Record<CaseSector, CaseAgency>>;
  for (const country of COUNTRIES) {
    const perSector = {} as Record<CaseSector, CaseAgency>;
    for (const sector of CASE_SECTORS) {
      const [region, name] = CASE_AGENCIES[country][sector];
      const id = addAgency(`${country.toLowerCase()}-${region}-${sector.toLowerCase()}`, name, sector, country);
      perSector[sector] = {
        id,
        caseworkerId: addStaff(id, country, sector, 'CASEWORKER'),
        supervisorId: addStaff(id, country, sector, 'SUPERVISOR'),
      };
    }
    byCountry[country] = perSector;
    const oversightId = addAgency(`${country.toLowerCase()}-oversight`, OVERSIGHT_NAMES[country], 'OVERSIGHT', country);
    addStaff(oversightId, country, 'OVERSIGHT', 'AUDITOR');
  }
  // No staff here: operators come from the bootstrap admin; the agency exists so the demo
  // shows every sector the policies know.
  const adminName = adminCode === 'hub-administration' ? 'Reintegration Hub Administration' : 'Reintegration Hub Operations';
  addAgency(adminCode, adminName, 'ADMINISTRATION', 'KZ');

  return { agencies, staff, demoUsers, byCountry };
}
