/**
 * Settings of an OpenID Connect issuer whose tokens the hub accepts beside its own HS256
 * tokens (src/auth/oidc.ts). Read with the rest of the configuration and validated the same
 * way: a half-configured issuer refuses to start rather than accepting tokens it should not.
 */
export interface OidcConfig {
  /** Exact `iss` the tokens carry, e.g. https://id.example.org/realms/hub. */
  issuer: string;
  /** Where the issuer publishes its public keys; when unset, `jwks_uri` from its discovery document. */
  jwksUrl?: string;
  /** `aud` a token must include: the hub's client id at the issuer. */
  audience: string;
  /** Token claim holding the staff username. */
  usernameClaim: string;
  /** How long fetched keys are used before they are fetched again (ms). */
  jwksCacheMaxAgeMs: number;
}

/** Only asymmetric algorithms: the hub holds no secret of the issuer, so HS* from it is refused. */
export const OIDC_ALGORITHMS = ['RS256', 'EdDSA'];

const CLAIM_NAME = /^[A-Za-z_][A-Za-z0-9_.:-]{0,99}$/;

function urlOrFail(name: string, raw: string, production: boolean, fail: (message: string) => never): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail(`${name} must be an absolute URL, got "${raw}"`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && !production)) {
    return fail(`${name} must be an https:// URL${production ? ' when NODE_ENV=production' : ''}, got "${raw}"`);
  }
  return raw;
}

export function loadOidcConfig(
  env: NodeJS.ProcessEnv,
  production: boolean,
  intFrom: (env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number) => number,
  fail: (message: string) => never,
): OidcConfig | undefined {
  const issuer = env.HUB_OIDC_ISSUER || undefined;
  if (!issuer) {
    const stray = ['HUB_OIDC_JWKS_URL', 'HUB_OIDC_AUDIENCE', 'HUB_OIDC_USERNAME_CLAIM'].filter((name) => env[name]);
    if (stray.length) fail(`${stray.join(', ')} set without HUB_OIDC_ISSUER: set the issuer too, or unset them`);
    return undefined;
  }
  const audience = env.HUB_OIDC_AUDIENCE || undefined;
  if (!audience) fail('HUB_OIDC_AUDIENCE is required with HUB_OIDC_ISSUER: the client id the hub is registered under at the issuer');
  const usernameClaim = env.HUB_OIDC_USERNAME_CLAIM || 'preferred_username';
  if (!CLAIM_NAME.test(usernameClaim)) fail(`HUB_OIDC_USERNAME_CLAIM must be a claim name, got "${usernameClaim}"`);
  return {
    issuer: urlOrFail('HUB_OIDC_ISSUER', issuer, production, fail),
    jwksUrl: env.HUB_OIDC_JWKS_URL ? urlOrFail('HUB_OIDC_JWKS_URL', env.HUB_OIDC_JWKS_URL, production, fail) : undefined,
    audience: audience!,
    usernameClaim,
    jwksCacheMaxAgeMs: intFrom(env, 'HUB_OIDC_JWKS_CACHE_S', 600, 30, 24 * 3600) * 1000,
  };
}
