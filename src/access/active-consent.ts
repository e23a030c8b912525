import type { MongoQuery } from '@casl/ability';
import { isMinorOn, minorCutoff } from '../common/calendar';
import { collectionOf, conditionSql, conjunctsOf } from './condition-sql';
import type { FactSql, RowFacts } from './row-facts';

/**
 * The one definition of "an active consent covering sector X (and section Y)", over the one
 * definition of "minor" and "today" (src/common/calendar.ts).
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
  return [
    { person: minorCondition(today), givenBy: 'GUARDIAN' },
    { person: { dateOfBirth: { $lte: minorCutoff(today) } }, givenBy: 'SELF' },
  ];
}

/** "A minor today" as a condition on the returnee row (calendar.ts's definition, for the rules and SQL). */
export function minorCondition(today: string): MongoQuery {
  return { dateOfBirth: { $gt: minorCutoff(today) } };
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

/**
 * Over the returnee row `r` and its facts (row-facts.ts): `then(id)` of the active consent covering
 * `covers` that a read names as its basis (the first by id), null when there is none. `then` gets
 * the id's column (`r.h…`, null when no consent) and returns SQL without values. The facts are the
 * very ones the rule's EXISTS reads (condition-sql.ts compiles `activeConsentCondition` over them),
 * so naming the consent costs no scan of its own.
 */
export function byActiveConsent(today: string, covers: Coverage, facts: RowFacts, then: (consentId: string) => string): FactSql {
  const params: unknown[] = [];
  const used: string[] = [];
  const whens = statuses(today).map((s) => {
    const column = facts.firstId(collectionOf('consents'), conjunctsOf(inForce(today, s.givenBy, covers), 'x'));
    used.push(column);
    return `when ${conditionSql(s.person, 'r', params)} then ${then(`r.${column}`)}`;
  });
  return { text: `case ${whens.join(' ')} end`, params, facts: used };
}
