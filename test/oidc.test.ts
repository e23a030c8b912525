import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import pino from 'pino';
import { createOidcVerifier } from '../src/auth/oidc';
import { createTokenVerifier } from '../src/auth/token-verifier';
import { ConfigError, loadConfig } from '../src/config';
import type { HubServer } from '../src/server';
import { StaffMember } from '../src/staff/staff.entity';
import { auditRowsFor } from './support/audit';
import { makeReturnee, makeSectorUser, type StaffFixture } from './support/factories';
import { errorCode, gql, startHub, TEST_JWT_SECRET, tokenFor } from './support/hub';

/**
 * OIDC issuers beside the HS256 contract: an identity provider served by this test over
 * real HTTP (discovery document + JWKS), tokens signed RS256 and EdDSA with its keys, and
 * every way a token must be refused. Accepted tokens act as the mapped staff member, whose
 * reads are audited under their own id.
 */
interface KeyPair {
  publicKey: KeyLike;
  privateKey: KeyLike;
}

const AUDIENCE = 'hub-api';
const log = pino({ level: 'silent' });
let idp: http.Server;
let base: string;
/** Path -> how often the hub fetched it (proves the key set is cached). */
const hits = new Map<string, number>();
/** Realm -> the issuer its discovery document claims (to test a lying document). */
const claimedIssuer = new Map<string, string>();
let rsa: KeyPair;
let ed: KeyPair;
let stranger: KeyPair;
let jwks: { keys: object[] };

const issuerOf = (realm: string) => `${base}/realms/${realm}`;

