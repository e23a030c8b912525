import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import { unauthenticated } from '../errors';

/**
 * The contract's bearer tokens: HS256 with HUB_JWT_SECRET, `sub` = staff username, `exp`
 * required. Only the username is taken from the token; roles and agency come from the
 * database on every request, so a deactivation or role change applies at once.
 */
const ALGORITHMS = ['HS256'];
const encoder = new TextEncoder();

export async function signToken(secret: string, username: string, ttlSeconds = 12 * 3600): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(username)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(encoder.encode(secret));
}

/** Returns the username of a valid token or throws UNAUTHENTICATED with a reason a person can act on. */
export async function verifyTokenOrThrow(secret: string, token: string): Promise<string> {
  try {
    const { payload } = await jwtVerify(token, encoder.encode(secret), { algorithms: ALGORITHMS, requiredClaims: ['exp', 'sub'] });
    if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > 64) {
      throw unauthenticated('The token has no usable subject (sub must be a staff username)');
    }
    return payload.sub;
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw unauthenticated('The token has expired: ask for a new one');
    if (error instanceof joseErrors.JWTClaimValidationFailed)
      throw unauthenticated(`The token is missing a required claim: ${error.claim}`);
    if (error instanceof joseErrors.JOSEError)
      throw unauthenticated('The token is not valid: check that it is a current HS256 token issued for this hub');
    throw error;
  }
}

export function bearerFrom(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>"');
  return match[1];
}
