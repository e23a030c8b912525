import type { CaseAgency } from './agencies';
import type { Row } from './bulk';
import type { Country, Name } from './names';
import { addDays, minDate, officeTimestamp, type Prng } from './prng';

/**
 * Planted duplicates: ground truth for the matcher (`npm run dedup:eval`) and realism for the
 * demo. A family the first agency registered is registered again, months later, by the
 * country's other registering agency (SOCIAL ↔ NGO), from what the family said and without
 * documents: names in another script or transliteration, often only the year of birth, or day
 * and month swapped; the children point at the second record of their mother, so a child is
 * registered twice by two agencies. Decisions come from a stream of their own, so the originals
 * are the same with or without duplicates (only later case numbers move on).
 */
export const DEFAULT_DUPLICATE_RATE = 0.03;

export type Spelling = 'CYRILLIC' | 'PASSPORT' | 'COMMON' | 'NATIONAL';

const BASE: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'yo',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
  ә: 'a',
  ғ: 'gh',
  қ: 'q',
  ң: 'ng',
  ө: 'o',
  ұ: 'u',
  ү: 'u',
  һ: 'h',
  і: 'i',
  ҳ: 'h',
  ҷ: 'j',
  ӣ: 'i',
  ӯ: 'u',
  ў: 'o',
};

/** Russian internal passports and ICAO 9303: how many older documents spell these names. */
const PASSPORT: Record<string, string> = {
  ...BASE,
  ё: 'e',
  й: 'i',
  ю: 'iu',
  я: 'ia',
  ъ: 'ie',
  ғ: 'g',
  қ: 'k',
  ң: 'n',
  ҳ: 'kh',
  ҷ: 'dzh',
  һ: 'kh',
  ў: 'u',
  ө: 'o',
  ү: 'u',
  ұ: 'u',
};

/** The country's own Latin alphabet (Kazakh 2021, Uzbek 1995, the Kyrgyz and Tajik usage on new documents). */
const NATIONAL: Record<Country, Record<string, string>> = {
  KZ: {
    ...BASE,
    ә: 'ä',
    ғ: 'ğ',
    ж: 'j',
    й: 'i',
    и: 'i',
    ң: 'ñ',
    ө: 'ö',
    ұ: 'ū',
    ү: 'ü',
    х: 'h',
    ч: 'ç',
    ш: 'ş',
    ы: 'y',
    і: 'ı',
    ю: 'iu',
    я: 'ia',
    ё: 'io',
  },
  UZ: { ...BASE, ж: 'j', х: 'x', ҳ: 'h', ғ: 'gʻ', ў: 'oʻ', қ: 'q' },
  KG: { ...BASE, ж: 'j', ң: 'ñ', ө: 'ö', ү: 'ü', ы: 'y' },
  TJ: { ...BASE, ҷ: 'j', ж: 'zh', х: 'kh', ҳ: 'h', қ: 'q', ғ: 'gh', ӣ: 'i', ӯ: 'u' },
};

function transliterate(cyrillic: string, table: Record<string, string>): string {
  let out = '';
  for (const ch of cyrillic.toLowerCase()) out += table[ch] ?? ch;
  return out.replace(/(^|[\s-])(\p{L})/gu, (_m, sep: string, first: string) => sep + first.toUpperCase());
}

export function spell(name: Name, spelling: Spelling, country: Country): string {
  switch (spelling) {
    case 'CYRILLIC':
      return name.cyrillic;
    case 'PASSPORT':
      return transliterate(name.cyrillic, PASSPORT);
    case 'COMMON':
      return transliterate(name.cyrillic, BASE);
    case 'NATIONAL':
      return transliterate(name.cyrillic, NATIONAL[country]);
  }
}

/** What the second agency wrote as the date of birth. */
export function dateVariant(rng: Prng, dateOfBirth: string, estimated: boolean): { date: string; estimated: boolean } {
  const year = dateOfBirth.slice(0, 4);
  const [month, day] = [dateOfBirth.slice(5, 7), dateOfBirth.slice(8, 10)];
  const roll = rng.next();
  if (roll < 0.45) return { date: dateOfBirth, estimated };
  if (roll < 0.8) return { date: `${year}-01-01`, estimated: true }; // "about 1994"
  if (roll < 0.9 && Number(day) <= 12 && day !== month) return { date: `${year}-${day}-${month}`, estimated: false };
  return { date: `${Number(year) + (rng.chance(0.5) ? 1 : -1)}-01-01`, estimated: true }; // a year off, told as an estimate
}

