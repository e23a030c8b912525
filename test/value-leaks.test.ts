import type { HubServer } from '../src/server';
import { auditRowsFor } from './support/audit';
import { giveConsent, grantAccess, makeReturnee, makeSectorUser, makeStaff, type StaffFixture } from './support/factories';
import { errorCode, gql, startHub } from './support/hub';

/**
 * Values that travel outside a record's fields: cursors, error messages, history entries and
 * household links. Each must obey the policy and the audit trail like the field itself
 * (DESIGN.md §3: "every value that reaches a client … obeys the same rules and is in the
 * audit trail").
 */
const BY_BIRTH = `query($after: String, $order: ReturneeOrderField!) {
  returnees(first: 2, after: $after, orderBy: { field: $order }) { pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }`;

let hub: HubServer;
let social: StaffFixture;
const births = ['1987-04-11', '1991-10-23', '1995-06-30'];
const ids: string[] = [];

beforeAll(async () => {
  hub = await startHub();
  social = await makeSectorUser(hub.db.orm, 'SOCIAL');
  for (const dateOfBirth of births) ids.push((await makeReturnee(hub.db.orm, social.agency, { dateOfBirth })).id);
});
afterAll(() => hub.stop());

/** Everything a cursor could carry in the clear, whatever its encoding. */
function readable(cursor: string): string {
  return ['base64url', 'base64', 'hex'].map((e) => Buffer.from(cursor, e as BufferEncoding).toString('latin1')).join('\n') + cursor;
}

