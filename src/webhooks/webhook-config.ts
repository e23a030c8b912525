/**
 * Webhook settings (docs/webhooks.md), read with the rest of the configuration (src/config.ts)
 * and refused at start when wrong, like every other setting.
 */
export const TARGET_ALLOWANCES = ['loopback', 'private', 'link-local'] as const;
export type TargetAllowance = (typeof TARGET_ALLOWANCES)[number];

export interface WebhookConfig {
  /** HUB_WEBHOOK_DISPATCH=0 runs this process without a dispatcher (others on the database send). */
  dispatch: boolean;
  /** Plain http:// endpoints: refused in production unless HUB_WEBHOOK_ALLOW_HTTP=1. */
  allowHttp: boolean;
  /** HUB_WEBHOOK_ALLOWED_TARGETS: address ranges normally refused that this deployment allows (e.g. `loopback` in tests). */
  allowedTargets: TargetAllowance[];
  /** One attempt's limit, connection to status line (ms). */
  timeoutMs: number;
  /** First retry delay (ms); each later one doubles, with jitter, up to retryMaxDelayMs. */
  retryBaseMs: number;
  retryMaxDelayMs: number;
  /** How long a delivery is retried before it is given up and its subscription marked FAILING (s). */
  retryPeriodS: number;
  /** How often an idle dispatcher looks for due deliveries when no notification woke it (ms). */
  pollMs: number;
  /** Deliveries one process sends at once. */
  concurrency: number;
  /** How long the previous secret still signs after a rotation, unless the rotation says otherwise (s). */
  rotationOverlapS: number;
  /** The address receivers are told to fetch details from (`data.link`); by default the hub's own URL. */
  publicUrl?: string;
  /** HUB_WEBHOOK_SECRETS_KEY: the key sealing the signing secrets; by default derived from HUB_JWT_SECRET. */
  secretsKey?: string;
}

type IntFrom = (env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number) => number;
type Fail = (message: string) => Error;

function switchFrom(env: NodeJS.ProcessEnv, name: string, fallback: boolean, fail: Fail): boolean {
  const raw = env[name] ?? '';
  if (!['', '0', '1'].includes(raw)) throw fail(`${name} must be 1 (on) or 0 (off), got "${raw}"`);
  return raw === '' ? fallback : raw === '1';
}

function allowancesFrom(env: NodeJS.ProcessEnv, fail: Fail): TargetAllowance[] {
  const entries = (env.HUB_WEBHOOK_ALLOWED_TARGETS ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  for (const e of entries) {
    if (!(TARGET_ALLOWANCES as readonly string[]).includes(e)) {
      throw fail(`HUB_WEBHOOK_ALLOWED_TARGETS must be a comma-separated list of ${TARGET_ALLOWANCES.join(', ')}, got "${e}"`);
    }
  }
  return entries as TargetAllowance[];
}

export function loadWebhookConfig(env: NodeJS.ProcessEnv, nodeEnv: string, intFrom: IntFrom, fail: Fail): WebhookConfig {
  const publicUrl = env.HUB_PUBLIC_URL || undefined;
  if (publicUrl && !/^https?:\/\/[^/\s]+/.test(publicUrl)) throw fail(`HUB_PUBLIC_URL must be an http(s) URL, got "${publicUrl}"`);
  const secretsKey = env.HUB_WEBHOOK_SECRETS_KEY || undefined;
  if (secretsKey !== undefined && secretsKey.length < 32) {
    throw fail('HUB_WEBHOOK_SECRETS_KEY must be at least 32 characters (use e.g. `openssl rand -hex 32`)');
  }
  const retryBaseMs = intFrom(env, 'HUB_WEBHOOK_RETRY_BASE_MS', 5_000, 10, 3_600_000);
  return {
    dispatch: switchFrom(env, 'HUB_WEBHOOK_DISPATCH', true, fail),
    allowHttp: switchFrom(env, 'HUB_WEBHOOK_ALLOW_HTTP', nodeEnv !== 'production', fail),
    allowedTargets: allowancesFrom(env, fail),
    timeoutMs: intFrom(env, 'HUB_WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000),
    retryBaseMs,
    retryMaxDelayMs: Math.max(retryBaseMs, intFrom(env, 'HUB_WEBHOOK_RETRY_MAX_DELAY_MS', 3_600_000, 10, 86_400_000)),
    retryPeriodS: intFrom(env, 'HUB_WEBHOOK_RETRY_PERIOD_S', 3 * 86_400, 1, 30 * 86_400),
    pollMs: intFrom(env, 'HUB_WEBHOOK_POLL_MS', 1_000, 10, 60_000),
    concurrency: intFrom(env, 'HUB_WEBHOOK_CONCURRENCY', 16, 1, 100),
    rotationOverlapS: intFrom(env, 'HUB_WEBHOOK_ROTATION_OVERLAP_S', 86_400, 0, 30 * 86_400),
    publicUrl: publicUrl?.replace(/\/+$/, ''),
    secretsKey,
  };
}
