import { isWildcardHost, parseHostEntry } from './host-guard';

/**
 * Settings of the HTTP front (Host allow-list, purpose of use, sandbox, metrics, readiness),
 * read with the rest of the configuration (src/config.ts) and validated the same way.
 */
export interface HttpConfig {
  /**
   * HUB_ALLOWED_HOSTS: Host names (`name` or `name:port`, lower-cased) served beside the
   * loopback names on the serving port and a specific HOST (src/http/host-guard.ts).
   */
  allowedHosts: string[];
  /** Every operation on records needs X-Purpose-Of-Use: on in production, off elsewhere unless HUB_REQUIRE_PURPOSE=1. */
  requirePurpose: boolean;
  /** GET /graphql in a browser opens the Apollo Sandbox: on in development, off elsewhere unless HUB_SANDBOX=1. */
  sandbox: boolean;
  /** When set, GET /metrics needs `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** Without a metrics token in production, /metrics answers only loopback callers that no proxy forwarded (src/http/metrics-guard.ts). */
  metricsLoopbackOnly: boolean;
  /** On SIGTERM: how long /readyz answers 503 while requests are still served, before the server closes (ms). */
  shutdownGraceMs: number;
}

type Fail = (message: string) => Error;

function switchFrom(env: NodeJS.ProcessEnv, name: string, on: string, fallback: boolean, fail: Fail): boolean {
  const raw = env[name] ?? '';
  if (!['', '0', '1'].includes(raw)) throw fail(`${name} must be 1 (${on}) or 0 (off), got "${raw}"`);
  return raw === '' ? fallback : raw === '1';
}

function allowedHostsFrom(env: NodeJS.ProcessEnv, host: string, production: boolean, fail: Fail): string[] {
  const entries = (env.HUB_ALLOWED_HOSTS ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const parsed = entries.map((entry) => {
    const name = parseHostEntry(entry);
    if (name === undefined) {
      throw fail(
        `HUB_ALLOWED_HOSTS must be a comma-separated list of host names, each optionally with :port (e.g. hub.example.org,10.0.0.5:4000), got "${entry}"`,
      );
    }
    return name;
  });
  // Listening on every interface, the hub cannot know the names it is reached by; in
  // production they must be said, or every foreign Host would be refused (development keeps
  // serving the loopback names only, which is what a laptop needs).
  if (production && isWildcardHost(host) && parsed.length === 0) {
    throw fail(
      `HOST=${host} listens on every interface: set HUB_ALLOWED_HOSTS to the names clients and the reverse proxy use (e.g. hub.example.org), or listen on a specific address`,
    );
  }
  return parsed;
}

export function loadHttpConfig(
  env: NodeJS.ProcessEnv,
  nodeEnv: string,
  host: string,
  intFrom: (env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number) => number,
  fail: Fail,
): HttpConfig {
  const production = nodeEnv === 'production';
  const metricsToken = env.HUB_METRICS_TOKEN || undefined;
  if (metricsToken !== undefined && metricsToken.length < 16) throw fail('HUB_METRICS_TOKEN must be at least 16 characters');
  return {
    allowedHosts: allowedHostsFrom(env, host, production, fail),
    requirePurpose: switchFrom(env, 'HUB_REQUIRE_PURPOSE', 'required', production, fail),
    sandbox: switchFrom(env, 'HUB_SANDBOX', 'on', nodeEnv === 'development', fail),
    metricsToken,
    metricsLoopbackOnly: production && metricsToken === undefined,
    shutdownGraceMs: intFrom(env, 'HUB_SHUTDOWN_GRACE_MS', production ? 5000 : 0, 0, 15_000),
  };
}
