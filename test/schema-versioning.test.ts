import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema } from 'graphql';
import { deprecationProblems, disallowedBreakingChanges } from './support/schema-compat';

/**
 * The versioning policy of docs/versioning.md, checked on every run: against the released
 * contract (schema/released.graphql) the current SDL may add anything, but may remove or change
 * an element only after announcing it with @deprecated and waiting out the notice period.
 */
const read = (file: string) => readFileSync(path.resolve(__dirname, '..', 'schema', file), 'utf8');

describe('the schema against the released contract', () => {
  it('has no breaking change that the deprecation policy does not allow', () => {
    expect(disallowedBreakingChanges(read('released.graphql'), read('schema.graphql'))).toEqual([]);
  });

  it('dates every deprecation and gives at least six months notice', () => {
    expect(deprecationProblems(buildSchema(read('schema.graphql')))).toEqual([]);
  });
});

describe('the policy check itself', () => {
  const released = `
    type Query {
      returnee(id: ID!): Returnee
      oldList: [Returnee!]! @deprecated(reason: "Use returnee. Deprecated 2026-01-10; removal not before 2026-07-10.")
      recentList: [Returnee!]! @deprecated(reason: "Use returnee. Deprecated 2026-11-01; removal not before 2027-05-01.")
    }
    type Returnee { id: ID! caseNumber: String! region: String }
    enum Status { OPEN CLOSED LEGACY @deprecated(reason: "Use CLOSED. Deprecated 2025-01-01; removal not before 2025-07-01.") }
  `;
  const today = new Date('2026-12-01T00:00:00Z');

  it('allows additions', () => {
    const added = released.replace('region: String }', 'region: String district: String }').replace('LEGACY', 'LEGACY TRANSFERRED');
    expect(disallowedBreakingChanges(released, added, today)).toEqual([]);
  });

  it('allows removing a deprecated element after its removal date', () => {
    const removed = released.replace(/oldList[^\n]*\n/, '').replace(/LEGACY[^}]*/, '');
    expect(disallowedBreakingChanges(released, removed, today)).toEqual([]);
  });

  it('refuses removing a deprecated element before its removal date', () => {
    expect(disallowedBreakingChanges(released, released.replace(/recentList[^\n]*\n/, ''), today)).toEqual([
      'Query.recentList was removed.',
    ]);
  });

  it('refuses removing, renaming or retyping what was never deprecated', () => {
    const changed = released.replace('caseNumber: String!', 'caseNo: String!').replace('region: String', 'region: Int');
    expect(disallowedBreakingChanges(released, changed, today)).toEqual([
      'Returnee.caseNumber was removed.',
      'Returnee.region changed type from String to Int.',
    ]);
  });

  it('refuses a deprecation without dates or with less than six months notice', () => {
    const schema = buildSchema(`type Query {
      a: Int @deprecated(reason: "Use b.")
      b: Int @deprecated(reason: "Use c. Deprecated 2026-12-01; removal not before 2027-03-01.")
      c: Int
    }`);
    expect(deprecationProblems(schema)).toEqual([
      'Query.a: the reason must say "Deprecated YYYY-MM-DD; removal not before YYYY-MM-DD." (got "Use b.")',
      'Query.b: removal 2027-03-01 is less than 6 months after deprecation 2026-12-01',
    ]);
  });
});