export interface Original {
  row: Row;
  given: Name;
  family: Name;
  /** The father's name, when the record has a patronymic. */
  father?: Name;
  adult: boolean;
}

/**
 * The second registration of `o`: same person, another agency, the names as the family told
 * them in `spelling`, a date as the second agency understood it, fewer details.
 */
export function duplicateRow(
  rng: Prng,
  o: Original,
  spelling: Spelling,
  country: Country,
  by: {
    id: string;
    agencyId: string;
    caseNumber: string;
    guardianId: string | null;
    registeredOn: string;
    referenceDate: string;
    alone: boolean;
  },
): Row {
  const row = o.row;
  const dob = dateVariant(rng, row.date_of_birth as string, row.date_of_birth_estimated as boolean);
  let familyName = spell(o.family, spelling, country);
  // On new Kazakh and Kyrgyz documents a woman may carry her father's name + qyzy/kyzy as surname
  // (only when no child of hers is in the record: theirs would not match hers).
  if (by.alone && o.father && (country === 'KZ' || country === 'KG') && spelling === 'NATIONAL' && rng.chance(0.5)) {
    familyName = `${spell(o.father, spelling, country)}${country === 'KZ' ? 'qyzy' : 'kyzy'}`;
  }
  const registeredOn = minDate(addDays(by.registeredOn, rng.int(20, 400)), addDays(by.referenceDate, -1));
  const createdAt = officeTimestamp(rng, registeredOn);
  return {
    ...row,
    id: by.id,
    version: 1,
    registering_agency_id: by.agencyId,
    case_number: by.caseNumber,
    created_at: createdAt,
    updated_at: createdAt,
    given_name: spell(o.given, spelling, country),
    family_name: familyName,
    patronymic: rng.chance(0.4) ? row.patronymic : null,
    other_names: [],
    date_of_birth: dob.date,
    date_of_birth_estimated: dob.estimated,
    place_of_birth: rng.chance(0.5) ? row.place_of_birth : null,
    address: rng.chance(0.5) ? row.address : null,
    phone: rng.chance(0.5) ? row.phone : null,
    guardian_returnee_id: by.guardianId,
    follow_up_needed: null,
    fit_for_school: null,
    accommodations_needed: null,
    literacy_level: null,
    languages: null,
    special_classes: null,
    enrolment_status: null,
    school: null,
    grade: null,
    engagement_status: null,
  };
}

export interface Rows {
  returnees: Row[];
  caseAccesses: Row[];
  duplicates: [string, string][];
}

/**
 * The family `members` (mother first) registered again by `second`, each with the health
 * referral every record gets; the pairs go to `rows.duplicates`.
 */
export function registerFamilyAgain(
  rows: Rows,
  members: readonly Original[],
  ctx: {
    rng: Prng;
    ids: Prng;
    country: Country;
    alone: boolean;
    registeredOn: string;
    referenceDate: string;
    second: CaseAgency;
    health: CaseAgency;
    caseNumber: () => string;
  },
): void {
  const spelling = ctx.rng.pick(['CYRILLIC', 'PASSPORT', 'COMMON', 'NATIONAL'] as const);
  let motherCopy: string | null = null;
  for (const m of members) {
    const id = ctx.ids.uuid();
    const row = duplicateRow(ctx.rng, m, spelling, ctx.country, {
      id,
      agencyId: ctx.second.id,
      caseNumber: ctx.caseNumber(),
      guardianId: m.row.guardian_returnee_id ? motherCopy : null,
      registeredOn: ctx.registeredOn,
      referenceDate: ctx.referenceDate,
      alone: ctx.alone,
    });
    if (m.adult) motherCopy = id;
    rows.returnees.push(row);
    rows.duplicates.push([m.row.id as string, id]);
    rows.caseAccesses.push({
      id: ctx.ids.uuid(),
      returnee_id: id,
      agency_id: ctx.health.id,
      basis: 'REFERRAL',
      cross_border: false,
      reason: 'Referred for health screening after repatriation',
      granted_by_id: ctx.second.supervisorId,
      granted_at: row.created_at,
    });
  }
}
