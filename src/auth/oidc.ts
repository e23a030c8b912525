import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { unauthenticated, type HubError } from '../errors';
import type { Logger } from '../logger';
import { OIDC_ALGORITHMS, type OidcConfig } from './oidc-config';

/**
 * Tokens of an OpenID Connect issuer (Keycloak, Entra ID, an agency's own IdP), accepted
 * beside the hub's HS256 tokens. A token is checked against the issuer's published keys
 * (fetched once, cached, refetched when an unknown `kid` shows up after a cool-down), its
 * `iss`, `aud` and `exp`; the claim named by HUB_OIDC_USERNAME_CLAIM is the staff username.
 * As with HS256 tokens, roles and agency come from the database, never from the token.
 */
export interface OidcVerifier {
  readonly issuer: string;
  /** Returns the staff username the token names, or throws UNAUTHENTICATED saying why. */
  verifyOrThrow(token: string): Promise<string>;
}

/** The issuer's keys could not be had (down, slow, broken document): not the caller's fault. */
class KeySetUnavailable extends Error {}

const FETCH_TIMEOUT_MS = 5000;

/** OpenID Connect Discovery 1.0: the key set URL from the issuer's configuration document. */
async function discoverJwksUrl(issuer: string): Promise<URL> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let doc: { issuer?: unknown; jwks_uri?: unknown };
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`answered HTTP ${res.status}`);
    doc = (await res.json()) as typeof doc;
  } catch (error) {
    throw new KeySetUnavailable(`${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
  // Discovery §4.3: a document naming another issuer must not be used.
  if (doc.issuer !== issuer) throw new KeySetUnavailable(`${url} names issuer "${String(doc.issuer)}", not "${issuer}"`);
  if (typeof doc.jwks_uri !== 'string') throw new KeySetUnavailable(`${url} has no jwks_uri`);
  return new URL(doc.jwks_uri);
}

/** Errors of a key lookup that are about the token, not about reaching the issuer. */
const TOKEN_FAULTS = [joseErrors.JWKSNoMatchingKey, joseErrors.JWKSMultipleMatchingKeys, joseErrors.JOSENotSupported];

/** jose's remote key set (its own cache and cool-down), behind a lazily discovered URL. */
function issuerKeys(config: OidcConfig): JWTVerifyGetKey {
  let remote: Promise<JWTVerifyGetKey> | undefined;
  const load = (): Promise<JWTVerifyGetKey> => {
    if (!remote) {
      const pending = (config.jwksUrl ? Promise.resolve(new URL(config.jwksUrl)) : discoverJwksUrl(config.issuer)).then((url) =>
        createRemoteJWKSet(url, { cacheMaxAge: config.jwksCacheMaxAgeMs, timeoutDuration: FETCH_TIMEOUT_MS }),
      );
      remote = pending;
      pending.catch(() => {
        if (remote === pending) remote = undefined; // discover again on the next request
      });
    }
    return remote;
  };
  return async (header, token) => {
    try {
      return await (
        await load()
      )(header, token);
    } catch (error) {
      if (error instanceof KeySetUnavailable || TOKEN_FAULTS.some((kind) => error instanceof kind)) throw error;
      throw new KeySetUnavailable(error instanceof Error ? error.message : String(error));
    }
  };
}

function explain(error: unknown, config: OidcConfig, log: Logger): HubError {
  if (error instanceof KeySetUnavailable) {
    log.warn({ issuer: config.issuer, reason: error.message }, 'the OIDC issuer key set is unavailable');
    return unauthenticated(
      "The hub could not fetch the identity provider's signing keys: try again shortly, and tell an operator if it persists",
    );
  }
  if (error instanceof joseErrors.JWTExpired) return unauthenticated('The token has expired: ask for a new one');
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'iss')
      return unauthenticated(`The token was not issued by the identity provider this hub trusts (${config.issuer})`);
    if (error.claim === 'aud') return unauthenticated(`The token was not issued for this hub: its aud must include "${config.audience}"`);
    if (error.reason === 'missing') return unauthenticated(`The token is missing a required claim: ${error.claim}`);
    return unauthenticated(`The token's ${error.claim} claim is not valid: ${error.message}`);
  }
  if (error instanceof joseErrors.JWKSNoMatchingKey) {
    return unauthenticated('The token was signed with a key the identity provider does not publish (unknown kid): ask for a new token');
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) {
    return unauthenticated(`The token is not valid: tokens of the identity provider must be signed with ${OIDC_ALGORITHMS.join(' or ')}`);
  }
  if (error instanceof joseErrors.JOSEError) {
    return unauthenticated('The token is not valid: check that it is a current token from the identity provider this hub trusts');
  }
  throw error;
}

export function createOidcVerifier(config: OidcConfig, log: Logger): OidcVerifier {
  const keys = issuerKeys(config);
  const options = { issuer: config.issuer, audience: config.audience, algorithms: OIDC_ALGORITHMS, requiredClaims: ['exp'] };
  return {
    issuer: config.issuer,
    async verifyOrThrow(token: string): Promise<string> {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, options));
      } catch (error) {
        throw explain(error, config, log);
      }
      const username = payload[config.usernameClaim];
      if (typeof username !== 'string' || username.length === 0 || username.length > 64) {
        throw unauthenticated(`The token has no usable ${config.usernameClaim} claim: it must hold the staff username`);
      }
      return username;
    },
  };
}
