import { getNamedType, isListType, isNonNullType, type GraphQLInputType } from 'graphql';
import type { HubServer } from '../src/server';
import { giveConsent, grantAccess, makeReturnee, makeSectorUser, type StaffFixture } from './support/factories';
import { gql, sqlClient, startHub, tokenFor, type GqlResponse } from './support/hub';
import { documentFor, slots, variablesFor, withValue, type RootField, type Slot } from './support/schema-samples';

/**
 * Every input has bounds, checked over the whole schema rather than field by field: a new
 * argument without a limit fails here. Ids that are not UUIDs, text past its length, lists
 * past their size, page sizes out of range, dates that cannot be, control characters: each
 * is BAD_USER_INPUT (an id may be NOT_FOUND), with the field named, and nothing is written.
 * Text that looks like SQL or HTML is data: stored and returned exactly as sent.
 */
let hub: HubServer;
const as: Record<string, StaffFixture> = {};
let adminToken: string;
let ids: Record<string, string>;

beforeAll(async () => {
  hub = await startHub();
  for (const [name, sector, roles] of [
    ['social', 'SOCIAL', ['SUPERVISOR']],
    ['health', 'HEALTH', ['CASEWORKER']],
    ['edu', 'EDUCATION', ['CASEWORKER']],
    ['ngo', 'NGO', ['CASEWORKER']],
    ['auditor', 'OVERSIGHT', ['AUDITOR']],
  ] as const) {
    as[name] = await makeSectorUser(hub.db.orm, sector, [...roles]);
  }
  const r = await makeReturnee(hub.db.orm, as.social.agency);
  for (const s of ['health', 'edu', 'ngo'] as const) await grantAccess(hub.db.orm, r, as[s].agency);
  await giveConsent(hub.db.orm, r, as.social);
  adminToken = await tokenFor('admin');
  ids = { id: r.id, returneeId: r.id, agencyId: as.social.agency.id, toAgencyId: as.health.agency.id };
});
afterAll(() => hub.stop());

/** Who calls each operation: someone allowed to, so a refusal is about the input alone. */
function tokenFor_(root: RootField): string {
  const name = root.field.name;
  if (['createAgency', 'createStaffMember', 'deactivateStaffMember'].includes(name)) return adminToken;
  if (['auditEvents', 'disclosureReport', 'auditIntegrity'].includes(name)) return as.auditor.token;
  if (name === 'recordHealthAssessment') return as.health.token;
  if (name === 'updateEducation') return as.edu.token;
  if (name === 'recordSupportSession') return as.ngo.token;
  return as.social.token;
}

const call = (slot: Slot, value: unknown) =>
  gql(hub, tokenFor_(slot.root), documentFor(slot.root), withValue(variablesFor(slot.root.field, ids), slot, value, ids));

const label = (slot: Slot) => `${slot.root.field.name}(${slot.path.join('.')})`;
const isScalar = (name: string) => (t: GraphQLInputType) => !isListType(isNonNullType(t) ? t.ofType : t) && getNamedType(t).name === name;
const isStringList = (t: GraphQLInputType) => isListType(isNonNullType(t) ? t.ofType : t) && getNamedType(t).name === 'String';

function expectRefused(res: GqlResponse, codes: string[], slot: Slot) {
  const code = res.errors?.[0]?.extensions?.code;
  expect({ at: label(slot), code: codes.includes(String(code)) ? 'as expected' : code }).toEqual({ at: label(slot), code: 'as expected' });
  expect(res.data?.[slot.root.field.name] ?? null).toBeNull();
}

describe('ids that are not UUIDs', () => {
  const bad = ['abc', '', '1e309', "' OR '1'='1", '00000000-0000-0000-0000-00000000000g', '{"$ne":null}', 'x'.repeat(5000)];
  const idSlots = slots(isScalar('ID'));

  it('covers every ID argument and input field of the schema', () => {
    expect(idSlots.length).toBeGreaterThanOrEqual(25);
  });

  it.each(idSlots.map((s) => [label(s), s] as const))('%s: BAD_USER_INPUT or NOT_FOUND, never an internal error', async (_l, slot) => {
    for (const value of bad) expectRefused(await call(slot, value), ['BAD_USER_INPUT', 'NOT_FOUND'], slot);
  });
});

