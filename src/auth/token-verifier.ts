import { decodeProtectedHeader } from 'jose';
import { unauthenticated } from '../errors';
import type { OidcVerifier } from './oidc';
import { verifyTokenOrThrow } from './token';

/** Bearer token -> staff username, or UNAUTHENTICATED with a reason. */
export type TokenVerifier = (token: string) => Promise<string>;

/**
 * Which check a token gets is decided by its header, and each check accepts only its own
 * algorithms: an HS256 token is always checked against HUB_JWT_SECRET (the contract), any
 * other token against the OIDC issuer's public keys (RS256 or EdDSA only). So a token signed
 * HS256 with the issuer's *public* key (algorithm confusion) fails the secret check, and
 * `alg: none` fails both. Without an OIDC issuer, every token takes the HS256 check as before.
 */
export function createTokenVerifier(jwtSecret: string, oidc?: OidcVerifier): TokenVerifier {
  return async (token) => {
    if (!oidc) return verifyTokenOrThrow(jwtSecret, token);
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw unauthenticated('The token is not valid: it is not a signed JWT');
    }
    return alg === 'HS256' ? verifyTokenOrThrow(jwtSecret, token) : oidc.verifyOrThrow(token);
  };
}
