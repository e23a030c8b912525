import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { activeConsentCondition, minorCondition, requiredGiver } from '../src/access/active-consent';
import { dayOf, isMinorOn, minorCutoff, today } from '../src/common/calendar';

/**
 * The one definition of "today" and "minor" (src/common/calendar.ts) that the rules, the
 * consent check, the `isMinor` field and the `isMinor` filter share; 29 February birthdays and
 * 29 February todays are where two definitions used to disagree (a list filter counted a person
 * born on 1 March 2010 as an adult on 29 February 2028, the field as a minor).
 */

/** An independent reading of the law: under 18 until the 18th birthday, 29 February's birthday being 1 March in other years. */
function minorByBirthday(dateOfBirth: string, day: string): boolean {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number);
  const [y, m, d] = day.split('-').map(Number);
  const leap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const [birthdayMonth, birthdayDay] = bm === 2 && bd === 29 && !leap(by + 18) ? [3, 1] : [bm, bd];
  const turned18 = y > by + 18 || (y === by + 18 && (m > birthdayMonth || (m === birthdayMonth && d >= birthdayDay)));
  return !turned18;
}

const days = (from: string, count: number) =>
  Array.from({ length: count }, (_, i) => dayOf(new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000)));

describe('minor (src/common/calendar.ts)', () => {
  it('is 18 on the birthday, not the day before', () => {
    expect(isMinorOn('2008-12-06', '2026-12-05')).toBe(true);
    expect(isMinorOn('2008-12-06', '2026-12-06')).toBe(false);
  });

  it('clamps 29 February: born on 1 March is still 17 on 29 February; born on 29 February comes of age on 1 March in common years', () => {
    expect(minorCutoff('2028-02-29')).toBe('2010-02-28');
    expect(isMinorOn('2010-03-01', '2028-02-29')).toBe(true);
    expect(isMinorOn('2010-02-28', '2028-02-29')).toBe(false);
    expect(isMinorOn('2008-02-29', '2026-02-28')).toBe(true);
    expect(isMinorOn('2008-02-29', '2026-03-01')).toBe(false);
    // Born on a 29 February whose 18th birthday falls in a leap year: of age on that 29 February.
    expect(isMinorOn('2010-02-28', '2028-02-28')).toBe(false);
    expect(isMinorOn('2012-02-29', '2030-02-28')).toBe(true);
  });

  it('agrees with an independent reading of the law for every day of four years around two leap days', () => {
    const births = [...days('2007-02-20', 20), ...days('2008-02-20', 20), ...days('2010-02-20', 20), ...days('2011-12-25', 10)];
    const disagreements: string[] = [];
    for (const day of days('2025-01-01', 365 * 4 + 1)) {
      for (const dob of births) if (isMinorOn(dob, day) !== minorByBirthday(dob, day)) disagreements.push(`${dob} on ${day}`);
    }
    expect(disagreements).toEqual([]);
  });

  it("is the condition the rules and the consent rule use (a minor needs the guardian's consent, an adult their own)", () => {
    expect(minorCondition('2028-02-29')).toEqual({ dateOfBirth: { $gt: '2010-02-28' } });
    expect(JSON.stringify(activeConsentCondition('2028-02-29', {}))).toContain('"dateOfBirth":{"$gt":"2010-02-28"}');
    expect(requiredGiver('2010-03-01', '2028-02-29')).toBe('GUARDIAN');
    expect(requiredGiver('2008-02-29', '2026-03-01')).toBe('SELF');
  });

  it('takes today in UTC', () => {
    expect(dayOf(new Date('2028-02-29T23:59:59.999Z'))).toBe('2028-02-29');
    expect(dayOf(new Date('2028-03-01T00:00:00.000+05:00'))).toBe('2028-02-29');
    expect(today()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

/** Source files of src/, recursively. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

it('is the only definition: no other module of src/ works out today or an 18th birthday itself', () => {
  const ownDefinitions = /new Date\(\)\.toISOString\(\)\.slice\(0,\s*10\)|FullYear\(\)\s*[-+]\s*18\b|\by\s*[-+]\s*18\b|setUTCFullYear/;
  const root = path.resolve(__dirname, '../src');
  const offenders = sources(root).filter(
    (f) => !f.endsWith(path.join('common', 'calendar.ts')) && ownDefinitions.test(readFileSync(f, 'utf8')),
  );
  expect(offenders.map((f) => path.relative(root, f))).toEqual([]);
});
