import { getIntrospectionQuery } from 'graphql';
import { ConfigError, loadConfig } from '../src/config';
import type { HubServer } from '../src/server';
import { makeReturnee, makeSectorUser, type StaffFixture } from './support/factories';
import { sqlClient, startHub } from './support/hub';
import { firstError, postJson, raw, type RawResponse } from './support/raw-http';

/**
 * Each limit of docs/limits.md at its edge: the largest request it allows is answered, the
 * first one past it is refused with BAD_USER_INPUT (or the documented code), a reason naming
 * the limit and a message that says what to do. The hub under test runs with small limits so
 * the edges are easy to build; a second hub with the defaults shows real clients fit in them.
 */
const LIMITS = {
  HUB_MAX_DEPTH: '4',
  HUB_MAX_ALIASES: '3',
  HUB_MAX_DIRECTIVES: '3',
  HUB_MAX_TOKENS: '50',
  HUB_MAX_COST: '84',
  HUB_MAX_BODY_BYTES: '2048',
  HUB_STATEMENT_TIMEOUT_MS: '1500',
};

let hub: HubServer;
let defaults: HubServer;
let health: StaffFixture;
let token: string;

beforeAll(async () => {
  // NODE_ENV=production: field suggestions are off there by default.
  [hub, defaults] = await Promise.all([startHub({ ...LIMITS, NODE_ENV: 'production' }), startHub()]);
  health = await makeSectorUser(hub.db.orm, 'HEALTH');
  token = health.token;
});
afterAll(async () => {
  await hub?.stop();
  await defaults?.stop();
});

/** `as: null` asks anonymously. */
const ask = (query: string, variables: Record<string, unknown> = {}, h = hub, as: string | null = token) =>
  postJson(h, { query, variables }, as ? { authorization: `Bearer ${as}` } : {});

function expectAnswered(res: RawResponse) {
  expect(res.json?.errors).toBeUndefined();
  expect(res.status).toBe(200);
}

function expectRefused(res: RawResponse, reason: string, message: RegExp, status = 400) {
  expect(res.status).toBe(status);
  expect(res.json?.data).toBeUndefined();
  expect(res.json?.errors).toHaveLength(1);
  expect(firstError(res)).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', reason } });
  expect(firstError(res)!.message).toMatch(message);
}

describe('depth (HUB_MAX_DEPTH)', () => {
  it('answers a query nested exactly to the limit, fragments not counting as levels', async () => {
    expectAnswered(await ask('{ me { staff { agency { code } } } }'));
    expectAnswered(await ask('{ me { ...S } } fragment S on Me { staff { ... on StaffMember { agency { code } } } }'));
  });

  it('refuses one level more', async () => {
    const res = await ask('{ returnees { edges { node { registeringAgency { code } } } } }');
    expectRefused(res, 'MAX_DEPTH', /^Query depth limit of 4 exceeded, found 5: ask for less deeply nested fields$/);
    expect(firstError(res)!.extensions).toMatchObject({ limit: 4, found: 5 });
  });
});

describe('aliases (HUB_MAX_ALIASES)', () => {
  it('answers three aliases and refuses a fourth, also when hidden in a fragment', async () => {
    expectAnswered(await ask('{ a: me { canManageStaff } b: me { canManageStaff } c: me { canManageStaff } }'));
    expectRefused(
      await ask('{ a: me { canManageStaff } b: me { canManageStaff } c: me { canManageStaff } d: me { canManageStaff } }'),
      'MAX_ALIASES',
      /^Aliases limit of 3 exceeded, found 4: use fewer aliases/,
    );
    expectRefused(
      await ask(
        '{ a: me { canManageStaff } b: me { canManageStaff } ...F } fragment F on Query { c: me { canManageStaff } d: __typename }',
      ),
      'MAX_ALIASES',
      /found 4/,
    );
  });
});

describe('directives (HUB_MAX_DIRECTIVES)', () => {
  it('answers three directives and refuses a fourth', async () => {
    expectAnswered(await ask('{ me @include(if: true) { staff @skip(if: false) { id @include(if: true) } } }'));
    expectRefused(
      await ask('{ me @include(if: true) { staff @skip(if: false) { id @include(if: true) username @skip(if: false) } } }'),
      'MAX_DIRECTIVES',
      /^Directives limit of 3 exceeded, found 4: use fewer directives$/,
    );
  });
});

describe('tokens (HUB_MAX_TOKENS)', () => {
  const doc = (n: number) => `{ ${Array.from({ length: n - 2 }, () => '__typename').join(' ')} }`;

  it('parses a document of exactly the limit and refuses one token more, before building it', async () => {
    expectAnswered(await ask(doc(50), {}, hub, null));
    const res = await ask(doc(51), {}, hub, null);
    expect(res.status).toBe(400);
    expect(firstError(res)).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', reason: 'GRAPHQL_PARSE_FAILED' } });
    expect(firstError(res)!.message).toMatch(/Document contains more that 50 tokens/);
  });
});

