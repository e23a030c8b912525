import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { WebhookConfig } from './webhook-config';
import { BlockedAddressError, guardedLookup, hostOf, refusedAddress } from './webhook-target';

/** What one attempt came to: the status (if a response came), how long, and why it failed from a fixed vocabulary. */
export interface AttemptResult {
  statusCode?: number;
  latencyMs: number;
  /** null on success; otherwise one of: http_status, redirect, timeout, connection_refused, dns, blocked_address, tls, network. */
  error: string | null;
}

/** Bytes of a response body read (and thrown away) before the connection is dropped. */
const MAX_DRAIN = 64 * 1024;

function errorKind(error: NodeJS.ErrnoException): string {
  if (error instanceof BlockedAddressError) return 'blocked_address';
  if (error.message === 'timeout') return 'timeout';
  if (error.code === 'ECONNREFUSED') return 'connection_refused';
  if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') return 'dns';
  if (error.code?.startsWith('ERR_TLS') || error.code?.includes('CERT') || error.code === 'EPROTO') return 'tls';
  return 'network';
}

/**
 * One POST to a receiver. The connection goes to an address checked at this moment
 * (guardedLookup; an IP literal is checked here), redirects are not followed (a 3xx is a failed
 * attempt: an endpoint that moved is re-registered, never followed to wherever it points), the
 * whole attempt is bounded by `timeoutMs`, and the response body is drained up to 64 kB and
 * dropped: it is never stored or logged. Never throws.
 */
export function postOnce(
  target: string,
  headers: Record<string, string>,
  body: string,
  config: Pick<WebhookConfig, 'timeoutMs' | 'allowedTargets'>,
  agents: { http: http.Agent; https: https.Agent },
): Promise<AttemptResult> {
  const started = process.hrtime.bigint();
  const elapsed = () => Math.round(Number(process.hrtime.bigint() - started) / 1e6);
  return new Promise((resolve) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const done = (r: Omit<AttemptResult, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...r, latencyMs: elapsed() });
    };
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return done({ error: 'network' });
    }
    const host = hostOf(url);
    if (isIP(host) && refusedAddress([host], config)) return done({ error: 'blocked_address' });
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      agent: url.protocol === 'https:' ? agents.https : agents.http,
      lookup: guardedLookup(config),
    });
    timer = setTimeout(() => req.destroy(new Error('timeout')), config.timeoutMs);
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_DRAIN) res.destroy();
      });
      res.on('error', () => undefined);
      done(
        status >= 200 && status < 300
          ? { statusCode: status, error: null }
          : { statusCode: status, error: status >= 300 && status < 400 ? 'redirect' : 'http_status' },
      );
    });
    req.on('error', (error: NodeJS.ErrnoException) => done({ error: errorKind(error) }));
    req.end(body);
  });
}

/** Keep-alive agents of one dispatcher: sockets were opened to checked addresses and stay bound to them. */
export function senderAgents(concurrency: number): { http: http.Agent; https: https.Agent } {
  const opts = { keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency, timeout: 30_000 };
  return { http: new http.Agent(opts), https: new https.Agent(opts) };
}
