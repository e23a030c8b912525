import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler, type Router } from 'express';
import { WEB_DIR } from '../paths';

/**
 * The hub's web pages are static files built from app/ (src/http/web-app.ts serves the
 * caseworkers' client): this file holds their shared security headers and the auditor console
 * at /audit/. A strict Content-Security-Policy: no inline script or style, nothing from another
 * origin (an OIDC issuer's endpoints are the one addition, and only on /app/), no framing.
 */
export const CONSOLE_CSP = cspWith([]);

export function cspWith(connectExtra: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${["'self'", ...connectExtra].join(' ')}`,
    "form-action 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function securityHeaders(csp: string): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cache-Control', 'no-cache');
    next();
  };
}

/** When the pages were not built (only `tsc` ran), say how to build them instead of a bare 404. */
export const notBuilt: RequestHandler = (_req, res) => {
  res.status(503).type('text/plain').send('The web pages are not built: run `npm run build:web` (npm install and npm ci do it).\n');
};

export function auditorConsole(): Router {
  const router = express.Router({ strict: true });
  const page = path.join(WEB_DIR, 'audit', 'index.html');
  router.use(securityHeaders(CONSOLE_CSP));
  // Relative links in the page need the trailing slash.
  router.get('/', (req, res, next) => (req.originalUrl.split('?')[0] === '/audit' ? res.redirect(301, '/audit/') : next()));
  // One page; its scripts and styles are shared with /app/ and served from /app/assets/.
  router.get('/', (_req, res, next) => (existsSync(page) ? res.sendFile(page) : notBuilt(_req, res, next)));
  return router;
}
