import express, { type Router } from 'express';
import { CONSOLE_DIR } from '../paths';

/**
 * The auditor console at /audit/: static files that talk to the public GraphQL API only, with
 * the caller's token (kept in the tab's sessionStorage). A strict Content-Security-Policy: no
 * inline script or style, nothing from another origin, no framing.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function auditorConsole(): Router {
  const router = express.Router({ strict: true });
  router.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cache-Control', 'no-cache');
    next();
  });
  // Relative links in the page need the trailing slash.
  router.get('/', (req, res, next) => (req.originalUrl.split('?')[0] === '/audit' ? res.redirect(301, '/audit/') : next()));
  router.use(express.static(CONSOLE_DIR, { index: 'index.html', redirect: true, dotfiles: 'ignore', fallthrough: true }));
  return router;
}
