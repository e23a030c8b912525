import { AbilityBuilder, createMongoAbility } from '@casl/ability';
import { abilityFor, defineAbilityFor, type AppAbility } from '../src/access/ability';
import { activeConsentCondition } from '../src/access/active-consent';
import { conditionSql, conditionSqlOver } from '../src/access/condition-sql';
import { readProjection } from '../src/access/projection';
import type { Actor } from '../src/access/actor';

/**
 * The read projection and the SQL it compiles to, without a database: which field groups a
 * policy makes, the condition each one is reduced to on records already in scope, and where
 * that reduction must not happen (the end-to-end behaviour is in sector-views, sections and
 * policy-matrix, over HTTP and PostgreSQL).
 */
const AGENCY = '6f4942db-1046-416a-99ff-48c3b8caf8ee';

function actor(sector: Actor['sector'], roles: Actor['roles'] = ['CASEWORKER']): Actor {
  return { staffId: 's1', username: 'u', displayName: 'U', roles, agencyId: AGENCY, agencyCode: 'A', sector, country: 'KZ' };
}

function sqlOf(template: Record<string, unknown>): { text: string; params: unknown[] } {
  const params: unknown[] = [];
  return { text: conditionSql(template, 'r', params), params };
}

describe('read projection', () => {
  it('gives HEALTH its own sections on every record in scope and each shared section its consent (or minor) condition alone', () => {
    const p = readProjection(defineAbilityFor(actor('HEALTH'), new Date('2026-12-02T10:00:00Z')))!;
    expect([...p.base]).toEqual(expect.arrayContaining(['id', 'caseNumber', 'healthAssessments', 'followUpNeeded']));
    expect(p.base.has('givenName')).toBe(false);
    const identity = p.groups.find((g) => g.fields.has('givenName'))!;
    const sql = sqlOf(identity.template);
    // The scope branches (case access, registering agency) are not repeated per group...
    expect(sql.text).not.toMatch(/case_access|registering_agency_id/);
    // ...the group's own condition is: a consent covering HEALTH and IDENTITY, or a minor.
    expect(sql.text).toMatch(/exists \(select 1 from consent x where x\.returnee_id = r\.id/);
    expect(sql.text).toMatch(/r\.date_of_birth > \?/);
    expect(sql.params).toEqual(expect.arrayContaining(['HEALTH', 'IDENTITY', '2008-12-02', '2026-12-02']));
    // A section without a minors exception is consent only: exactly the one definition of an
    // active consent (which itself asks the person's age today: SELF for an adult, GUARDIAN for a minor).
    // For a staff member who may break the glass, a section the window does not open keeps the full
    // condition (the window's scope branch shows it nowhere, so E alone would be too wide there):
    // the scope branches, each with the one definition of an active consent.
    const summary = p.groups.find((g) => g.fields.has('enrolmentStatus'))!;
    const consent = activeConsentCondition('2026-12-02', { sector: 'HEALTH', section: 'EDUCATION_SUMMARY' });
    expect((summary.template.$or as Record<string, unknown>[]).map((b) => b.$or)).toEqual([consent.$or, consent.$or, consent.$or]);
    expect(sqlOf(summary.template).text).not.toMatch(/break_glass_open/);
    expect(sqlOf(summary.template).params).toEqual(expect.arrayContaining(['GUARDIAN', 'SELF', '2008-12-02']));
    // A section it opens: the consent (or minor) condition, or the window.
    expect(sql.text).toMatch(/break_glass_open/);
  });

  it('keeps the row scope itself in full: every branch, values bound as parameters', () => {
    const p = readProjection(defineAbilityFor(actor('HEALTH')))!;
    const sql = sqlOf(p.scopeTemplate);
    expect(sql.text).toMatch(/r\.registering_agency_id = \?/);
    expect(sql.text).toMatch(/exists \(select 1 from case_access x where x\.returnee_id = r\.id/);
    expect(sql.text).toMatch(/x\.cross_border = \?/);
    expect(sql.text).not.toContain(AGENCY);
    expect(sql.params.filter((v) => v === AGENCY)).toHaveLength(3);
  });

  it('keeps the full condition when a shared section is granted with only some scope branches', () => {
    const { can, build } = new AbilityBuilder<AppAbility>(createMongoAbility);
    can('read', 'Returnee', ['id', 'caseNumber'], { registeringAgency: AGENCY });
    can('read', 'Returnee', ['id', 'caseNumber'], { country: 'KZ' });
    // Phone only on records the agency registered, and then only with consent: not reducible.
    can('read', 'Returnee', ['phone'], { registeringAgency: AGENCY, consents: { $elemMatch: { revokedAt: null } } });
    const p = readProjection(build())!;
    const phone = sqlOf(p.groups.find((g) => g.fields.has('phone'))!.template);
    expect(phone.text).toMatch(/r\.registering_agency_id = \?/);
    expect(phone.text).toMatch(/exists \(select 1 from consent/);
  });

  it('keeps the full condition for an inverted rule', () => {
    const { can, cannot, build } = new AbilityBuilder<AppAbility>(createMongoAbility);
    can('read', 'Returnee', ['id', 'caseNumber', 'phone'], { registeringAgency: AGENCY });
    cannot('read', 'Returnee', ['phone'], { status: 'CLOSED' });
    const p = readProjection(build())!;
    const phone = sqlOf(p.groups.find((g) => g.fields.has('phone'))!.template);
    expect(phone.text).toMatch(/not \(/);
    expect(phone.text).toMatch(/r\.registering_agency_id = \?/);
  });

  it('refuses conditions it does not understand instead of widening the scope', () => {
    expect(() => sqlOf({ givenName: { $regex: '.*' } })).toThrow(/unsupported operator \$regex/);
    expect(() => sqlOf({ 'given name': 'x' })).toThrow(/unsupported property/);
    expect(() => sqlOf({ consents: { $elemMatch: { caseAccesses: { $elemMatch: {} } } } })).toThrow(/inside a collection rule/);
    expect(() => sqlOf({ $or: [] })).toThrow(/non-empty array/);
    expect(sqlOf({ id: { $in: [] } }).text).toBe('(false)');
  });

  it('compiles an ability once per actor and day and a projection once per ability', () => {
    const day = new Date('2026-12-02T08:00:00Z');
    const a = abilityFor(actor('EDUCATION'), day);
    expect(abilityFor(actor('EDUCATION'), new Date('2026-12-02T23:00:00Z'))).toBe(a);
    expect(readProjection(a)).toBe(readProjection(a));
    // A new day, new roles or another sector is another ability.
    expect(abilityFor(actor('EDUCATION'), new Date('2026-12-03T00:00:01Z'))).not.toBe(a);
    expect(abilityFor(actor('EDUCATION', ['SUPERVISOR']), day)).not.toBe(a);
    expect(abilityFor(actor('SOCIAL'), day)).not.toBe(a);
  });
});

describe('condition-sql over another subject (a field map)', () => {
  const fields = { agencyId: 's.agency_id', agencyCountry: '(select sa.country from agency sa where sa.id = s.agency_id)' };
  it('compiles only the mapped properties, values as parameters, inverted rules as NOT', () => {
    const params: unknown[] = [];
    const text = conditionSqlOver(
      { $or: [{ agencyId: AGENCY }, { $and: [{ agencyCountry: 'KZ' }, { $not: { agencyId: 'x' } }] }] },
      fields,
      params,
    );
    expect(text).toBe(
      '(((s.agency_id = ?) or ((((select sa.country from agency sa where sa.id = s.agency_id) = ?) and (not ((s.agency_id = ?)))))))',
    );
    expect(params).toEqual([AGENCY, 'KZ', 'x']);
  });
  it('refuses a property the map does not name, and collection rules, instead of widening the scope', () => {
    expect(() => conditionSqlOver({ registeringAgency: AGENCY }, fields, [])).toThrow(/unsupported property "registeringAgency"/);
    expect(() => conditionSqlOver({ caseAccesses: { $elemMatch: { agencyId: AGENCY } } }, fields, [])).toThrow(/unsupported property/);
    expect(() => conditionSqlOver({ toString: 'x' }, fields, [])).toThrow(/unsupported property/);
  });
});
