/**
 * OpenID Connect authorization code flow with PKCE (RFC 7636, S256) for deployments whose
 * staff sign in through an identity provider: the page sends the browser to the issuer, gets a
 * code back on /app/, and trades it for an access token at the token endpoint. No client
 * secret (a public client); the verifier and state live in this tab's sessionStorage only.
 * The hub checks the access token itself (docs/authentication.md).
 */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  scope: string;
}

interface Pending {
  verifier: string;
  state: string;
  redirectUri: string;
  tokenEndpoint: string;
  clientId: string;
}

const PENDING = 'hub-oidc-pending';

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const random = (n = 32) => base64url(crypto.getRandomValues(new Uint8Array(n)));

async function discover(issuer: string): Promise<{ authorization_endpoint: string; token_endpoint: string }> {
  const res = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { credentials: 'omit' });
  if (!res.ok) throw new Error(`discovery ${res.status}`);
  return res.json();
}

export function redirectUri(): string {
  return `${location.origin}/app/`;
}

export async function startOidcSignIn(settings: OidcSettings): Promise<void> {
  const meta = await discover(settings.issuer);
  const verifier = random(48);
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const pending: Pending = {
    verifier,
    state: random(),
    redirectUri: redirectUri(),
    tokenEndpoint: meta.token_endpoint,
    clientId: settings.clientId,
  };
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  const url = new URL(meta.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: settings.clientId,
    redirect_uri: pending.redirectUri,
    scope: settings.scope,
    state: pending.state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/** On return from the issuer: the access token, or null when this page load is not a return. Throws on a refused or forged return. */
export async function completeOidcSignIn(): Promise<string | null> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  const error = params.get('error');
  if (!code && !error) return null;
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as Pending | null;
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', location.pathname + location.hash);
  if (error) throw new Error(params.get('error_description') || error);
  if (!pending || params.get('state') !== pending.state) throw new Error('state');
  const res = await fetch(pending.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: code!,
      redirect_uri: pending.redirectUri,
      client_id: pending.clientId,
      code_verifier: pending.verifier,
    }),
    credentials: 'omit',
  });
  const body = (await res.json().catch(() => ({}))) as { access_token?: string; error?: string; error_description?: string };
  if (!res.ok || !body.access_token) throw new Error(body.error_description || body.error || `token ${res.status}`);
  return body.access_token;
}