describe('cost (HUB_MAX_COST)', () => {
  // Cost: every field 1, a paged field multiplies its selection by its page size.
  // returnees(first: n) { nodes { id } } = 1 + 2n; me { staff { id } } = 3; limit 84.
  const query = 'query Q($n: Int!) { returnees(first: $n) { nodes { id } } me { staff { id } } }';

  it('answers a query of exactly the limit and refuses one that costs one more', async () => {
    expectAnswered(await ask('{ returnees(first: 40) { nodes { id } } me { staff { id } } }'));
    const res = await ask('{ returnees(first: 40) { nodes { id } } me { staff { id username } } }');
    expectRefused(res, 'MAX_COST', /^Query cost limit of 84 exceeded, found 85: ask for fewer fields or smaller pages/);
    expect(firstError(res)!.extensions).toMatchObject({ limit: 84, found: 85 });
  });

  it('counts a page size given in a variable, so the same document is refused with a bigger page', async () => {
    expectAnswered(await ask(query, { n: 40 }));
    expectRefused(await ask(query, { n: 41 }), 'MAX_COST', /found 86/);
  });

  it('counts an omitted page size at the schema default (20)', async () => {
    expectAnswered(await ask('{ returnees { nodes { id } } me { staff { id } } }'));
    expectRefused(await ask('{ returnees { nodes { id caseNumber version givenName } } }'), 'MAX_COST', /found 101/);
  });
});

describe('request body (HUB_MAX_BODY_BYTES)', () => {
  const bodyOf = (bytes: number) => {
    const shell = JSON.stringify({ query: '{ __typename }', variables: { pad: '' } });
    return JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(bytes - shell.length) } });
  };

  it('reads a body of exactly the limit and refuses one byte more with 413', async () => {
    expect(Buffer.byteLength(bodyOf(2048))).toBe(2048);
    const ok = await raw(hub, { headers: { 'content-type': 'application/json' }, body: bodyOf(2048) });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ data: { __typename: 'Query' } });
    const res = await raw(hub, { headers: { 'content-type': 'application/json' }, body: bodyOf(2049) });
    expectRefused(res, 'BODY_TOO_LARGE', /^The request body is larger than 2048 bytes/, 413);
  });
});

describe('batched operations', () => {
  it('refuses an array of operations, even of one, with a clear message', async () => {
    for (const body of [[{ query: '{ __typename }' }], [{ query: '{ __typename }' }, { query: '{ __typename }' }]]) {
      expectRefused(
        await postJson(hub, body),
        'BATCH_NOT_ALLOWED',
        /^Batched operations are not accepted: send one operation per request$/,
      );
    }
  });
});

describe('execution time (HUB_STATEMENT_TIMEOUT_MS)', () => {
  it('stops a read that waits past the limit with TIMEOUT, and the hub answers the next request', async () => {
    const r = await makeReturnee(hub.db.orm, health.agency);
    const locker = await sqlClient();
    try {
      await locker.query('begin');
      await locker.query('lock table returnee in access exclusive mode');
      const res = await ask('query($id: ID!) { returnee(id: $id) { givenName } }', { id: r.id });
      expect(firstError(res)).toMatchObject({ extensions: { code: 'TIMEOUT' } });
      expect(firstError(res)!.message).toMatch(/took too long.*nothing was changed/);
      expect(res.json?.data).toEqual(null);
    } finally {
      await locker.query('rollback');
      await locker.end();
    }
    expectAnswered(await ask('query($id: ID!) { returnee(id: $id) { givenName } }', { id: r.id }));
  });

  it('stops a write that waits past the limit and writes nothing', async () => {
    const social = await makeSectorUser(hub.db.orm, 'SOCIAL');
    const mine = await makeReturnee(hub.db.orm, social.agency);
    const locker = await sqlClient();
    try {
      await locker.query('begin');
      await locker.query('select * from returnee where id = $1 for update', [mine.id]);
      const res = await postJson(
        hub,
        {
          query:
            'mutation($id: ID!) { updateReturnee(id: $id, expectedVersion: 1, input: { address: "5 Dostyk avenue" }) { returnee { address } } }',
          variables: { id: mine.id },
        },
        { authorization: `Bearer ${social.token}` },
      );
      expect(firstError(res)).toMatchObject({ extensions: { code: 'TIMEOUT' } });
    } finally {
      await locker.query('rollback');
      await locker.end();
    }
    const check = await sqlClient();
    try {
      const {
        rows: [row],
      } = await check.query('select address, version from returnee where id = $1', [mine.id]);
      expect(row).toEqual({ address: '12 Abay street', version: 1 });
      expect((await check.query('select count(*)::int as n from returnee_revision where returnee_id = $1', [mine.id])).rows[0].n).toBe(0);
    } finally {
      await check.end();
    }
  });
});

