import http from 'node:http';
import { loadConfig } from '../src/config';
import type { HubServer } from '../src/server';
import { gql, startHub, TEST_JWT_SECRET } from './support/hub';

/**
 * A web page the developer happens to open can reach a hub on their machine by DNS
 * rebinding: its own name, resolved to 127.0.0.1, so the browser treats the hub's answers as
 * same-origin. What defeats it: the hub answers only Host names it serves (loopback names on
 * its port by default, HUB_ALLOWED_HOSTS beside them), and the sandbox page never holds a
 * token, so an anonymous visitor gets nothing that signs in.
 */

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request with a Host header of our choosing (fetch does not let a caller set Host). */
function request(
  hub: HubServer,
  path: string,
  host: string | undefined,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const url = new URL(hub.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: opts.method ?? 'GET',
        setHost: host !== undefined,
        headers: { ...(host !== undefined ? { host } : {}), ...opts.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const PAGE = { headers: { accept: 'text/html' } };
const ME = JSON.stringify({ query: '{ me { staff { username } } }' });
const POST_ME = { method: 'POST', headers: { 'content-type': 'application/json', 'x-purpose-of-use': 'test' }, body: ME };

describe('Host allow-list (development mode, the default)', () => {
  let hub: HubServer;
  beforeAll(async () => {
    hub = await startHub({ NODE_ENV: 'development', LOG_LEVEL: 'silent' });
  });
  afterAll(() => hub.stop());

  it('refuses a foreign Host on every route with a bare 421, before anything is served', async () => {
    const evil = `rebind.attacker.example:${hub.port}`;
    for (const [path, opts] of [
      ['/graphql', PAGE],
      ['/graphql', POST_ME],
      ['/metrics', {}],
      ['/audit/', {}],
      ['/nowhere', {}],
    ] as const) {
      const res = await request(hub, path, evil, opts);
      expect({ path, status: res.status }).toEqual({ path, status: 421 });
      expect(res.body).not.toMatch(/eyJ|embeddable-sandbox|hub_|<html|rebind|allowed|HUB_ALLOWED_HOSTS/i);
      expect(res.body.length).toBeLessThan(40);
    }
  });

  it('refuses a loopback name on another port, and a request without Host', async () => {
    expect((await request(hub, '/graphql', `localhost:${hub.port + 1}`, PAGE)).status).toBe(421);
    expect((await request(hub, '/graphql', 'localhost', PAGE)).status).toBe(421);
    expect((await request(hub, '/graphql', undefined, PAGE)).status).toBeGreaterThanOrEqual(400);
  });

  it('serves the loopback names on its own port', async () => {
    for (const host of [`localhost:${hub.port}`, `127.0.0.1:${hub.port}`, `[::1]:${hub.port}`, `LOCALHOST:${hub.port}`]) {
      const res = await request(hub, '/graphql', host, POST_ME);
      expect({ host, status: res.status }).toEqual({ host, status: 200 });
    }
  });

  it('answers the orchestrator probes whatever the Host (they carry no data)', async () => {
    expect((await request(hub, '/healthz', '10.1.2.3:4000')).status).toBe(200);
    expect((await request(hub, '/readyz', 'pod.internal')).status).toBe(200);
  });

  it('serves a sandbox page that holds no token, and says how to get one', async () => {
    const res = await request(hub, '/graphql', `127.0.0.1:${hub.port}`, PAGE);
    expect(res.status).toBe(200);
    expect(res.body).toContain('embeddable-sandbox');
    expect(res.body).not.toMatch(/eyJ[\w-]*\.[\w-]*/); // no JWT of any kind
    expect(res.body).toContain('npx hub token');
    // On a fresh database the page used to carry the bootstrap admin's token: nothing in it signs in.
    const bearer = /Bearer ([^"\\\s]+)/.exec(res.body)?.[1];
    if (bearer !== undefined)
      expect((await gql(hub, bearer, '{ me { staff { username } } }')).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('HUB_ALLOWED_HOSTS', () => {
  let hub: HubServer;
  beforeAll(async () => {
    hub = await startHub({ HUB_ALLOWED_HOSTS: 'hub.example.org, api.example.org:8443' });
  });
  afterAll(() => hub.stop());

  it('adds the listed names (any port unless one is given) to the loopback names', async () => {
    expect((await request(hub, '/graphql', 'hub.example.org', POST_ME)).status).toBe(200);
    expect((await request(hub, '/graphql', 'HUB.example.org:443', POST_ME)).status).toBe(200);
    expect((await request(hub, '/graphql', 'api.example.org:8443', POST_ME)).status).toBe(200);
    expect((await request(hub, '/graphql', 'api.example.org', POST_ME)).status).toBe(421);
    expect((await request(hub, '/graphql', 'evil.hub.example.org', POST_ME)).status).toBe(421);
    expect((await request(hub, '/graphql', `localhost:${hub.port}`, POST_ME)).status).toBe(200);
  });
});

describe('configuration', () => {
  const production = { NODE_ENV: 'production', HUB_JWT_SECRET: TEST_JWT_SECRET };

  it('refuses to start in production on every interface without HUB_ALLOWED_HOSTS', () => {
    expect(() => loadConfig({ ...production, HOST: '0.0.0.0' })).toThrow(/HUB_ALLOWED_HOSTS/);
    expect(() => loadConfig({ ...production, HOST: '::' })).toThrow(/HUB_ALLOWED_HOSTS/);
    expect(loadConfig({ ...production, HOST: '0.0.0.0', HUB_ALLOWED_HOSTS: 'hub.example.org' }).http.allowedHosts).toEqual([
      'hub.example.org',
    ]);
    expect(() => loadConfig({ ...production })).not.toThrow(); // loopback by default
    expect(() => loadConfig({ NODE_ENV: 'development', HOST: '0.0.0.0' })).not.toThrow();
  });

  it.each(['http://hub.example.org', 'hub.example.org/graphql', 'hub example', 'hub.example.org:99999', '*', '[::1'])(
    'refuses the entry %j',
    (entry) => {
      expect(() => loadConfig({ HUB_ALLOWED_HOSTS: entry })).toThrow(/HUB_ALLOWED_HOSTS/);
    },
  );
});