describe('text and lists have upper bounds', () => {
  const textSlots = slots(isScalar('String'));
  const listSlots = slots(isStringList);

  it.each(textSlots.map((s) => [label(s), s] as const))('%s: 20,000 characters are refused', async (_l, slot) => {
    const res = await call(slot, 'a'.repeat(20_000));
    expectRefused(res, ['BAD_USER_INPUT'], slot);
  });

  it.each(listSlots.map((s) => [label(s), s] as const))(
    '%s: an item of 20,000 characters, and 1,000 items, are refused',
    async (_l, slot) => {
      expectRefused(await call(slot, ['a'.repeat(20_000)]), ['BAD_USER_INPUT'], slot);
      expectRefused(
        await call(
          slot,
          Array.from({ length: 1000 }, (_, i) => `item ${i}`),
        ),
        ['BAD_USER_INPUT'],
        slot,
      );
    },
  );

  it('names the offending input field', async () => {
    const slot = textSlots.find((s) => s.root.field.name === 'registerReturnee' && s.path.join('.') === 'input.address')!;
    const res = await call(slot, 'a'.repeat(301));
    expect(res.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', fields: ['address'] } });
    expect(res.errors?.[0].message).toMatch(/address must be shorter than or equal to 300 characters/);
  });
});

describe('page sizes', () => {
  const firstSlots = slots(isScalar('Int')).filter((s) => s.path.join('.') === 'first');

  it.each(firstSlots.map((s) => [label(s), s] as const))('%s: 0, -1, past the maximum and past Int are refused', async (_l, slot) => {
    for (const value of [0, -1, 1001, 2 ** 31, 1.5]) expectRefused(await call(slot, value), ['BAD_USER_INPUT'], slot);
  });
});

describe('dates that cannot be', () => {
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const register = (input: Record<string, unknown>) =>
    gql(hub, as.social.token, 'mutation($input: RegisterReturneeInput!) { registerReturnee(input: $input) { returnee { id } } }', {
      input: { givenName: 'Madina', familyName: 'Karimova', sex: 'FEMALE', dateOfBirth: '1990-04-02', ...input },
    });

  it.each([
    ['a birth date in the future', { dateOfBirth: tomorrow }, ['dateOfBirth']],
    ['a birth date before 1900', { dateOfBirth: '1899-12-31' }, ['dateOfBirth']],
    ['a return before birth', { returnedOn: '1989-01-01' }, ['returnedOn', 'dateOfBirth']],
    ['a return in the future', { returnedOn: tomorrow }, ['returnedOn']],
    ['a date that is not in the calendar', { dateOfBirth: '1990-02-30' }, undefined],
  ])('registerReturnee refuses %s and writes nothing', async (_n, input, fields) => {
    const before = await returneeCount();
    const res = await register(input);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    if (fields) expect(res.errors?.[0]?.extensions?.fields).toEqual(fields);
    expect(await returneeCount()).toBe(before);
  });

  it('updateReturnee checks a new date against the stored one', async () => {
    const r = await makeReturnee(hub.db.orm, as.social.agency, { dateOfBirth: '2000-01-01', returnedOn: '2019-05-30' });
    const update = (input: Record<string, unknown>) =>
      gql(
        hub,
        as.social.token,
        'mutation($id: ID!, $input: UpdateReturneeInput!) { updateReturnee(id: $id, expectedVersion: 1, input: $input) { returnee { version } } }',
        { id: r.id, input },
      );
    expect((await update({ returnedOn: '1999-12-31' })).errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', fields: ['returnedOn', 'dateOfBirth'] },
    });
    expect((await update({ dateOfBirth: '2019-06-01' })).errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', fields: ['returnedOn', 'dateOfBirth'] },
    });
    expect((await update({ returnedOn: '2019-06-01' })).data?.updateReturnee.returnee.version).toBe(2);
  });

  it('section records refuse dates in the future, before birth, or ending before they start', async () => {
    const r = ids.returneeId;
    const health = await gql(
      hub,
      as.health.token,
      'mutation($id: ID!, $on: LocalDate!) { recordHealthAssessment(returneeId: $id, input: { assessedOn: $on, findings: "x", followUpNeeded: false }) { returnee { id } } }',
      { id: r, on: tomorrow },
    );
    expect(health.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', fields: ['assessedOn'] } });
    const early = await gql(
      hub,
      as.health.token,
      'mutation($id: ID!) { recordHealthAssessment(returneeId: $id, input: { assessedOn: "1980-01-01", findings: "x", followUpNeeded: false }) { returnee { id } } }',
      { id: r },
    );
    expect(early.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', fields: ['assessedOn'] } });
    const session = await gql(
      hub,
      as.ngo.token,
      'mutation($id: ID!) { recordSupportSession(returneeId: $id, input: { kind: COUNSELLING, startedOn: "2021-03-01", endedOn: "2021-02-01" }) { returnee { id } } }',
      { id: r },
    );
    expect(session.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    const consent = await gql(
      hub,
      as.social.token,
      'mutation($id: ID!) { recordConsent(input: { returneeId: $id, givenBy: SELF, sectors: [HEALTH], sections: [HEALTH], purpose: "Follow-up care", validFrom: "2022-01-01", validUntil: "2021-01-01" }) { id } }',
      { id: r },
    );
    expect(consent.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', fields: ['validUntil'] } });
    const report = await gql(
      hub,
      as.auditor.token,
      'query($id: ID!) { disclosureReport(returneeId: $id, from: "2024-01-02T00:00:00Z", to: "2024-01-01T00:00:00Z") { eventCount } }',
      { id: r },
    );
    expect(report.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', fields: ['from', 'to'] } });
  });
});

describe('text is data', () => {
  const hostile = {
    placeOfBirth: "Robert'); DROP TABLE returnee; --",
    address: '<script>alert(document.cookie)</script><img src=x onerror=alert(1)>',
    guardianName: "' OR '1'='1' --",
    district: "${7*7} {{7*7}} %s %n \\x00 \\'; SELECT pg_sleep(10); --",
    guardianRelation: 'Tante "Zhanar" & co. <b>',
    patronymic: "O'Brien-Qyzy",
  };

  it('stores and returns SQL- and HTML-looking text exactly as sent, and executes none of it', async () => {
    const res = await gql(
      hub,
      as.social.token,
      `mutation($input: RegisterReturneeInput!) { registerReturnee(input: $input) { returnee { id ${Object.keys(hostile).join(' ')} } } }`,
      { input: { givenName: 'Madina', familyName: 'Karimova', sex: 'FEMALE', dateOfBirth: '1990-04-02', ...hostile } },
    );
    expect(res.errors).toBeUndefined();
    const { id, ...returned } = res.data.registerReturnee.returnee;
    expect(returned).toEqual(hostile);
    const read = await gql(hub, as.social.token, `query($id: ID!) { returnee(id: $id) { ${Object.keys(hostile).join(' ')} } }`, { id });
    expect(read.data.returnee).toEqual(hostile);
    const client = await sqlClient();
    try {
      const {
        rows: [row],
      } = await client.query(
        'select place_of_birth, address, guardian_name, district, guardian_relation, patronymic from returnee where id = $1',
        [id],
      );
      expect(Object.values(row)).toEqual(Object.values(hostile));
      expect((await client.query("select to_regclass('public.returnee') as t")).rows[0].t).toBe('returnee');
    } finally {
      await client.end();
    }
  });

  it('treats LIKE wildcards and quotes in a search as literal characters', async () => {
    const mine = await makeSectorUser(hub.db.orm, 'SOCIAL');
    await makeReturnee(hub.db.orm, mine.agency, { givenName: 'Aizhan' });
    await makeReturnee(hub.db.orm, mine.agency, { givenName: "Ai%_zhan'" });
    const search = async (s: string) =>
      (await gql(hub, mine.token, 'query($s: String!) { returnees(filter: { search: $s }) { totalCount nodes { givenName } } }', { s }))
        .data.returnees;
    expect((await search('Ai')).totalCount).toBe(2);
    expect((await search('%_')).nodes).toEqual([{ givenName: "Ai%_zhan'" }]);
    expect((await search("' OR '1'='1")).totalCount).toBe(0);
    expect((await search('__')).totalCount).toBe(0);
  });

  it('refuses control characters and broken Unicode, naming the field, and writes nothing', async () => {
    const before = await returneeCount();
    for (const address of ['12 Abay\u0000 street', 'bell\u0007', 'esc\u001b[31m', 'half \ud800 a pair']) {
      const res = await gql(
        hub,
        as.social.token,
        'mutation($input: RegisterReturneeInput!) { registerReturnee(input: $input) { returnee { id } } }',
        { input: { givenName: 'Madina', familyName: 'Karimova', sex: 'FEMALE', dateOfBirth: '1990-04-02', address } },
      );
      expect(res.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', fields: ['input.address'] } });
    }
    expect(await returneeCount()).toBe(before);
    const ok = await gql(
      hub,
      as.social.token,
      'mutation($input: RegisterReturneeInput!) { registerReturnee(input: $input) { returnee { address } } }',
      {
        input: {
          givenName: 'Madina',
          familyName: 'Karimova',
          sex: 'FEMALE',
          dateOfBirth: '1990-04-02',
          address: 'Line one\nLine\ttwo\r\n',
        },
      },
    );
    expect(ok.data.registerReturnee.returnee.address).toBe('Line one\nLine\ttwo\r\n');
  });
});

/** Records registered by this suite's SOCIAL agency (other suites run alongside). */
async function returneeCount(): Promise<number> {
  const client = await sqlClient();
  try {
    return (await client.query('select count(*)::int as n from returnee where registering_agency_id = $1', [as.social.agency.id])).rows[0]
      .n;
  } finally {
    await client.end();
  }
}
