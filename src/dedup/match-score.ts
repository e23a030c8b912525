import { keysOfName, placeKey } from './name-keys';

/**
 * How alike two records are, as a score in [0, 1] and the reasons that produced it. Each reason
 * adds points (or takes them away) in the spirit of Fellegi–Sunter record linkage: agreement on
 * a field that rarely agrees by chance (a document number, an exact date of birth) weighs more
 * than agreement on a common one (sex); a clear disagreement weighs against. The points' sum goes
 * through a logistic curve, so 0.5 is "as likely as not". The weights were set against the
 * seed's planted duplicates (`npm run dedup:eval`, docs/matching.md).
 *
 * A reason names the fields it compared, never their values: every field it names is one the
 * caller may read on the candidate (candidate-search.ts leaves the others out).
 */
export const MATCH_REASON_CODES = [
  'GIVEN_NAME_EQUAL',
  'GIVEN_NAME_SIMILAR',
  'GIVEN_NAME_DIFFERS',
  'FAMILY_NAME_EQUAL',
  'FAMILY_NAME_SIMILAR',
  'FAMILY_NAME_DIFFERS',
  'NAME_ORDER_SWAPPED',
  'PATRONYMIC_EQUAL',
  'PATRONYMIC_DIFFERS',
  'DATE_OF_BIRTH_EQUAL',
  'DATE_OF_BIRTH_DAY_MONTH_SWAPPED',
  'DATE_OF_BIRTH_SAME_YEAR',
  'DATE_OF_BIRTH_NEAR_YEAR',
  'DATE_OF_BIRTH_DIFFERS',
  'SEX_EQUAL',
  'SEX_DIFFERS',
  'SAME_GUARDIAN',
  'GUARDIAN_NAME_SIMILAR',
  'GUARDIAN_DIFFERS',
  'PLACE_OF_BIRTH_SIMILAR',
  'DOCUMENT_NUMBER_EQUAL',
] as const;
export type MatchReasonCode = (typeof MATCH_REASON_CODES)[number];

export interface MatchReason {
  code: MatchReasonCode;
  weight: number;
  fields: string[];
}

/** What the person registering (or the record being checked) says. */
export interface MatchInput {
  givenName: string;
  familyName: string;
  patronymic?: string | null;
  otherNames?: readonly string[] | null;
  sex?: string | null;
  dateOfBirth?: string | null;
  dateOfBirthEstimated?: boolean | null;
  placeOfBirth?: string | null;
  guardianReturneeId?: string | null;
  guardianName?: string | null;
  /** The name key of the guardian record, when it is in the caller's scope. */
  guardianKey?: string | null;
  documentNumbers?: readonly string[] | null;
}

/** A candidate as the caller may see it: a field the caller may not read is undefined here. */
export type MatchCandidate = Partial<Omit<MatchInput, 'givenName' | 'familyName'>> & { givenName: string; familyName: string };

/** The sum of points at which the score is 0.5, and how fast it rises around it. */
const MIDPOINT = 6.5;
const SPREAD = 1.5;

/** pg_trgm's similarity: shared trigrams of the words (each padded "  w ") over all trigrams. */
export function trigramSimilarity(a: string, b: string): number {
  const ta = trigrams(a);
  const tb = trigrams(b);
  if (ta.size === 0 || tb.size === 0) return 0;
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared++;
  return shared / (ta.size + tb.size - shared);
}

