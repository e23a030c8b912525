import { isIP } from 'node:net';
import type { RequestHandler } from 'express';
import type { Logger } from '../logger';

/**
 * The Host allow-list, in front of every route. A web page the user happens to open can reach a
 * hub on their machine or intranet by DNS rebinding: the page's own name, re-resolved to the
 * hub's address, makes the browser treat the hub's answers as same-origin. The request then
 * carries the attacker's name in Host, so answering only the names the hub serves defeats it.
 *
 * Served by default: `localhost`, `127.0.0.1` and `[::1]` on the serving port, and HOST when
 * it is a specific name or address. HUB_ALLOWED_HOSTS adds names (`name` on any port,
 * `name:port` on that port only). A Host without a port (what clients send for ports 80 and
 * 443) matches an entry without a port, or with port 80 or 443. Anything else gets a bare 421
 * Misdirected Request, before any route runs.
 *
 * /healthz and /readyz are exempt: orchestrators probe them by pod address, and they answer
 * only whether the hub is up.
 */
const PROBES = new Set(['/healthz', '/readyz']);
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
const DEFAULT_PORTS = new Set([80, 443]);
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

interface HostName {
  name: string;
  /** Absent: any port (an entry) or the default port (a Host header). */
  port?: number;
}

/** `name`, `name:port`, `[v6]` or `[v6]:port`, lower-cased; undefined when it is not one. */
function splitHost(value: string): HostName | undefined {
  const m = /^(\[[^\]]*\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(value.toLowerCase());
  if (!m) return undefined;
  const [, name, port] = m;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return undefined;
  const valid = name.startsWith('[')
    ? isIP(name.slice(1, -1)) === 6
    : name.length <= 253 && name.split('.').every((label) => LABEL.test(label));
  return valid ? { name, port: port === undefined ? undefined : Number(port) } : undefined;
}

/** An entry of HUB_ALLOWED_HOSTS, normalised (`name` or `name:port`); undefined when invalid. */
export function parseHostEntry(entry: string): string | undefined {
  const host = splitHost(entry);
  return host && (host.port === undefined ? host.name : `${host.name}:${host.port}`);
}

/** HOST values that listen on every interface. */
export function isWildcardHost(host: string): boolean {
  return ['', '0.0.0.0', '::', '[::]'].includes(host);
}

/** HOST as a Host name: IPv6 addresses in brackets. */
function hostName(host: string): string {
  return isIP(host) === 6 ? `[${host.toLowerCase()}]` : host.toLowerCase();
}

/** The names a hub listening on `host`:`port` serves, as `name` or `name:port` (see the module comment). */
export function allowedHostsFor(host: string, port: number, extra: readonly string[]): string[] {
  const names = new Set(LOOPBACK_NAMES);
  if (!isWildcardHost(host) && splitHost(hostName(host))) names.add(hostName(host));
  return [...[...names].map((n) => `${n}:${port}`), ...extra];
}

export function hostAllowed(allowed: readonly HostName[], header: string | undefined): boolean {
  const host = header === undefined ? undefined : splitHost(header);
  if (!host) return false;
  return allowed.some(
    (a) => a.name === host.name && (a.port === undefined || a.port === host.port || (host.port === undefined && DEFAULT_PORTS.has(a.port))),
  );
}

/**
 * `port` is read on the first request: with PORT=0 it is known only once the server listens.
 * A refusal is logged once per distinct Host (at most 100 kept), so a misconfigured proxy shows
 * in the log without a flood of lines from a scanner.
 */
export function hostGuard(opts: { host: string; port: () => number; extra: readonly string[]; log: Logger }): RequestHandler {
  let allowed: HostName[] | undefined;
  const reported = new Set<string>();
  return (req, res, next) => {
    if (PROBES.has(req.path)) return next();
    allowed ??= allowedHostsFor(opts.host, opts.port(), opts.extra).map((e) => splitHost(e)!);
    const header = req.headers.host;
    if (hostAllowed(allowed, header)) return next();
    const shown = String(header ?? '(none)').slice(0, 100);
    if (reported.size < 100 && !reported.has(shown)) {
      reported.add(shown);
      opts.log.warn({ host: shown }, 'refused a request for a Host this hub does not serve (HUB_ALLOWED_HOSTS)');
    }
    res.status(421).type('text/plain').setHeader('Cache-Control', 'no-store');
    res.send('Misdirected Request\n');
  };
}
