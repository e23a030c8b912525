import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the receiver got it: the raw body (what the signature covers) and the headers. */
export interface Received {
  headers: Record<string, string>;
  body: string;
  at: number;
}

/**
 * A real HTTP receiver on loopback for the webhook suites. `mode` decides the answer: 204,
 * a 503, a redirect, or no answer at all (the hub's timeout must cut it); `close()` takes it
 * off the network (connections refused) and `open()` brings it back on the same port.
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  mode: 'ok' | 'fail' | 'redirect' | 'hang' = 'ok';
  /** Sent back in every answer's body: the hub must never store it. */
  static readonly BODY_MARKER = 'receiver-body-must-never-be-stored';
  private server?: http.Server;
  private sockets = new Set<import('node:net').Socket>();
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  async open(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (this.mode === 'hang') return;
        this.received.push({
          headers: req.headers as Record<string, string>,
          body: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
        });
        if (this.mode === 'redirect') res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end(WebhookReceiver.BODY_MARKER);
        else res.writeHead(this.mode === 'ok' ? 200 : 503, { 'content-type': 'text/plain' }).end(WebhookReceiver.BODY_MARKER);
      });
    });
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  /** The payloads received, parsed, with their webhook-id. */
  events(): { id: string; type: string; data: Record<string, any>; body: string; headers: Record<string, string> }[] {
    return this.received.map((r) => ({ id: r.headers['webhook-id'], ...JSON.parse(r.body), body: r.body, headers: r.headers }));
  }

  /** Waits until `predicate` holds (polling), or fails after `ms` naming what it waited for. */
  async until(predicate: () => boolean, what: string, ms = 20_000): Promise<void> {
    const end = Date.now() + ms;
    while (!predicate()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; received ${this.received.length}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
