import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler, type Router } from 'express';
import type { HubConfig } from '../config';
import { WEB_DIR } from '../paths';
import { cspWith, notBuilt, securityHeaders } from './console';

/**
 * The caseworkers' web client at /app/ (docs/web-client.md): static files built from app/,
 * talking to the public GraphQL API only. Everything is served by the hub itself (no CDN):
 * hashed assets are cacheable for a year and sent gzipped when the browser accepts it (built
 * beside them), the page itself is revalidated on every load. /app/config.json tells the page
 * how to sign in (the OIDC issuer and client id, when configured); the CSP then allows
 * connections to that issuer's origin and nothing else beyond the hub.
 */
export interface WebClientSettings {
  oidc: { issuer: string; clientId: string; scope: string } | null;
}

export function webClientSettings(config: HubConfig): WebClientSettings {
  const oidc = config.oidc;
  // The hub's audience is the client id the identity provider issues its tokens for; a public
  // client registered under that id (PKCE, no secret) gets tokens the hub accepts.
  return { oidc: oidc ? { issuer: oidc.issuer, clientId: oidc.audience, scope: 'openid' } : null };
}

const ASSET_TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

/** A precompressed copy for clients that accept gzip; otherwise the plain file from express.static. */
const gzipped: RequestHandler = (req, res, next) => {
  const ext = path.extname(req.path);
  const type = ASSET_TYPES[ext];
  if (!type || !/\bgzip\b/.test(req.header('accept-encoding') ?? '')) return next();
  const file = path.join(WEB_DIR, 'assets', path.basename(req.path));
  if (path.basename(req.path) !== req.path.slice(1) || !existsSync(`${file}.gz`)) return next();
  res.setHeader('Content-Encoding', 'gzip');
  res.setHeader('Vary', 'Accept-Encoding');
  res.type(type);
  res.sendFile(`${file}.gz`, { headers: { 'Cache-Control': 'public, max-age=31536000, immutable' } });
};

export function webClient(config: HubConfig): Router {
  const settings = webClientSettings(config);
  const issuerOrigin = settings.oidc ? [new URL(settings.oidc.issuer).origin] : [];
  const router = express.Router({ strict: true });
  router.use(securityHeaders(cspWith(issuerOrigin)));
  router.get('/', (req, res, next) => (req.originalUrl.split('?')[0] === '/app' ? res.redirect(301, '/app/') : next()));
  router.get('/config.json', (_req, res) => res.json(settings));
  router.use(
    '/assets',
    gzipped,
    express.static(path.join(WEB_DIR, 'assets'), {
      dotfiles: 'ignore',
      index: false,
      redirect: false,
      setHeaders: (res) => res.setHeader('Cache-Control', 'public, max-age=31536000, immutable'),
    }),
    (_req, res) => {
      res.status(404).type('text/plain').send('Not found\n');
    },
  );
  const page = path.join(WEB_DIR, 'index.html');
  router.get('/', (req, res, next) => (existsSync(page) ? res.sendFile(page) : notBuilt(req, res, next)));
  return router;
}
