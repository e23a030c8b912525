import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { Request, RequestHandler } from 'express';

/**
 * Who may read GET /metrics. The series carry no personal data, but they describe the hub's
 * traffic, refusals and pool, which is nobody's business outside operations:
 * - with HUB_METRICS_TOKEN, only `Authorization: Bearer <token>` (compared in constant time);
 * - without one in production, only a caller on this machine (a loopback address) whose
 *   request no proxy forwarded: a reverse proxy on the same machine connects from loopback
 *   too, but adds Forwarded / X-Forwarded-For / X-Real-IP, which are refused here;
 * - without one elsewhere (development, test), anyone who reaches it (the Host allow-list
 *   still applies).
 */
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

const digest = (s: string) => createHash('sha256').update(s).digest();

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return address === '::1';
}

function fromThisMachine(req: Request): boolean {
  return isLoopbackAddress(req.socket.remoteAddress) && FORWARDING_HEADERS.every((h) => req.headers[h] === undefined);
}

export function metricsGuard(opts: { token?: string; loopbackOnly: boolean }): RequestHandler {
  const expected = opts.token ? digest(`Bearer ${opts.token}`) : undefined;
  return (req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    if (expected) {
      if (timingSafeEqual(digest(req.header('authorization') ?? ''), expected)) return next();
      res
        .status(401)
        .setHeader('WWW-Authenticate', 'Bearer realm="metrics"')
        .type('text/plain')
        .send('metrics need the bearer token of HUB_METRICS_TOKEN\n');
      return;
    }
    if (!opts.loopbackOnly || fromThisMachine(req)) return next();
    res
      .status(403)
      .type('text/plain')
      .send('metrics are served only to this machine without a proxy in between: set HUB_METRICS_TOKEN to scrape them from elsewhere\n');
  };
}
