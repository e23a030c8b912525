import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';

/**
 * A small OpenID provider on loopback for the web client's sign-in test: discovery, an
 * authorization endpoint that signs in `user` at once and redirects back with a code, and a
 * token endpoint that checks the PKCE verifier (S256), the redirect URI and the client id
 * before issuing an RS256 access token for `audience`. It records what it was asked.
 */
export interface FakeProvider {
  issuer: string;
  origin: string;
  /** Who the next authorization signs in. */
  user: string;
  /** Token requests and their outcome. */
  exchanges: { ok: boolean; error?: string }[];
  stop(): Promise<void>;
}

export async function startFakeProvider(audience: string, allowedOrigin: () => string): Promise<FakeProvider> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'web-test', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, { challenge: string; redirectUri: string; clientId: string; user: string }>();
  const state: FakeProvider = { issuer: '', origin: '', user: '', exchanges: [], stop: async () => undefined };
  const sign = (user: string, key: KeyLike) =>
    new SignJWT({ preferred_username: user })
      .setProtectedHeader({ alg: 'RS256', kid: 'web-test' })
      .setIssuer(state.issuer)
      .setAudience(audience)
      .setSubject(randomUUID())
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(key);

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', state.origin);
    const cors = { 'access-control-allow-origin': allowedOrigin(), 'content-type': 'application/json' };
    if (url.pathname.endsWith('/.well-known/openid-configuration')) {
      res.writeHead(200, cors).end(
        JSON.stringify({
          issuer: state.issuer,
          authorization_endpoint: `${state.issuer}/auth`,
          token_endpoint: `${state.issuer}/token`,
          jwks_uri: `${state.issuer}/certs`,
          code_challenge_methods_supported: ['S256'],
        }),
      );
    } else if (url.pathname.endsWith('/certs')) {
      res.writeHead(200, cors).end(JSON.stringify({ keys: [jwk] }));
    } else if (url.pathname.endsWith('/auth')) {
      const q = url.searchParams;
      if (q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) {
        res.writeHead(400).end('bad authorization request');
        return;
      }
      const code = randomUUID();
      codes.set(code, {
        challenge: q.get('code_challenge')!,
        redirectUri: q.get('redirect_uri')!,
        clientId: q.get('client_id')!,
        user: state.user,
      });
      const back = new URL(q.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', q.get('state') ?? '');
      res.writeHead(302, { location: back.toString() }).end();
    } else if (url.pathname.endsWith('/token') && req.method === 'POST') {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', async () => {
        const f = new URLSearchParams(body);
        const grant = codes.get(f.get('code') ?? '');
        codes.delete(f.get('code') ?? '');
        const verifier = f.get('code_verifier') ?? '';
        const challenge = createHash('sha256').update(verifier).digest('base64url');
        const error = !grant
          ? 'unknown code'
          : grant.challenge !== challenge
            ? 'PKCE verifier does not match'
            : grant.redirectUri !== f.get('redirect_uri')
              ? 'redirect_uri differs'
              : grant.clientId !== f.get('client_id')
                ? 'client_id differs'
                : undefined;
        state.exchanges.push({ ok: !error, error });
        if (error) {
          res.writeHead(400, cors).end(JSON.stringify({ error: 'invalid_grant', error_description: error }));
          return;
        }
        res
          .writeHead(200, cors)
          .end(JSON.stringify({ access_token: await sign(grant!.user, privateKey), token_type: 'Bearer', expires_in: 600 }));
      });
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.issuer = `${state.origin}/realms/hub`;
  state.stop = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}
