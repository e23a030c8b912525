import { lookup } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { badInput } from '../errors';
import type { TargetAllowance, WebhookConfig } from './webhook-config';

/**
 * Where the hub may send: an endpoint is checked when it is registered (a clear refusal) and
 * its address again at every connection (DNS rebinding: a name that resolved to a public address
 * at registration and to 127.0.0.1 an hour later). At delivery the socket connects to the very
 * address that was checked (the HTTP client's `lookup` is `guardedLookup`), so nothing can
 * change between the check and the connection. Loopback, private and link-local ranges are
 * refused unless the deployment allows them (HUB_WEBHOOK_ALLOWED_TARGETS); unspecified,
 * multicast, broadcast and documentation ranges are refused always.
 */
export type AddressClass = 'public' | TargetAllowance | 'reserved';

const ranges: Record<Exclude<AddressClass, 'public'>, BlockList> = {
  loopback: new BlockList(),
  private: new BlockList(),
  'link-local': new BlockList(),
  reserved: new BlockList(),
};
ranges.loopback.addSubnet('127.0.0.0', 8, 'ipv4');
ranges.loopback.addAddress('::1', 'ipv6');
for (const [net, bits] of [
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['198.18.0.0', 15], // benchmarking networks
] as const)
  ranges.private.addSubnet(net, bits, 'ipv4');
ranges.private.addSubnet('fc00::', 7, 'ipv6'); // unique local
ranges.private.addSubnet('fec0::', 10, 'ipv6'); // site-local (deprecated, still routed inside sites)
ranges['link-local'].addSubnet('169.254.0.0', 16, 'ipv4'); // includes cloud metadata endpoints
ranges['link-local'].addSubnet('fe80::', 10, 'ipv6');
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  ranges.reserved.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['ff00::', 8],
  ['2001:db8::', 32],
  ['100::', 64],
] as const)
  ranges.reserved.addSubnet(net, bits, 'ipv6');

/** An IPv4 address carried inside an IPv6 one (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::a.b.c.d) is judged as that IPv4 address. */
function embeddedIpv4(address: string): string | undefined {
  const m = /^(?:::ffff:|64:ff9b::)(?:0:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (m) return m[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return undefined;
  const hi = parseInt(hex[1], 16);
  const lo = parseInt(hex[2], 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

export function addressClass(address: string): AddressClass {
  const v4 = embeddedIpv4(address);
  if (v4) return addressClass(v4);
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  for (const kind of ['loopback', 'private', 'link-local', 'reserved'] as const) {
    if (ranges[kind].check(address, family)) return kind;
  }
  return 'public';
}

function allowed(kind: AddressClass, config: Pick<WebhookConfig, 'allowedTargets'>): boolean {
  return kind === 'public' || (kind !== 'reserved' && config.allowedTargets.includes(kind));
}

export class BlockedAddressError extends Error {
  readonly code = 'BLOCKED_ADDRESS';
  constructor(
    readonly address: string,
    readonly kind: AddressClass,
  ) {
    super(`resolves to ${address}, a ${kind} address`);
  }
}

/** The first refused address among `addresses`, if any: every address a name resolves to must be allowed. */
export function refusedAddress(
  addresses: readonly string[],
  config: Pick<WebhookConfig, 'allowedTargets'>,
): BlockedAddressError | undefined {
  for (const a of addresses) {
    const kind = addressClass(a);
    if (!allowed(kind, config)) return new BlockedAddressError(a, kind);
  }
  return undefined;
}

/** Resolves like dns.lookup, refusing when any address is not allowed; connections use the checked address. */
export function guardedLookup(config: Pick<WebhookConfig, 'allowedTargets'>): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as { address: string; family: number }[];
      const refused = refusedAddress(
        list.map((a) => a.address),
        config,
      );
      if (refused) return callback(refused as NodeJS.ErrnoException, '', 0);
      if (options.all) return (callback as unknown as (e: null, a: typeof list) => void)(null, list);
      return callback(null, list[0].address, list[0].family);
    });
  };
}

function resolveAll(hostname: string): Promise<string[]> {
  return new Promise((resolve, reject) =>
    lookup(hostname, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses.map((a) => a.address)))),
  );
}

const MAX_URL = 2000;

/** The bare host of a URL (IPv6 literals without brackets). */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * A registrable endpoint, or BAD_USER_INPUT saying exactly what is wrong with it and what the
 * deployment would need to allow it. The name is resolved now, and every address it has must
 * be allowed; it is resolved and checked again at every delivery.
 */
export async function endpointUrlOrThrow(raw: string, config: Pick<WebhookConfig, 'allowHttp' | 'allowedTargets'>): Promise<string> {
  const refuse = (why: string) => badInput(`The endpoint URL ${why}`, { fields: ['url'] });
  if (raw.length > MAX_URL) throw refuse(`is longer than ${MAX_URL} characters`);
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw refuse('is not an absolute URL: give one like https://cases.example.org/hub-events');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && config.allowHttp)) {
    throw refuse(
      url.protocol === 'http:'
        ? 'must use https:// (plain http is allowed only where the operator set HUB_WEBHOOK_ALLOW_HTTP=1)'
        : `must be an https:// URL, not ${url.protocol}`,
    );
  }
  if (url.username || url.password) throw refuse('must not carry a user name or password: the signature authenticates the hub');
  if (url.hash) throw refuse('must not have a #fragment (it is never sent)');
  const host = hostOf(url);
  if (host === 'localhost' || host.endsWith('.localhost')) {
    if (!allowed('loopback', config)) throw refuse(`names ${host}, a loopback address: the hub sends only to addresses outside itself`);
  }
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await resolveAll(host);
  } catch {
    throw refuse(`names a host that does not resolve (${host}): check the name, or register it once its DNS record exists`);
  }
  const refused = refusedAddress(addresses, config);
  if (refused) {
    const hint = refused.kind === 'reserved' ? '' : ` (the operator may allow ${refused.kind} targets with HUB_WEBHOOK_ALLOWED_TARGETS)`;
    throw refuse(
      `${host === refused.address ? `is ${refused.address}, a ${refused.kind} address` : `${refused.message}`}: the hub refuses such targets${hint}`,
    );
  }
  return url.toString();
}