async function startIdp(): Promise<void> {
  idp = http.createServer((req, res) => {
    const path = req.url ?? '';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const discovery = /^\/realms\/([a-z-]+)\/\.well-known\/openid-configuration$/.exec(path);
    if (discovery) {
      const realm = discovery[1];
      const body = { issuer: claimedIssuer.get(realm) ?? issuerOf(realm), jwks_uri: `${issuerOf(realm)}/protocol/openid-connect/certs` };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    } else if (/^\/realms\/[a-z-]+\/protocol\/openid-connect\/certs$/.test(path)) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
}

interface TokenSpec {
  key?: KeyLike;
  alg?: string;
  kid?: string;
  iss?: string;
  aud?: string;
  exp?: number | null;
  claims?: Record<string, unknown>;
}

async function idpToken(username: string, spec: TokenSpec = {}): Promise<string> {
  const {
    key = rsa.privateKey,
    alg = 'RS256',
    kid = 'rsa-1',
    iss = issuerOf('hub'),
    aud = AUDIENCE,
    exp = Math.floor(Date.now() / 1000) + 300,
    claims,
  } = spec;
  const jwt = new SignJWT({ preferred_username: username, ...claims })
    .setProtectedHeader({ alg, kid, typ: 'JWT' })
    .setIssuer(iss)
    .setAudience(aud)
    .setSubject('f4c1e9a2-0d5b-4c1e-9a77-3f0c2b1d8e55') // an IdP's opaque user id, not a username
    .setIssuedAt();
  if (exp !== null) jwt.setExpirationTime(exp);
  return jwt.sign(key);
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

let hub: HubServer;
let social: StaffFixture;
const ME = '{ me { staff { username agency { code } } } }';

beforeAll(async () => {
  [rsa, ed, stranger] = await Promise.all([generateKeyPair('RS256'), generateKeyPair('EdDSA'), generateKeyPair('RS256')]);
  jwks = {
    keys: [
      { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ed.publicKey)), kid: 'ed-1', alg: 'EdDSA', use: 'sig' },
    ],
  };
  await startIdp();
  hub = await startHub({
    HUB_OIDC_ISSUER: issuerOf('hub'),
    HUB_OIDC_JWKS_URL: `${issuerOf('hub')}/protocol/openid-connect/certs`,
    HUB_OIDC_AUDIENCE: AUDIENCE,
  });
  social = await makeSectorUser(hub.db.orm, 'SOCIAL');
});
afterAll(async () => {
  await hub?.stop();
  await new Promise((resolve) => idp?.close(resolve));
});

describe('tokens of the configured issuer', () => {
  it.each([
    ['RS256', () => ({ key: rsa.privateKey, alg: 'RS256', kid: 'rsa-1' })],
    ['EdDSA', () => ({ key: ed.privateKey, alg: 'EdDSA', kid: 'ed-1' })],
  ])('accepts an %s token and acts as the staff member its preferred_username names', async (_alg, spec) => {
    const user = await makeSectorUser(hub.db.orm, 'HEALTH');
    const res = await gql(hub, await idpToken(user.staff.username, spec()), ME);
    expect(res.errors).toBeUndefined();
    expect(res.data.me.staff).toEqual({ username: user.staff.username, agency: { code: user.agency.code } });
    expect(await auditRowsFor(user.staff.id)).toMatchObject([
      { operation: 'me', action: 'READ', agency_id: user.agency.id, outcome: 'SUCCESS' },
    ]);
  });

  it('audits the reads of a returnee under the mapped staff member and the purpose sent', async () => {
    const returnee = await makeReturnee(hub.db.orm, social.agency, { givenName: 'Zarina' });
    const token = await idpToken(social.staff.username);
    const res = await gql(
      hub,
      token,
      'query($id: ID!) { returnee(id: $id) { caseNumber givenName } }',
      { id: returnee.id },
      { 'x-purpose-of-use': 'Benefit eligibility review' },
    );
    expect(res.data.returnee).toEqual({ caseNumber: returnee.caseNumber, givenName: 'Zarina' });
    const reads = (await auditRowsFor(social.staff.id)).filter((e) => e.returnee_id === returnee.id);
    expect(reads).toMatchObject([
      { action: 'READ', outcome: 'SUCCESS', entity_type: 'Returnee', agency_id: social.agency.id, purpose: 'Benefit eligibility review' },
    ]);
    expect(reads[0].fields).toEqual(expect.arrayContaining(['caseNumber', 'givenName']));
  });

  it('still accepts the HS256 tokens of the contract', async () => {
    const res = await gql(hub, await tokenFor(social.staff.username), ME);
    expect(res.data.me.staff.username).toBe(social.staff.username);
  });

  it('takes roles and agency from the database: a deactivated staff member is refused despite a valid token', async () => {
    const user = await makeSectorUser(hub.db.orm, 'NGO');
    const em = hub.db.orm.em.fork();
    Object.assign(await em.findOneOrFail(StaffMember, user.staff.id), { active: false, deactivatedAt: new Date() });
    await em.flush();
    const res = await gql(hub, await idpToken(user.staff.username), ME);
    expect(errorCode(res)).toBe('UNAUTHENTICATED');
    expect(res.errors![0].message).toMatch(/no active staff member/);
  });
});

describe('refusals', () => {
  const now = () => Math.floor(Date.now() / 1000);
  it.each<[string, (username: string) => Promise<string>, RegExp]>([
    [
      'a token from another issuer',
      (u) => idpToken(u, { iss: issuerOf('elsewhere') }),
      /not issued by the identity provider this hub trusts/,
    ],
    [
      'a token for another audience',
      (u) => idpToken(u, { aud: 'reporting-app' }),
      /not issued for this hub: its aud must include "hub-api"/,
    ],
    [
      'a token signed by a key the issuer does not publish (unknown kid)',
      (u) => idpToken(u, { key: stranger.privateKey, kid: 'rsa-9' }),
      /unknown kid/,
    ],
    ['a token with a published kid but another key', (u) => idpToken(u, { key: stranger.privateKey, kid: 'rsa-1' }), /not valid/],
    ['an expired token', (u) => idpToken(u, { exp: now() - 120 }), /expired/],
    ['a token without exp', (u) => idpToken(u, { exp: null }), /missing a required claim: exp/],
    [
      'an alg:none token',
      async (u) =>
        `${b64({ alg: 'none', kid: 'rsa-1' })}.${b64({ preferred_username: u, iss: issuerOf('hub'), aud: AUDIENCE, exp: now() + 300 })}.`,
      /not valid/,
    ],
    [
      'an HS256 token signed with the issuer public key (algorithm confusion)',
      async (u) => idpToken(u, { alg: 'HS256', key: new TextEncoder().encode(await exportSPKI(rsa.publicKey)) as unknown as KeyLike }),
      /not valid/,
    ],
    ['an RS384 token', async (u) => idpToken(u, { alg: 'RS384' }), /signed with RS256 or EdDSA/],
    [
      'a token whose username claim is missing',
      (u) => idpToken(u, { claims: { preferred_username: undefined } }),
      /no usable preferred_username claim/,
    ],
    ['a token naming an unknown staff member', () => idpToken('nobody-at-all'), /no active staff member/],
    ['garbage', async () => 'not-a-jwt', /not valid/],
  ])('refuses %s as UNAUTHENTICATED with a reason, and records nothing as that person', async (_name, make, message) => {
    const user = await makeSectorUser(hub.db.orm, 'SOCIAL');
    const res = await gql(hub, await make(user.staff.username), ME);
    expect(errorCode(res)).toBe('UNAUTHENTICATED');
    expect(res.status).toBe(401);
    expect(res.errors![0].message).toMatch(message);
    expect(res.data).toBeUndefined();
    expect(await auditRowsFor(user.staff.id)).toEqual([]);
  });

  it('fetches the key set from HUB_OIDC_JWKS_URL and serves later tokens from its cache', async () => {
    const certs = '/realms/hub/protocol/openid-connect/certs';
    const before = hits.get(certs);
    expect(before).toBeGreaterThanOrEqual(1); // at least once; again only for an unknown kid after jose's 30 s cool-down
    for (const spec of [{}, { key: ed.privateKey, alg: 'EdDSA', kid: 'ed-1' }, {}, {}]) {
      expect((await gql(hub, await idpToken(social.staff.username, spec), ME)).errors).toBeUndefined();
    }
    expect(hits.get(certs)).toBe(before);
    expect(hits.get('/realms/hub/.well-known/openid-configuration')).toBeUndefined();
  });
});

describe('an issuer found by discovery, with a custom username claim', () => {
  let discovered: HubServer;
  beforeAll(async () => {
    discovered = await startHub({
      HUB_OIDC_ISSUER: issuerOf('agency'),
      HUB_OIDC_AUDIENCE: AUDIENCE,
      HUB_OIDC_USERNAME_CLAIM: 'hub_username',
    });
  });
  afterAll(() => discovered?.stop());

  it('reads jwks_uri from the discovery document and maps the configured claim, not preferred_username', async () => {
    const user = await makeSectorUser(discovered.db.orm, 'EDUCATION');
    const token = await idpToken(social.staff.username, {
      iss: issuerOf('agency'),
      key: ed.privateKey,
      alg: 'EdDSA',
      kid: 'ed-1',
      claims: { hub_username: user.staff.username },
    });
    const res = await gql(discovered, token, ME);
    expect(res.data.me.staff.username).toBe(user.staff.username);
    expect(await auditRowsFor(user.staff.id)).toHaveLength(1);
    expect(await auditRowsFor(social.staff.id)).toEqual(
      expect.not.arrayContaining([expect.objectContaining({ request_id: res.headers.get('x-request-id') })]),
    );
    expect(hits.get('/realms/agency/.well-known/openid-configuration')).toBe(1);
    expect(hits.get('/realms/agency/protocol/openid-connect/certs')).toBe(1);
  });
});

describe('the verifier on its own', () => {
  const config = (realm: string, extra: Record<string, string> = {}) =>
    loadConfig({ NODE_ENV: 'test', HUB_OIDC_ISSUER: issuerOf(realm), HUB_OIDC_AUDIENCE: AUDIENCE, ...extra }).oidc!;

  it('refuses a discovery document that names another issuer, and tries again on the next token', async () => {
    claimedIssuer.set('liar', 'https://evil.example/realms/hub');
    const verifier = createOidcVerifier(config('liar'), log);
    const token = await idpToken('anyone', { iss: issuerOf('liar') });
    await expect(verifier.verifyOrThrow(token)).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
      message: expect.stringMatching(/could not fetch the identity provider's signing keys/),
    });
    claimedIssuer.delete('liar');
    await expect(verifier.verifyOrThrow(token)).resolves.toBe('anyone');
    expect(hits.get('/realms/liar/.well-known/openid-configuration')).toBe(2);
  });

  it('refuses every token while the key set cannot be fetched (issuer down), without crashing', async () => {
    const verifier = createOidcVerifier(config('down', { HUB_OIDC_JWKS_URL: 'http://127.0.0.1:9/certs' }), log);
    await expect(verifier.verifyOrThrow(await idpToken('anyone', { iss: issuerOf('down') }))).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
      message: expect.stringMatching(/could not fetch/),
    });
  });

  it('without an issuer configured, only HS256 tokens of the hub are accepted', async () => {
    const verify = createTokenVerifier(TEST_JWT_SECRET);
    await expect(verify(await tokenFor('someone'))).resolves.toBe('someone');
    await expect(verify(await idpToken('someone'))).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });
});