function trigrams(text: string): Set<string> {
  const out = new Set<string>();
  for (const word of text.toLowerCase().split(/[^a-z0-9]+/)) {
    if (!word) continue;
    const padded = `  ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  }
  return out;
}

/** Best similarity of each key of `want` among `have`, averaged: 1 when every key is there. */
function keySimilarity(want: readonly string[], have: readonly string[]): number {
  if (want.length === 0 || have.length === 0) return 0;
  let sum = 0;
  for (const w of want) sum += Math.max(...have.map((h) => (h === w ? 1 : trigramSimilarity(w, h))));
  return sum / want.length;
}

function namePart(part: 'GIVEN_NAME' | 'FAMILY_NAME', sim: number, fields: string[]): MatchReason {
  if (sim >= 0.999) return { code: `${part}_EQUAL`, weight: 3, fields };
  if (sim >= 0.6) return { code: `${part}_SIMILAR`, weight: 2, fields };
  if (sim >= 0.4) return { code: `${part}_SIMILAR`, weight: 0.5, fields };
  // Another given name is strong evidence of another person (siblings share the rest).
  return { code: `${part}_DIFFERS`, weight: part === 'GIVEN_NAME' ? -3 : -2, fields };
}

/** One way the candidate's name may be read: which keys are its given name and which its family name. */
interface NameReading {
  given: string[];
  family: string[];
  fields: { given: string[]; family: string[] };
  swapped: boolean;
}

/**
 * The candidate's name as its fields say (a patronymic may stand for the family name: a Kazakh
 * surname can be the father's name + qyzy/uly, which another agency wrote as a patronymic), in
 * the other order (a clerk swapped the fields), and as each other spelling says ("Given Family"
 * or "Family Given": both orders).
 */
function readings(c: MatchCandidate): NameReading[] {
  const given = keysOfName(c.givenName, 'given');
  const family = [...keysOfName(c.familyName, 'family'), ...keysOfName(c.patronymic, 'patronymic')];
  const familyFields = c.patronymic ? ['familyName', 'patronymic'] : ['familyName'];
  const out: NameReading[] = [
    { given, family, fields: { given: ['givenName'], family: familyFields }, swapped: false },
    {
      given: keysOfName(c.familyName, 'given'),
      family: keysOfName(c.givenName, 'family'),
      fields: { given: ['familyName'], family: ['givenName'] },
      swapped: true,
    },
  ];
  for (const other of c.otherNames ?? []) {
    const words = other.split(/\s+/).filter((w) => w.length > 0);
    if (words.length < 2) continue;
    const fields = { given: ['otherNames'], family: ['otherNames'] };
    const [first, last] = [words[0], words.slice(1).join(' ')];
    const [head, tail] = [words.slice(0, -1).join(' '), words[words.length - 1]];
    out.push({ given: keysOfName(first, 'given'), family: keysOfName(last, 'family'), fields, swapped: false });
    out.push({ given: keysOfName(tail, 'given'), family: keysOfName(head, 'family'), fields, swapped: false });
  }
  return out;
}

function nameReasons(input: MatchInput, c: MatchCandidate): MatchReason[] {
  const given = keysOfName(input.givenName, 'given');
  const family = keysOfName(input.familyName, 'family');
  let best = { g: -1, f: -1, reading: undefined as NameReading | undefined };
  for (const reading of readings(c)) {
    const g = keySimilarity(given, reading.given);
    const f = keySimilarity(family, reading.family);
    // The fields as written win ties; a swapped reading must be clearly better to count.
    if (g + f > best.g + best.f + (reading.swapped ? 0.2 : 0)) best = { g, f, reading };
  }
  const reading = best.reading!;
  const reasons = [namePart('GIVEN_NAME', best.g, reading.fields.given), namePart('FAMILY_NAME', best.f, reading.fields.family)];
  if (reading.swapped) reasons.push({ code: 'NAME_ORDER_SWAPPED', weight: 0, fields: ['givenName', 'familyName'] });
  return reasons;
}

function patronymicReason(input: MatchInput, c: MatchCandidate): MatchReason[] {
  if (!input.patronymic || !c.patronymic) return [];
  const sim = keySimilarity(keysOfName(input.patronymic, 'patronymic'), keysOfName(c.patronymic, 'patronymic'));
  if (sim >= 0.6) return [{ code: 'PATRONYMIC_EQUAL', weight: sim >= 0.999 ? 1.5 : 1, fields: ['patronymic'] }];
  return [{ code: 'PATRONYMIC_DIFFERS', weight: -1.5, fields: ['patronymic'] }];
}

/** Only the year is known: flagged as estimated, or the 1 January placeholder. */
const yearOnly = (date: string, estimated?: boolean | null) => estimated === true || date.slice(5) === '01-01';

function dateReason(input: MatchInput, c: MatchCandidate): MatchReason[] {
  const a = input.dateOfBirth;
  const b = c.dateOfBirth;
  if (!a || !b) return [];
  const fields = c.dateOfBirthEstimated !== undefined ? ['dateOfBirth', 'dateOfBirthEstimated'] : ['dateOfBirth'];
  const rough = yearOnly(a, input.dateOfBirthEstimated) || yearOnly(b, c.dateOfBirthEstimated);
  const years = Math.abs(Number(a.slice(0, 4)) - Number(b.slice(0, 4)));
  const reason = (code: MatchReasonCode, weight: number): MatchReason[] => [{ code, weight, fields }];
  if (a === b) return rough ? reason('DATE_OF_BIRTH_SAME_YEAR', 2) : reason('DATE_OF_BIRTH_EQUAL', 4);
  if (years === 0 && rough) return reason('DATE_OF_BIRTH_SAME_YEAR', 2);
  if (years === 0 && a.slice(5, 7) === b.slice(8, 10) && a.slice(8, 10) === b.slice(5, 7))
    return reason('DATE_OF_BIRTH_DAY_MONTH_SWAPPED', 2.5);
  if (years <= 1 && rough) return reason('DATE_OF_BIRTH_NEAR_YEAR', 0.5);
  return reason('DATE_OF_BIRTH_DIFFERS', years === 0 ? -2.5 : -4);
}

function sexReason(input: MatchInput, c: MatchCandidate): MatchReason[] {
  if (!input.sex || !c.sex) return [];
  return input.sex === c.sex
    ? [{ code: 'SEX_EQUAL', weight: 0.5, fields: ['sex'] }]
    : [{ code: 'SEX_DIFFERS', weight: -4, fields: ['sex'] }];
}

function guardianReason(input: MatchInput, c: MatchCandidate): MatchReason[] {
  if (input.guardianReturneeId && c.guardianReturneeId && input.guardianReturneeId === c.guardianReturneeId) {
    // Siblings share it too: it says "same family", the names and dates say "same child".
    return [{ code: 'SAME_GUARDIAN', weight: 1.5, fields: ['guardianReturneeId'] }];
  }
  // The guardian record's name (two registrations of a mother), or the guardian's name as written.
  const mine = input.guardianKey ?? (input.guardianName ? keysOfName(input.guardianName, 'family').join(' ') : '');
  const theirs = c.guardianKey ?? (c.guardianName ? keysOfName(c.guardianName, 'family').join(' ') : '');
  if (!mine || !theirs) return [];
  const fields = c.guardianKey ? ['guardianReturneeId'] : ['guardianName'];
  const sim = trigramSimilarity(mine, theirs);
  // Mothers of one family name share half their key: only a close match of the whole name counts.
  if (sim >= 0.8) return [{ code: 'GUARDIAN_NAME_SIMILAR', weight: 2, fields }];
  if (sim < 0.6) return [{ code: 'GUARDIAN_DIFFERS', weight: -2.5, fields }];
  return [];
}

function placeReason(input: MatchInput, c: MatchCandidate): MatchReason[] {
  if (!input.placeOfBirth || !c.placeOfBirth) return [];
  return trigramSimilarity(placeKey(input.placeOfBirth), placeKey(c.placeOfBirth)) >= 0.5
    ? [{ code: 'PLACE_OF_BIRTH_SIMILAR', weight: 0.5, fields: ['placeOfBirth'] }]
    : [];
}

/** Document numbers compared without spaces, dashes or case. */
export function documentNumberKey(number: string): string {
  return number.toUpperCase().replace(/[^0-9A-Z]/g, '');
}

function documentReason(input: MatchInput, c: MatchCandidate): MatchReason[] {
  const mine = new Set((input.documentNumbers ?? []).map(documentNumberKey).filter((n) => n.length >= 4));
  if (mine.size === 0 || !c.documentNumbers) return [];
  return c.documentNumbers.some((n) => mine.has(documentNumberKey(n)))
    ? [{ code: 'DOCUMENT_NUMBER_EQUAL', weight: 6, fields: ['civilDocuments'] }]
    : [];
}

export interface MatchResult {
  score: number;
  reasons: MatchReason[];
  /** Every field the comparison looked at, for the candidate's READ event. */
  compared: string[];
}

export function scoreMatch(input: MatchInput, candidate: MatchCandidate): MatchResult {
  const reasons = [
    ...nameReasons(input, candidate),
    ...patronymicReason(input, candidate),
    ...dateReason(input, candidate),
    ...sexReason(input, candidate),
    ...guardianReason(input, candidate),
    ...placeReason(input, candidate),
    ...documentReason(input, candidate),
  ];
  const points = reasons.reduce((sum, r) => sum + r.weight, 0);
  const score = Math.round(1000 / (1 + Math.exp(-(points - MIDPOINT) / SPREAD))) / 1000;
  return { score, reasons, compared: [...new Set(reasons.flatMap((r) => r.fields))] };
}