describe('cursors', () => {
  it('carry no record value: a date-of-birth order yields cursors that do not contain the dates (nor the ids)', async () => {
    const res = await gql(hub, social.token, BY_BIRTH, { order: 'DATE_OF_BIRTH' });
    expect(res.errors).toBeUndefined();
    const edges = res.data.returnees.edges as { cursor: string; node: { id: string } }[];
    expect(edges.map((e) => e.node.id)).toEqual(ids.slice(0, 2));
    for (const { cursor, node } of edges) {
      for (const value of [...births, ...births.map((b) => b.replace(/-/g, '')), node.id]) expect(readable(cursor)).not.toContain(value);
    }
  });

  it('still page: the end cursor leads to the next records, in order, without overlap', async () => {
    const first = await gql(hub, social.token, BY_BIRTH, { order: 'DATE_OF_BIRTH' });
    const next = await gql(hub, social.token, BY_BIRTH, { order: 'DATE_OF_BIRTH', after: first.data.returnees.pageInfo.endCursor });
    expect(next.errors).toBeUndefined();
    expect(next.data.returnees.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([ids[2]]);
    expect(next.data.returnees.pageInfo.hasNextPage).toBe(false);
  });

  it('are useless to anyone else, with another order, or once altered', async () => {
    const cursor = (await gql(hub, social.token, BY_BIRTH, { order: 'DATE_OF_BIRTH' })).data.returnees.pageInfo.endCursor as string;
    // A colleague of the same agency sees the same records, but the cursor was not issued to them.
    const colleague = await makeStaff(hub.db.orm, social.agency, ['CASEWORKER']);
    const stolen = await gql(hub, colleague.token, BY_BIRTH, { order: 'DATE_OF_BIRTH', after: cursor });
    expect(errorCode(stolen)).toBe('BAD_USER_INPUT');
    expect(stolen.errors![0].message).toMatch(/not a cursor this hub issued to you/);
    expect(errorCode(await gql(hub, social.token, BY_BIRTH, { order: 'FAMILY_NAME', after: cursor }))).toBe('BAD_USER_INPUT');
    const raw = Buffer.from(cursor, 'base64url');
    raw[raw.length - 20] ^= 1;
    expect(errorCode(await gql(hub, social.token, BY_BIRTH, { order: 'DATE_OF_BIRTH', after: raw.toString('base64url') }))).toBe(
      'BAD_USER_INPUT',
    );
    // The old encoding (readable JSON) is refused as well: nothing a client builds is a cursor.
    const forged = Buffer.from(JSON.stringify(['1990-01-01', ids[0]])).toString('base64url');
    expect(errorCode(await gql(hub, social.token, BY_BIRTH, { order: 'DATE_OF_BIRTH', after: forged }))).toBe('BAD_USER_INPUT');
  });

  it('open on any hub process that shares the secret (several processes behind a balancer)', async () => {
    const other = await startHub();
    try {
      const cursor = (await gql(hub, social.token, BY_BIRTH, { order: 'DATE_OF_BIRTH' })).data.returnees.pageInfo.endCursor;
      const next = await gql(other, social.token, BY_BIRTH, { order: 'DATE_OF_BIRTH', after: cursor });
      expect(next.errors).toBeUndefined();
      expect(next.data.returnees.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([ids[2]]);
    } finally {
      await other.stop();
    }
  });

  it('of referrals and of the audit trail are sealed the same way', async () => {
    const orm = hub.db.orm;
    const ngo = await makeSectorUser(orm, 'NGO');
    for (const id of ids) await giveConsent(orm, { id } as never, social, ['NGO'], ['IDENTITY']);
    for (const id of ids) {
      const res = await gql(hub, social.token, `mutation($input: ReferReturneeInput!) { referReturnee(input: $input) { id } }`, {
        input: { returneeId: id, toAgencyId: ngo.agency.id, service: 'counselling', reason: 'Counselling after return' },
      });
      expect(res.errors).toBeUndefined();
    }
    const referrals = await gql(
      hub,
      social.token,
      `{ referrals(first: 1, filter: { direction: OUTGOING }) { endCursor nodes { id createdAt } } }`,
    );
    const { endCursor, nodes } = referrals.data.referrals;
    expect(readable(endCursor)).not.toContain(nodes[0].id);
    expect(readable(endCursor)).not.toContain(nodes[0].createdAt.slice(0, 19));
    expect(
      errorCode(await gql(hub, ngo.token, `query($a: String) { referrals(first: 1, after: $a) { totalCount } }`, { a: endCursor })),
    ).toBe('BAD_USER_INPUT');

    const auditor = await makeSectorUser(orm, 'OVERSIGHT', ['AUDITOR']);
    const events = await gql(
      hub,
      auditor.token,
      `query($id: ID) { auditEvents(first: 1, filter: { returneeId: $id }) { edges { cursor node { id occurredAt } } } }`,
      { id: ids[0] },
    );
    const [edge] = events.data.auditEvents.edges;
    expect(readable(edge.cursor)).not.toContain(edge.node.occurredAt.slice(0, 19));
    const colleague = await makeStaff(orm, auditor.agency, ['AUDITOR']);
    expect(
      errorCode(
        await gql(hub, colleague.token, `query($a: String) { auditEvents(first: 1, after: $a) { totalCount } }`, { a: edge.cursor }),
      ),
    ).toBe('BAD_USER_INPUT');
  });
});

describe('error messages', () => {
  const NOTE = `mutation($id: ID!, $v: Int!, $on: LocalDate!) { updateEducation(returneeId: $id, expectedVersion: $v, input: { progressNote: { notedOn: $on, note: "Reads well" } }) { returnee { version } } }`;
  const EXAM = `mutation($id: ID!, $on: LocalDate!) { recordHealthAssessment(returneeId: $id, input: { assessedOn: $on, findings: "Well", followUpNeeded: false }) { returnee { id } } }`;

  it('do not reveal a date of birth the caller may not read, not even one guess at a time', async () => {
    const orm = hub.db.orm;
    const school = await makeSectorUser(orm, 'EDUCATION');
    const clinic = await makeSectorUser(orm, 'HEALTH');
    const registrar = await makeSectorUser(orm, 'SOCIAL');
    const adult = await makeReturnee(orm, registrar.agency, { dateOfBirth: '1993-08-15' });
    for (const u of [school, clinic]) await grantAccess(orm, adult, u.agency);
    // Without consent neither sector reads an adult's identity: a date before and a date after
    // the birth must be answered alike, or the answers would bisect the date.
    const before = await gql(hub, school.token, NOTE, { id: adult.id, v: 1, on: '1993-08-14' });
    expect(before.errors).toBeUndefined();
    const after = await gql(hub, school.token, NOTE, { id: adult.id, v: 1, on: '1993-08-16' });
    expect(after.errors).toBeUndefined();
    expect((await gql(hub, clinic.token, EXAM, { id: adult.id, on: '1993-08-14' })).errors).toBeUndefined();
    expect((await gql(hub, clinic.token, EXAM, { id: adult.id, on: '1993-08-16' })).errors).toBeUndefined();
  });

  it('still refuse a date before birth, naming it, to a caller who may read the date of birth', async () => {
    const orm = hub.db.orm;
    const school = await makeSectorUser(orm, 'EDUCATION');
    const registrar = await makeSectorUser(orm, 'SOCIAL');
    const r = await makeReturnee(orm, registrar.agency, { dateOfBirth: '1993-08-15' });
    await grantAccess(orm, r, school.agency);
    await giveConsent(orm, r, registrar, ['EDUCATION'], ['IDENTITY']);
    const res = await gql(hub, school.token, NOTE, { id: r.id, v: 1, on: '1993-08-14' });
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toMatch(/cannot be before the returnee's date of birth \(1993-08-15\)/);
  });
});

describe('history', () => {
  it('does not show a change to fields the caller may not read, nor when or by whom it was made', async () => {
    const orm = hub.db.orm;
    const clinic = await makeSectorUser(orm, 'HEALTH');
    const school = await makeSectorUser(orm, 'EDUCATION');
    const registrar = await makeSectorUser(orm, 'SOCIAL');
    const r = await makeReturnee(orm, registrar.agency);
    for (const u of [clinic, school]) await grantAccess(orm, r, u.agency);
    await giveConsent(orm, r, registrar, ['EDUCATION'], ['IDENTITY']); // identity yes, health flags no
    const flag = await gql(
      hub,
      clinic.token,
      `mutation($id: ID!) { updateReturnee(id: $id, expectedVersion: 1, input: { followUpNeeded: false }) { returnee { version } } }`,
      { id: r.id },
    );
    expect(flag.errors).toBeUndefined();
    await gql(
      hub,
      registrar.token,
      `mutation($id: ID!) { updateReturnee(id: $id, expectedVersion: 2, input: { givenName: "Aigul" }) { returnee { version } } }`,
      { id: r.id },
    );
    const HISTORY = `query($id: ID!) { returneeHistory(returneeId: $id) { id version changedAt agencyId fields previous } }`;
    const seen = await gql(hub, school.token, HISTORY, { id: r.id });
    expect(seen.errors).toBeUndefined();
    expect(seen.data.returneeHistory).toEqual([
      expect.objectContaining({ version: 2, agencyId: registrar.agency.id, fields: ['givenName'], previous: { givenName: 'Aigerim' } }),
    ]);
    const events = (await auditRowsFor(school.staff.id)).filter((e) => e.operation === 'returneeHistory');
    expect(events.map((e) => [e.entity_type, e.entity_id, e.fields])).toEqual([
      ['ReturneeRevision', seen.data.returneeHistory[0].id, ['givenName']],
    ]);
    // HEALTH owns the flags: it sees its own change (and not the name change, which it may not read).
    const own = await gql(hub, clinic.token, HISTORY, { id: r.id });
    expect(own.data.returneeHistory.map((h: { fields: string[] }) => h.fields)).toEqual([['followUpNeeded']]);
  });
});

describe('households', () => {
  const HOUSEHOLD = `query($id: ID!) { returnee(id: $id) { id household { id caseNumber relation } } }`;

  it('record a READ of each member they name, with exactly the member fields returned', async () => {
    const orm = hub.db.orm;
    const user = await makeSectorUser(orm, 'SOCIAL');
    const mother = await makeReturnee(orm, user.agency, { givenName: 'Madina' });
    const son = await makeReturnee(orm, user.agency, { dateOfBirth: '2016-01-01', guardianReturneeId: mother.id });
    const res = await gql(hub, user.token, HOUSEHOLD, { id: mother.id });
    expect(res.data.returnee.household).toEqual([{ id: son.id, caseNumber: son.caseNumber, relation: 'WARD' }]);
    const events = await auditRowsFor(user.staff.id);
    expect(events.map((e) => [e.action, e.entity_type, e.entity_id, e.fields])).toEqual([
      ['READ', 'Returnee', mother.id, ['id', 'household']],
      ['READ', 'Returnee', son.id, ['id', 'caseNumber']],
    ]);
    // Only the relation: no member is named, so no member is read.
    await gql(hub, user.token, `query($id: ID!) { returnee(id: $id) { household { relation } } }`, { id: mother.id });
    expect((await auditRowsFor(user.staff.id)).slice(2).map((e) => [e.entity_id, e.fields])).toEqual([[mother.id, ['household']]]);
  });

  it("merge a member returned on the same page into that record's one READ event", async () => {
    const orm = hub.db.orm;
    const user = await makeSectorUser(orm, 'SOCIAL');
    const mother = await makeReturnee(orm, user.agency, { caseNumber: `A-${user.agency.id.slice(0, 8)}` });
    const son = await makeReturnee(orm, user.agency, {
      caseNumber: `B-${user.agency.id.slice(0, 8)}`,
      dateOfBirth: '2016-01-01',
      guardianReturneeId: mother.id,
    });
    const res = await gql(hub, user.token, `{ returnees(first: 5) { nodes { id givenName household { caseNumber } } } }`);
    expect(res.data.returnees.nodes.map((n: { id: string }) => n.id)).toEqual([mother.id, son.id]);
    const events = await auditRowsFor(user.staff.id);
    expect(events.map((e) => [e.entity_id, e.fields]).sort()).toEqual(
      [
        [mother.id, ['id', 'givenName', 'household', 'caseNumber']],
        [son.id, ['id', 'givenName', 'household', 'caseNumber']],
      ].sort(),
    );
  });
});

describe('@skip and @include', () => {
  it('leave the fields they drop unread and unrecorded', async () => {
    const user = await makeSectorUser(hub.db.orm, 'SOCIAL');
    const r = await makeReturnee(hub.db.orm, user.agency);
    const res = await gql(
      hub,
      user.token,
      `query($id: ID!, $yes: Boolean!, $no: Boolean!) { returnee(id: $id) {
      id givenName @skip(if: $yes) phone @include(if: $no) region @include(if: $yes) ... on Returnee @skip(if: true) { address }
      ...Names @include(if: $no) } }
      fragment Names on Returnee { familyName }`,
      { id: r.id, yes: true, no: false },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.returnee).toEqual({ id: r.id, region: 'Aqtobe' });
    const [event] = await auditRowsFor(user.staff.id);
    expect(event.fields).toEqual(['id', 'region']);
  });
});
