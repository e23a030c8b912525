import { SignJWT } from 'jose';
import type { Returnee } from '../../src/returnee/returnee.entity';
import type { HubServer } from '../../src/server';
import type { StaffFixture } from './factories';
import { sqlClient, TEST_JWT_SECRET } from './hub';
import { postJson, raw, type RawResponse } from './raw-http';

/**
 * Known attacks on a GraphQL endpoint and the refusal each must get from a hub with the
 * default limits (docs/limits.md). One row per attack input; test/known-attacks.test.ts runs
 * them and checks status, code and reason, and that no answer shows a stack or SQL.
 */
export interface AttackContext {
  hub: HubServer;
  social: StaffFixture;
  edu: StaffFixture;
  admin: string;
  auditor: string;
  deactivatedToken: string;
  consented: Returnee;
  unconsented: Returnee;
  oracleName: string;
}

export interface Attack {
  name: string;
  send(ctx: AttackContext): Promise<RawResponse>;
  expect: { status: number; code: string; reason?: string; message?: RegExp };
  after?(ctx: AttackContext, res: RawResponse): Promise<void>;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const op = (query: string, variables: Record<string, unknown> = {}) => ({ query, variables });
const as =
  (who: (c: AttackContext) => string, query: string, variables: Record<string, unknown> = {}) =>
  (c: AttackContext) =>
    postJson(c.hub, op(query, variables), bearer(who(c)));
const social = (c: AttackContext) => c.social.token;
const edu = (c: AttackContext) => c.edu.token;
const auditor = (c: AttackContext) => c.auditor;
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const hs256 = (secret: string, sub: string, header: Record<string, unknown> = { alg: 'HS256' }, exp: string | number = '1h') =>
  new SignJWT({})
    .setProtectedHeader(header as { alg: string })
    .setSubject(sub)
    .setExpirationTime(exp)
    .sign(new TextEncoder().encode(secret));

const refused = (reason: string, message?: RegExp) => ({ status: 400, code: 'BAD_USER_INPUT', reason, message });
const invalid = (message?: RegExp) => refused('GRAPHQL_VALIDATION_FAILED', message);
const unauthenticated = (message?: RegExp) => ({ status: 401, code: 'UNAUTHENTICATED', message });
/** Variables that do not fit their declared types (Apollo answers 400 before executing). */
const coercion = (message?: RegExp) => ({ status: 400, code: 'BAD_USER_INPUT', message });
/** Refused inside a resolver: HTTP 200 with the error, as GraphQL answers over HTTP. */
const inResolver = (code: string, message?: RegExp) => ({ status: 200, code, message });

const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: me { canManageStaff }`).join(' ')} }`;
const ofTypes = (n: number) => `${'ofType { '.repeat(n)}name${' }'.repeat(n)}`;
const FULL_RECORD =
  'id caseNumber givenName familyName patronymic otherNames sex dateOfBirth placeOfBirth citizenship returnedOn status isMinor region district address phone ' +
  'healthAssessments { assessedOn findings conditions agency { code name } } educationProgressNotes { notedOn note } civilDocuments { type status number } ' +
  'socialSupport { kind description } supportSessions { kind notes riskNotes } redactedFields';

async function returneeRow(id: string): Promise<Record<string, unknown>> {
  const client = await sqlClient();
  try {
    return (await client.query('select version, address, region, country, registering_agency_id from returnee where id = $1', [id]))
      .rows[0];
  } finally {
    await client.end();
  }
}

const unchanged = async (c: AttackContext) => {
  expect(await returneeRow(c.consented.id)).toMatchObject({
    version: 1,
    address: '12 Abay street',
    country: 'KZ',
    registering_agency_id: c.social.agency.id,
  });
};

export const ATTACKS: Attack[] = [
  // Query shape
  {
    name: 'alias bomb: 100 aliases of one field',
    send: as(social, aliases(100)),
    expect: refused('MAX_ALIASES', /Aliases limit of 15 exceeded, found 100/),
  },
  {
    name: 'alias bomb hidden in a fragment spread twice',
    send: as(social, `{ ...F ...F } fragment F on Query { ${Array.from({ length: 9 }, (_, i) => `f${i}: __typename`).join(' ')} }`),
    expect: refused('MAX_ALIASES', /found 18/),
  },
  {
    name: 'alias bomb of cheap __typename fields',
    send: as(social, `{ ${Array.from({ length: 500 }, (_, i) => `t${i}: __typename`).join(' ')} }`),
    expect: refused('MAX_ALIASES'),
  },
  {
    name: 'deep nesting through introspection (__type … ofType ×12)',
    send: as(social, `{ __type(name: "Returnee") { fields { type { ${ofTypes(12)} } } } }`),
    expect: refused('MAX_DEPTH', /Query depth limit of 8 exceeded/),
  },
  {
    name: 'deep nesting past the token limit (__schema … ofType ×700)',
    send: as(social, `{ __schema { types { fields { type { ${ofTypes(700)} } } } } }`),
    expect: refused('GRAPHQL_PARSE_FAILED', /more that 2000 tokens/),
  },
  {
    name: 'circular fragments',
    send: as(social, '{ ...A } fragment A on Query { me { canManageStaff } ...B } fragment B on Query { ...A }'),
    expect: invalid(/Cannot spread fragment "A" within itself via "B"/),
  },
  {
    name: 'a fragment spreading itself',
    send: as(social, '{ ...A } fragment A on Query { __typename ...A }'),
    expect: invalid(/Cannot spread fragment "A" within itself/),
  },
  {
    name: 'fragment bomb: 2^24 expansions in 24 fragments',
    send: as(
      social,
      `{ ...F0 } ${Array.from({ length: 24 }, (_, i) => `fragment F${i} on Query { ${i === 23 ? 'me { canManageStaff }' : `...F${i + 1} ...F${i + 1}`} }`).join(' ')}`,
    ),
    expect: refused('MAX_COST', /Query cost limit of 20000 exceeded/),
  },
  {
    name: 'cost bomb: 15 aliased pages of 100 full records',
    send: as(social, `{ ${Array.from({ length: 15 }, (_, i) => `p${i}: returnees(first: 100) { nodes { ${FULL_RECORD} } }`).join(' ')} }`),
    expect: refused('MAX_COST', /Query cost limit of 20000 exceeded/),
  },
  {
    name: 'cost bomb with page sizes in variables',
    send: as(
      social,
      `query($n: Int!) { ${Array.from({ length: 5 }, (_, i) => `p${i}: returnees(first: $n) { nodes { ${FULL_RECORD} } }`).join(' ')} }`,
      { n: 100 },
    ),
    expect: refused('MAX_COST'),
  },
  {
    name: 'directive flood: @skip on 11 fields',
    send: as(social, `{ ${Array.from({ length: 11 }, () => '__typename @skip(if: false)').join(' ')} }`),
    expect: refused('MAX_DIRECTIVES', /Directives limit of 10 exceeded, found 11/),
  },
  {
    name: 'the same directive repeated 50 times on one field',
    send: as(social, `{ __typename ${'@include(if: true) '.repeat(50)}}`),
    expect: refused('MAX_DIRECTIVES', /found 50/),
  },
  {
    name: 'token flood: 2,100 fields',
    send: as(social, `{ ${'__typename '.repeat(2100)}}`),
    expect: refused('GRAPHQL_PARSE_FAILED', /more that 2000 tokens/),
  },
  { name: 'unknown directive', send: as(social, '{ me @debug { canManageStaff } }'), expect: invalid(/Unknown directive "@debug"/) },
  // Huge lists and pages
  {
    name: 'page size of 100,000',
    send: as(social, '{ returnees(first: 100000) { totalCount } }'),
    expect: inResolver('BAD_USER_INPUT', /first must be between 1 and 100/),
  },
  {
    name: 'page size of 101 in a variable',
    send: as(social, 'query($n: Int!) { returnees(first: $n) { totalCount } }', { n: 101 }),
    expect: inResolver('BAD_USER_INPUT', /first must be between 1 and 100/),
  },
  {
    name: 'negative page size',
    send: as(social, '{ referrals(first: -5) { totalCount } }'),
    expect: inResolver('BAD_USER_INPUT', /first must be between 1 and 100/),
  },
  {
    name: 'page size past 32-bit Int',
    send: as(auditor, '{ auditEvents(first: 99999999999) { totalCount } }'),
    expect: invalid(/Int cannot represent non 32-bit signed integer/),
  },
  {
    name: 'history page of 10,000',
    send: (c) =>
      postJson(
        c.hub,
        op('query($id: ID!) { returneeHistory(returneeId: $id, first: 10000) { __typename } }', { id: c.consented.id }),
        bearer(c.social.token),
      ),
    expect: inResolver('BAD_USER_INPUT', /first must be between 1 and 200/),
  },
  {
    name: '10,000 other names in one record',
    send: as(social, 'mutation($input: RegisterReturneeInput!) { registerReturnee(input: $input) { returnee { id } } }', {
      input: {
        givenName: 'Madina',
        familyName: 'Karimova',
        sex: 'FEMALE',
        dateOfBirth: '1990-04-02',
        otherNames: Array.from({ length: 10_000 }, (_, i) => `n${i}`),
      },
    }),
    expect: inResolver('BAD_USER_INPUT', /otherNames must contain no more than 20 elements/),
  },
  {
    name: 'a list nested 20,000 deep in variables',
    send: (c) =>
      raw(c.hub, {
        headers: { 'content-type': 'application/json', ...bearer(c.social.token) },
        body: `{"query":"query($s: [Sector!]) { agencies(filter: { sector: $s }) { id } }","variables":{"s":${'['.repeat(20000)}${']'.repeat(20000)}}}`,
      }),
    expect: coercion(),
  },
  // Batches
  {
    name: 'batched array of two operations',
    send: (c) => postJson(c.hub, [op('{ me { canManageStaff } }'), op('{ me { canManageStaff } }')], bearer(c.social.token)),
    expect: refused('BATCH_NOT_ALLOWED', /send one operation per request/),
  },
  {
    name: 'batched array of 1,000 login probes',
    send: (c) =>
      postJson(
        c.hub,
        Array.from({ length: 1000 }, () => op('{ me { canManageStaff } }')),
      ),
    expect: refused('BATCH_NOT_ALLOWED'),
  },
  {
    name: 'two operations in one document without operationName',
    send: as(social, 'query A { __typename } query B { __typename }'),
    expect: refused('OPERATION_RESOLUTION_FAILURE', /Must provide operation name/),
  },
  // Tokens
  {
    name: 'alg: none token naming a real user',
    send: (c) =>
      postJson(
        c.hub,
        op('{ me { canManageStaff } }'),
        bearer(`${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: c.social.staff.username, exp: 4102444800 })}.`),
      ),
    expect: unauthenticated(/not valid/),
  },
  {
    name: 'token signed with another key',
    send: async (c) =>
      postJson(
        c.hub,
        op('{ me { canManageStaff } }'),
        bearer(await hs256('another-secret-another-secret-another', c.social.staff.username)),
      ),
    expect: unauthenticated(/not valid/),
  },
  {
    name: 'token with alg HS512 and the right secret',
    send: async (c) =>
      postJson(c.hub, op('{ me { canManageStaff } }'), bearer(await hs256(TEST_JWT_SECRET, c.social.staff.username, { alg: 'HS512' }))),
    expect: unauthenticated(/not valid/),
  },
  {
    name: 'token claiming RS256 (key confusion)',
    send: (c) =>
      postJson(
        c.hub,
        op('{ me { canManageStaff } }'),
        bearer(`${b64({ alg: 'RS256' })}.${b64({ sub: c.social.staff.username, exp: 4102444800 })}.c2lnbmF0dXJl`),
      ),
    expect: unauthenticated(/not valid/),
  },
  {
    name: 'expired token',
    send: async (c) =>
      postJson(
        c.hub,
        op('{ me { canManageStaff } }'),
        bearer(await hs256(TEST_JWT_SECRET, c.social.staff.username, { alg: 'HS256' }, Math.floor(Date.now() / 1000) - 60)),
      ),
    expect: unauthenticated(/expired/),
  },
  {
    name: 'token of a deactivated staff member',
    send: (c) => postJson(c.hub, op('{ me { canManageStaff } }'), bearer(c.deactivatedToken)),
    expect: unauthenticated(/unknown or deactivated/),
  },
  {
    name: 'token for a username that does not exist',
    send: async (c) => postJson(c.hub, op('{ me { canManageStaff } }'), bearer(await hs256(TEST_JWT_SECRET, "admin' --"))),
    expect: unauthenticated(/unknown or deactivated/),
  },
  {
    name: 'signed token whose sub holds a NUL',
    send: async (c) =>
      postJson(c.hub, op('{ me { canManageStaff } }'), bearer(await hs256(TEST_JWT_SECRET, `${c.social.staff.username}\u0000`))),
    expect: unauthenticated(/unknown or deactivated/),
  },
  {
    name: 'token with a payload that is not JSON',
    send: (c) => postJson(c.hub, op('{ me { canManageStaff } }'), bearer(`${b64({ alg: 'HS256' })}.bm90IGpzb24.c2ln`)),
    expect: unauthenticated(/not valid/),
  },
  {
    name: '8 KB garbage bearer token',
    send: (c) => postJson(c.hub, op('{ me { canManageStaff } }'), bearer('x'.repeat(8192))),
    expect: unauthenticated(),
  },
  {
    name: 'Basic credentials instead of a bearer token',
    send: (c) =>
      postJson(c.hub, op('{ me { canManageStaff } }'), { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` }),
    expect: unauthenticated(/Bearer <token>/),
  },
  {
    name: 'anonymous introspection',
    send: (c) => postJson(c.hub, op('{ __schema { types { name } } }')),
    expect: { status: 401, code: 'UNAUTHENTICATED', reason: 'INTROSPECTION_REQUIRES_AUTH' },
  },
  {
    name: 'field-name probing for suggestions (production)',
    send: as(social, '{ me { staf { id } } }'),
    expect: invalid(/^Cannot query field "staf" on type "Me"\.$/),
  },
  // Bodies
  {
    name: 'oversized body (100 KiB + 1)',
    send: (c) =>
      raw(c.hub, {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(102_400) } }),
      }),
    expect: { status: 413, code: 'BAD_USER_INPUT', reason: 'BODY_TOO_LARGE' },
  },
  {
    name: 'gzip-encoded body',
    send: (c) =>
      raw(c.hub, {
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0]),
      }),
    expect: { status: 415, code: 'BAD_USER_INPUT', reason: 'UNSUPPORTED_MEDIA_TYPE' },
  },
  {
    name: 'malformed JSON body',
    send: (c) => raw(c.hub, { headers: { 'content-type': 'application/json' }, body: '{"query": "{ __typename }"' }),
    expect: refused('MALFORMED_JSON'),
  },
  {
    name: 'JSON body that is a bare string',
    send: (c) => raw(c.hub, { headers: { 'content-type': 'application/json' }, body: '"{ __typename }"' }),
    expect: refused('MALFORMED_JSON'),
  },
  {
    name: 'variables that are not an object',
    send: (c) => postJson(c.hub, { query: '{ __typename }', variables: '{"a":1}' }),
    expect: refused('BAD_REQUEST'),
  },
  {
    name: 'prototype keys in variables',
    send: as(
      social,
      'mutation($input: RegisterReturneeInput!) { registerReturnee(input: $input) { returnee { id } } }',
      JSON.parse(
        '{"input":{"givenName":"Madina","familyName":"Karimova","sex":"FEMALE","dateOfBirth":"1990-04-02","__proto__":{"registeringAgencyId":"x"}}}',
      ),
    ),
    expect: coercion(/Field "__proto__" is not defined/),
  },
  // CSRF-shaped requests
  {
    name: 'text/plain POST (a cross-site "simple" request)',
    send: (c) =>
      raw(c.hub, {
        headers: { 'content-type': 'text/plain', ...bearer(c.social.token) },
        body: JSON.stringify(op('mutation { deactivateStaffMember(id: "00000000-0000-4000-8000-000000000000") { id } }')),
      }),
    expect: { status: 415, code: 'BAD_USER_INPUT', reason: 'UNSUPPORTED_MEDIA_TYPE' },
  },
  {
    name: 'form POST',
    send: (c) =>
      raw(c.hub, {
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...bearer(c.social.token) },
        body: 'query=mutation%20%7B%20__typename%20%7D',
      }),
    expect: { status: 415, code: 'BAD_USER_INPUT', reason: 'UNSUPPORTED_MEDIA_TYPE' },
  },
  {
    name: 'multipart form POST',
    send: (c) =>
      raw(c.hub, {
        headers: { 'content-type': 'multipart/form-data; boundary=x', ...bearer(c.social.token) },
        body: '--x\r\nContent-Disposition: form-data; name="query"\r\n\r\n{ __typename }\r\n--x--',
      }),
    expect: { status: 415, code: 'BAD_USER_INPUT', reason: 'UNSUPPORTED_MEDIA_TYPE' },
  },
  {
    name: 'simple GET without a preflight header',
    send: (c) =>
      raw(c.hub, {
        method: 'GET',
        path: `/graphql?query=${encodeURIComponent('{ me { canManageStaff } }')}`,
        headers: bearer(c.social.token),
      }),
    expect: refused('BAD_REQUEST', /Cross-Site Request Forgery/),
  },
  {
    name: 'mutation over GET',
    send: (c) =>
      raw(c.hub, {
        method: 'GET',
        path: `/graphql?query=${encodeURIComponent('mutation { deactivateStaffMember(id: "00000000-0000-4000-8000-000000000000") { id } }')}`,
        headers: { ...bearer(c.admin), 'apollo-require-preflight': 'true' },
      }),
    expect: { status: 405, code: 'BAD_USER_INPUT', message: /GET requests only support query operations/ },
  },
  {
    name: 'PUT with a JSON body',
    send: (c) => raw(c.hub, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(op('{ __typename }')) }),
    expect: { status: 405, code: 'BAD_USER_INPUT', reason: 'METHOD_NOT_ALLOWED' },
  },
  // Oracles: filtering or sorting by what the caller may not read
  {
    name: 'filter by a field the caller never reads (EDUCATION by region)',
    send: as(edu, '{ returnees(filter: { region: "Aqtobe" }) { totalCount } }'),
    expect: inResolver('FORBIDDEN', /may not filter or sort by fields your sector cannot read/),
  },
  {
    name: 'sort by a field readable only under consent (EDUCATION by familyName)',
    send: as(edu, '{ returnees(orderBy: { field: FAMILY_NAME }) { nodes { id } } }'),
    expect: inResolver('FORBIDDEN', /orderBy familyName/),
  },
  {
    name: 'name search reaching a record without consent',
    send: (c) =>
      postJson(
        c.hub,
        op('query($s: String!) { returnees(filter: { search: $s }) { totalCount nodes { id } } }', { s: c.oracleName }),
        bearer(c.edu.token),
      ),
    expect: { status: 200, code: undefined as unknown as string },
    after: async (c, res) => expect(res.json?.data.returnees).toEqual({ totalCount: 1, nodes: [{ id: c.consented.id }] }),
  },
  {
    name: "auditor filtering the trail by another country's returnee",
    send: as(auditor, 'query($id: ID!) { disclosureReport(returneeId: $id) { eventCount } }', {
      id: '00000000-0000-4000-8000-000000000000',
    }),
    expect: inResolver('NOT_FOUND'),
  },
  // Mass assignment
  {
    name: 'writing a field of another sector (EDUCATION sets address)',
    send: (c) =>
      postJson(
        c.hub,
        op('mutation($id: ID!) { updateReturnee(id: $id, expectedVersion: 1, input: { address: "Elsewhere" }) { returnee { id } } }', {
          id: c.consented.id,
        }),
        bearer(c.edu.token),
      ),
    expect: inResolver('FORBIDDEN', /may not write: address/),
    after: unchanged,
  },
  {
    name: 'an input field the schema does not have (country)',
    send: (c) =>
      postJson(
        c.hub,
        op('mutation($id: ID!) { updateReturnee(id: $id, expectedVersion: 1, input: { country: "UZ" }) { returnee { id } } }', {
          id: c.consented.id,
        }),
        bearer(c.social.token),
      ),
    expect: invalid(/Field "country" is not defined by type "UpdateReturneeInput"/),
    after: unchanged,
  },
  {
    name: 'smuggled keys in variables (registeringAgencyId, version, caseNumber)',
    send: (c) =>
      postJson(
        c.hub,
        op(
          'mutation($id: ID!, $input: UpdateReturneeInput!) { updateReturnee(id: $id, expectedVersion: 1, input: $input) { returnee { id } } }',
          { id: c.consented.id, input: { region: 'Aqtobe', registeringAgencyId: c.edu.agency.id, version: 99, caseNumber: 'X-1' } },
        ),
        bearer(c.social.token),
      ),
    expect: coercion(/Field "registeringAgencyId" is not defined by type "UpdateReturneeInput"/),
    after: unchanged,
  },
  {
    name: 'a caseworker creating an ADMIN',
    send: (c) =>
      postJson(
        c.hub,
        op(
          'mutation($a: ID!) { createStaffMember(input: { username: "mallory", displayName: "Mallory", agencyId: $a, roles: [ADMIN] }) { id } }',
          { a: c.social.agency.id },
        ),
        bearer(c.social.token),
      ),
    expect: inResolver('FORBIDDEN'),
  },
  // Injection-shaped values
  {
    name: "SQL in an id ('1' OR '1'='1)",
    send: as(social, `{ returnee(id: "1' OR '1'='1") { id } }`),
    expect: inResolver('BAD_USER_INPUT', /id must be a UUID/),
  },
  {
    name: 'forged cursor with SQL as the sort value',
    send: as(social, 'query($a: String!) { returnees(after: $a, orderBy: { field: DATE_OF_BIRTH }) { totalCount } }', {
      a: b64(["1990-01-01' OR 1=1 --", '00000000-0000-4000-8000-000000000000']),
    }),
    expect: inResolver('BAD_USER_INPUT', /after is not a cursor this hub issued/),
  },
  {
    name: 'forged audit cursor past bigint',
    send: as(auditor, 'query($a: String!) { auditEvents(after: $a) { totalCount } }', {
      a: b64(['2024-01-01T00:00:00.000000Z', '99999999999999999999'.slice(0, 19)]),
    }),
    expect: inResolver('BAD_USER_INPUT', /after is not a cursor/),
  },
  {
    name: 'NUL byte in a name',
    send: as(
      social,
      'mutation { registerReturnee(input: { givenName: "Madina", familyName: "Karimova", patronymic: "Ma\\u0000", sex: FEMALE, dateOfBirth: "1990-04-02" }) { returnee { id } } }',
    ),
    expect: inResolver('BAD_USER_INPUT', /control character \(U\+0000\)/),
  },
  {
    name: 'over-long purpose of use header',
    send: (c) => postJson(c.hub, op('{ me { canManageStaff } }'), { ...bearer(c.social.token), 'x-purpose-of-use': 'p'.repeat(201) }),
    expect: { status: 400, code: 'BAD_USER_INPUT', message: /at most 200 characters/ },
  },
];
