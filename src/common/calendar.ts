/**
 * The hub's one definition of "today" and of "minor" (STYLE.md rule 11). The policy compiler
 * (access/ability.ts: minors' legal basis, consents in force), the active-consent rule
 * (access/active-consent.ts: who must have given a consent), the `isMinor` field and the
 * `isMinor` filter of `returnees` (returnee/), the checks of who gives a consent and whether a
 * referral may rest on a minor's legal basis all ask these functions, so a record is a minor in
 * one place exactly when it is one in all the others, 29 February included.
 *
 * Days are ISO dates (`YYYY-MM-DD`) in UTC; comparing them as text compares them as dates.
 */

/** `YYYY-MM-DD` of a moment, in UTC (the hub's "today" at `now`). */
export function dayOf(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** Today, by the server's clock, in UTC. */
export function today(): string {
  return dayOf(new Date());
}

/** Age at which a person is an adult. */
export const MAJORITY_AGE = 18;

/**
 * The latest date of birth of an adult on `day`: born after it = a minor (under 18). On a
 * 29 February the day is clamped (2028-02-29 → 2010-02-28), so a person born on 1 March is still
 * 17 that day, and one born on 29 February comes of age on 1 March in other years (their
 * birthday, 29 February, does not exist then; 28 February is still within their 17th year).
 * A SQL condition "minor" is `date_of_birth > minorCutoff(day)`.
 */
export function minorCutoff(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  const year = y - MAJORITY_AGE;
  const lastDay = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

/** Is a person born on `dateOfBirth` a minor on `day` (default: today)? */
export function isMinorOn(dateOfBirth: string, day: string = today()): boolean {
  return dateOfBirth > minorCutoff(day);
}

// Calendar arithmetic on ISO dates (YYYY-MM-DD), in UTC so no time zone shifts a date.
const DAY_MS = 86_400_000;

/** `isoDate` + `days`, as ISO dates in UTC. */
export function addDays(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `fromIso` to `toIso` (negative when `toIso` is earlier). */
export function daysBetween(fromIso: string, toIso: string): number {
  return Math.round((Date.parse(`${toIso}T00:00:00Z`) - Date.parse(`${fromIso}T00:00:00Z`)) / DAY_MS);
}
