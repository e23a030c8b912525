/**
 * Settings of the operational HTTP endpoints (sandbox, metrics, readiness), read with the
 * rest of the configuration (src/config.ts) and validated the same way.
 */
export interface HttpConfig {
  /** GET /graphql in a browser opens the Apollo Sandbox: on in development, off elsewhere unless HUB_SANDBOX=1. */
  sandbox: boolean;
  /** When set, GET /metrics needs `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** On SIGTERM: how long /readyz answers 503 while requests are still served, before the server closes (ms). */
  shutdownGraceMs: number;
}

export function loadHttpConfig(
  env: NodeJS.ProcessEnv,
  nodeEnv: string,
  intFrom: (env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number) => number,
  fail: (message: string) => Error,
): HttpConfig {
  const sandbox = env.HUB_SANDBOX ?? '';
  if (!['', '0', '1'].includes(sandbox)) throw fail(`HUB_SANDBOX must be 1 (on) or 0 (off), got "${sandbox}"`);
  const metricsToken = env.HUB_METRICS_TOKEN || undefined;
  if (metricsToken !== undefined && metricsToken.length < 16) throw fail('HUB_METRICS_TOKEN must be at least 16 characters');
  return {
    sandbox: sandbox === '' ? nodeEnv === 'development' : sandbox === '1',
    metricsToken,
    shutdownGraceMs: intFrom(env, 'HUB_SHUTDOWN_GRACE_MS', nodeEnv === 'production' ? 5000 : 0, 0, 15_000),
  };
}
