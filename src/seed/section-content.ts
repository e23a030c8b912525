import type { Country } from './names';
import type { Prng } from './prng';

/**
 * Wording and places for the demo sections: what education officers, social workers and
 * rehabilitation-centre staff typically record about returnees. Document numbers follow
 * each country's format but start with 0 after the series, which no authority issues.
 */
export const STATE_LANGUAGE: Record<Country, string> = { KZ: 'Kazakh', KG: 'Kyrgyz', TJ: 'Tajik', UZ: 'Uzbek' };

/** The rehabilitation centre of each country's demo NGO. */
export const CENTRE: Record<Country, string> = {
  KZ: 'Aqtobe rehabilitation centre',
  KG: 'Osh family reintegration centre',
  TJ: 'Khujand women and children support centre',
  UZ: 'Ferghana family support centre',
};

export const SPECIAL_CLASSES = [
  'Russian as a second language',
  'Catch-up mathematics',
  'Speech therapy',
  'Art therapy group',
  'After-school tutoring',
] as const;

export const PROGRESS_NOTES = [
  'Attends regularly; recognises all letters of the alphabet',
  'Reads short words; needs help with writing',
  'Joined group games; shy with teachers at first',
  'Catching up in mathematics; counts to 100 confidently',
  'Reads simple texts aloud; handwriting improving',
  'Ready to move from the literacy class to a regular grade',
  'Good progress in the state language; speaks it with classmates',
  'Frequent absences in winter; family informed, attendance improved',
] as const;

export const NOTES_ON_LOSS = [
  'Lost abroad; no copy available',
  'Confiscated in the camp; identity to be confirmed',
  'Never issued: born abroad, birth not registered',
] as const;

export function documentNumber(rng: Prng, country: Country, type: string): string {
  const digits = (n: number) => `0${Array.from({ length: n - 1 }, () => rng.int(0, 9)).join('')}`;
  if (type === 'BIRTH_CERTIFICATE') return `I-${rng.pick(['АЖ', 'БК', 'ЕН', 'СА'])} ${digits(6)}`;
  const prefix: Record<Country, [passport: string, idCard: string]> = { KZ: ['N', ''], KG: ['AC', 'ID'], TJ: ['A', 'B'], UZ: ['FA', 'AD'] };
  return type === 'PASSPORT' ? `${prefix[country][0]}${digits(8)}` : `${prefix[country][1]}${digits(9)}`;
}

export function issuingAuthority(country: Country, region: string, type: string): string {
  if (type === 'BIRTH_CERTIFICATE') return `Civil registry office, ${region}`;
  const bodies: Record<Country, string> = {
    KZ: 'Migration Service of the Police Department',
    KG: 'State Registration Service',
    TJ: 'Passport and Registration Service',
    UZ: 'Migration and Citizenship Department',
  };
  return `${bodies[country]}, ${region}`;
}

export const BENEFITS = [
  'One-time reintegration allowance',
  'Targeted social assistance (monthly)',
  'Child benefit for the children in her care',
  'Free school meals and winter clothing for the children',
] as const;

/** [description, provider] of job placements. */
export const JOBS: readonly [string, string][] = [
  ['Job placement as a seamstress', 'Garment workshop'],
  ['Job placement as a kitchen assistant', 'School canteen'],
  ['Job placement as a cleaner', 'District polyclinic'],
  ['Job placement as a shop assistant', 'Grocery cooperative'],
  ['Self-employment grant for home baking', 'Employment centre'],
];

export const COURSES = [
  'Sewing and tailoring course',
  'Hairdressing course',
  'Computer literacy course',
  'Cooking and pastry course',
  'Accounting basics course',
] as const;

export const HOUSING = [
  ['Rent subsidy for a two-room flat', 'Local administration'],
  ['Place in a social housing building', 'City housing department'],
  ['Repair of the family house', 'Local administration'],
] as const;

export const STAY_NOTES = [
  'Individual work with a psychologist, theologian and social worker; adapted well to the routine',
  'Several weeks in the centre with her children; attended all scheduled sessions',
  'Initially withdrawn; engaged more from the third week',
] as const;

export const SESSION_NOTES: Record<'COUNSELLING' | 'GROUP_SESSION' | 'RELIGIOUS_COUNSELLING' | 'FAMILY_MEDIATION', readonly string[]> = {
  COUNSELLING: [
    'Follow-up counselling; sleep and mood improving',
    'Discussed worries about stigma at work',
    'Play therapy; calmer, draws less violent scenes',
  ],
  GROUP_SESSION: ["Mothers' support group", 'Group session on parenting after trauma', "Children's art group"],
  RELIGIOUS_COUNSELLING: [
    'Conversation with a theologian about traditional religious practice',
    'Follow-up with the theologian; asked good questions',
  ],
  FAMILY_MEDIATION: ['Mediation with her parents about living together again', "Meeting with the husband's family about the children"],
};

export const RISK_NOTES = [
  'Reports harassment by neighbours; safety plan agreed with the district police inspector',
  'Signs of depression; referred to the psychiatrist of the polyclinic',
  'Family conflict over housing; mediation offered',
] as const;