describe('configuration', () => {
  const load = (env: Record<string, string>) => () => loadConfig({ NODE_ENV: 'test', ...env });
  it('is off unless HUB_OIDC_ISSUER is set, and maps preferred_username by default', () => {
    expect(load({})().oidc).toBeUndefined();
    expect(load({ HUB_OIDC_ISSUER: 'https://id.example.org/realms/hub', HUB_OIDC_AUDIENCE: 'hub' })().oidc).toEqual({
      issuer: 'https://id.example.org/realms/hub',
      audience: 'hub',
      usernameClaim: 'preferred_username',
      jwksUrl: undefined,
      jwksCacheMaxAgeMs: 600_000,
    });
  });

  it.each([
    [{ HUB_OIDC_ISSUER: 'https://id.example.org' }, /HUB_OIDC_AUDIENCE is required/],
    [{ HUB_OIDC_AUDIENCE: 'hub' }, /set without HUB_OIDC_ISSUER/],
    [{ HUB_OIDC_ISSUER: 'id.example.org', HUB_OIDC_AUDIENCE: 'hub' }, /absolute URL/],
    [
      { NODE_ENV: 'production', HUB_JWT_SECRET: 'x'.repeat(32), HUB_OIDC_ISSUER: 'http://id.example.org', HUB_OIDC_AUDIENCE: 'hub' },
      /https/,
    ],
    [{ HUB_OIDC_ISSUER: 'https://id.example.org', HUB_OIDC_AUDIENCE: 'hub', HUB_OIDC_USERNAME_CLAIM: 'a b' }, /claim name/],
    [{ HUB_OIDC_ISSUER: 'https://id.example.org', HUB_OIDC_AUDIENCE: 'hub', HUB_OIDC_JWKS_CACHE_S: '1' }, /HUB_OIDC_JWKS_CACHE_S/],
  ])('refuses to start on %j', (env, message) => {
    expect(load(env)).toThrow(ConfigError);
    expect(load(env)).toThrow(message);
  });
});
