import type { MongoQuery } from '@casl/ability';
import { conditionSql } from './condition-sql';

/**
 * The one definition of "minor" and of "an active consent covering sector X (and section Y)".
 * The policy compiler (ability.ts) puts it in the read rules, the referral check
 * (referral.service.ts) asks it in SQL, and a consent's `active` flag (consent-read.ts) is the
 * same condition on one consent row: three uses, one definition, one SQL compiler
 * (condition-sql.ts).
 *
 * A consent is active when it is not revoked, today lies within its dates, AND it was given by
 * whom the person's status TODAY requires: the person themselves while an adult (givenBy SELF),
 * the guardian while a minor (givenBy GUARDIAN). So a consent follows the person's current
 * status, not the status when it was given:
 * - a minor coming of age: the guardian's consent lapses on the 18th birthday; from then on only
 *   the person's own consent shares anything (docs/consent.md);
 * - a date of birth corrected so that an "adult" is a minor: the consent they gave themselves
 *   no longer counts; the guardian on record must consent.
 */

/** `YYYY-MM-DD` of a moment, in UTC (the hub's "today"). */
export function dayOf(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/**
 * The latest date of birth of an adult on `today`: born after it = a minor (under 18). On a
 * 29 February the day is clamped (2028-02-29 → 2010-02-28), so a person born on 1 March is still
 * 17 that day, and one born on 29 February comes of age on 1 March in other years.
 */
export function minorCutoff(today: string): string {
  const [y, m, d] = today.split('-').map(Number);
  const lastDay = new Date(Date.UTC(y - 18, m, 0)).getUTCDate();
  return `${String(y - 18).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

export function isMinorOn(dateOfBirth: string, today: string): boolean {
  return dateOfBirth > minorCutoff(today);
}

export type ConsentGiverRequired = 'SELF' | 'GUARDIAN';

/** Who must give a consent for it to count today: the person's status now decides. */
export function requiredGiver(dateOfBirth: string, today: string): ConsentGiverRequired {
  return isMinorOn(dateOfBirth, today) ? 'GUARDIAN' : 'SELF';
}

/** What a consent must cover; omitted = anything. */
export interface Coverage {
  sector?: string;
  section?: string;
}

/** Per status of the person (a condition on the returnee row): who must have given the consent. */
function statuses(today: string): { person: MongoQuery; givenBy: ConsentGiverRequired }[] {
  const cutoff = minorCutoff(today);
  return [
    { person: { dateOfBirth: { $gt: cutoff } }, givenBy: 'GUARDIAN' },
    { person: { dateOfBirth: { $lte: cutoff } }, givenBy: 'SELF' },
  ];
}

/** A condition on one consent row: in force today, given by `givenBy`, covering `covers`. */
function inForce(today: string, givenBy: ConsentGiverRequired, covers: Coverage): MongoQuery {
  return {
    ...(covers.sector ? { sectors: { $all: [covers.sector] } } : {}),
    ...(covers.section ? { sections: { $all: [covers.section] } } : {}),
    givenBy,
    revokedAt: null,
    validFrom: { $lte: today },
    $or: [{ validUntil: null }, { validUntil: { $gte: today } }],
  };
}

/**
 * A condition on the returnee row (CASL mongo dialect, for the policy rules and condition-sql):
 * some consent of this record is active today and covers `covers`. `$elemMatch` on the
 * collection becomes a correlated EXISTS in SQL.
 */
export function activeConsentCondition(today: string, covers: Coverage): MongoQuery {
  return { $or: statuses(today).map((s) => ({ ...s.person, consents: { $elemMatch: inForce(today, s.givenBy, covers) } })) };
}

/**
 * The same condition on one consent row `consent` of the returnee row `returnee` (aliases in the
 * caller's statement), as SQL: is THIS consent active today? Values are appended to `params`.
 */
export function consentActiveSql(today: string, consent: string, returnee: string, params: unknown[]): string {
  return `(${statuses(today)
    .map((s) => `(${conditionSql(s.person, returnee, params)} and ${conditionSql(inForce(today, s.givenBy, {}), consent, params)})`)
    .join(' or ')})`;
}