describe('introspection', () => {
  const introspection = getIntrospectionQuery();

  it('is refused to an anonymous caller as UNAUTHENTICATED, also when hidden in a fragment', async () => {
    for (const query of ['{ __schema { queryType { name } } }', '{ ...F } fragment F on Query { __type(name: "Returnee") { name } }']) {
      const res = await ask(query, {}, defaults, null);
      expect(res.status).toBe(401);
      expect(firstError(res)).toMatchObject({ extensions: { code: 'UNAUTHENTICATED', reason: 'INTROSPECTION_REQUIRES_AUTH' } });
      expect(res.json?.data).toBeUndefined();
    }
  });

  it('answers the standard introspection query of a signed-in caller within the default limits', async () => {
    const res = await ask(introspection, {}, defaults, (await makeSectorUser(defaults.db.orm, 'NGO')).token);
    expectAnswered(res);
    expect(res.json?.data.__schema.types.map((t: { name: string }) => t.name)).toContain('Returnee');
  });

  it('leaves __typename to everyone', async () => {
    expect((await ask('{ __typename }', {}, defaults, null)).json).toEqual({ data: { __typename: 'Query' } });
  });

  it('is refused to everyone with HUB_INTROSPECTION=off', async () => {
    const off = await startHub({ HUB_INTROSPECTION: 'off' });
    try {
      const res = await ask('{ __schema { queryType { name } } }', {}, off, (await makeSectorUser(off.db.orm, 'NGO')).token);
      expectRefused(res, 'INTROSPECTION_DISABLED', /^Introspection is turned off on this hub: use the published schema/);
    } finally {
      await off.stop();
    }
  });
});

describe('field suggestions', () => {
  it('are hidden in production, from validation and from variables alike', async () => {
    const field = await ask('{ me { staf { id } } }');
    expect(firstError(field)).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(firstError(field)!.message).toBe('Cannot query field "staf" on type "Me".');
    const value = await ask('query($s: Sector) { agencies(filter: { sector: $s }) { id } }', { s: 'HEALT' });
    expect(firstError(value)).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(firstError(value)!.message).not.toMatch(/Did you mean/);
    expect(firstError(value)!.message).toMatch(/Value "HEALT" does not exist in "Sector" enum/);
  });

  it('are given in development, where they help integrators', async () => {
    const res = await ask('{ me { staf { id } } }', {}, defaults, (await makeSectorUser(defaults.db.orm, 'NGO')).token);
    expect(firstError(res)!.message).toMatch(/Did you mean "staff"\?/);
  });
});

describe('CSRF prevention', () => {
  it('refuses form and text/plain posts (what a cross-site page can send) with 415', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await raw(hub, {
        headers: { 'content-type': type, authorization: `Bearer ${token}` },
        body: '{"query":"{ me { staff { id } } }"}',
      });
      expectRefused(res, 'UNSUPPORTED_MEDIA_TYPE', /Content-Type: application\/json/, 415);
    }
  });

  it('refuses a GET without a preflight header, and a mutation over GET even with one', async () => {
    const q = encodeURIComponent('{ me { staff { id } } }');
    const simple = await raw(hub, { method: 'GET', path: `/graphql?query=${q}`, headers: { authorization: `Bearer ${token}` } });
    expect(simple.status).toBe(400);
    expect(firstError(simple)).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', reason: 'BAD_REQUEST' } });
    expect(firstError(simple)!.message).toMatch(/Cross-Site Request Forgery/);
    const preflighted = await raw(hub, {
      method: 'GET',
      path: `/graphql?query=${q}`,
      headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' },
    });
    expect(preflighted.json?.data.me.staff.id).toBe(health.staff.id);
    const m = encodeURIComponent('mutation { deactivateStaffMember(id: "00000000-0000-4000-8000-000000000000") { id } }');
    const mutation = await raw(hub, {
      method: 'GET',
      path: `/graphql?query=${m}`,
      headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' },
    });
    expect(mutation.status).toBe(405);
    expect(firstError(mutation)).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(firstError(mutation)!.message).toMatch(/GET requests only support query operations/);
  });
});

describe('configuration', () => {
  const base = { NODE_ENV: 'test' };

  it('documents its defaults: docs/limits.md lists these values', () => {
    expect(loadConfig(base).limits).toEqual({
      maxDepth: 8,
      maxAliases: 15,
      maxDirectives: 10,
      maxTokens: 2000,
      maxCost: 20000,
      maxBodyBytes: 102400,
      statementTimeoutMs: 15000,
      fieldSuggestions: true,
      introspection: 'authenticated',
    });
    expect(loadConfig({ NODE_ENV: 'production', HUB_JWT_SECRET: 'x'.repeat(32) }).limits.fieldSuggestions).toBe(false);
    expect(loadConfig({ ...base, HUB_FIELD_SUGGESTIONS: 'off' }).limits.fieldSuggestions).toBe(false);
  });

  it.each([
    ['HUB_MAX_DEPTH', '1'],
    ['HUB_MAX_ALIASES', '-1'],
    ['HUB_MAX_COST', 'lots'],
    ['HUB_MAX_TOKENS', '10'],
    ['HUB_MAX_DIRECTIVES', '2.5'],
    ['HUB_MAX_BODY_BYTES', '0'],
    ['HUB_STATEMENT_TIMEOUT_MS', '0'],
    ['HUB_FIELD_SUGGESTIONS', 'yes'],
    ['HUB_INTROSPECTION', 'public'],
  ])('refuses to start with %s=%s', (name, value) => {
    expect(() => loadConfig({ ...base, [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, [name]: value })).toThrow(name);
  });
});
