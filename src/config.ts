import path from 'node:path';
import { loadAuditConfig, type AuditConfig } from './trail/audit-config';
import { loadHttpConfig, type HttpConfig } from './http/http-config';
import { loadOidcConfig, type OidcConfig } from './auth/oidc-config';
import { loadQueryLimits, type QueryLimits } from './http/limits-config';
import { loadWebhookConfig, type WebhookConfig } from './webhooks/webhook-config';

/**
 * Typed, validated configuration read from the environment once at start.
 * The hub refuses to start on a bad value rather than guessing: a mistyped port or a
 * missing secret in production must be loud, not silently defaulted.
 */
export interface HubConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** When set, the hub uses this PostgreSQL; otherwise it runs an embedded one. */
  databaseUrl?: string;
  /** The least-privileged role the hub serves as; by default `<database>_hub_app`, provisioned at start. */
  appDatabaseUrl?: string;
  /** The role that seals the audit chain; by default `<database>_hub_sealer`, provisioned at start (src/db/app-role.ts). */
  sealerDatabaseUrl?: string;
  dataDir: string;
  /** Where an embedded PostgreSQL started by this process listens; undefined: a free loopback port (src/db/embedded.ts). */
  embeddedPgPort?: number;
  /** HS256 secret; undefined in development means "generate one in the data directory". */
  jwtSecret?: string;
  /** An OpenID Connect issuer whose RS256/EdDSA tokens are accepted too (src/auth/oidc.ts). */
  oidc?: OidcConfig;
  bootstrapAdmin: string;
  logLevel: string;
  /** Largest page a client may ask for in a connection. */
  maxPageSize: number;
  /** How long after a merge `unmergeReturnees` may undo it (HUB_UNMERGE_DAYS, default 30). */
  unmergeDays: number;
  /** Days within which a data-subject request must be answered (HUB_DSR_DUE_DAYS, default 30; src/data-subject/). */
  dsrDueDays: number;
  /** A `data_subject_request.due` webhook is sent when a request is this many days from due, or overdue (HUB_DSR_DUE_NOTICE_DAYS, default 5). */
  dsrDueNoticeDays: number;
  /** How often each process looks for requests to announce (HUB_DSR_DUE_CHECK_MS, default 60000; 0 = never). */
  dsrDueCheckMs: number;
  /** Headless Chromium that prints the person's statement to PDF (HUB_CHROMIUM_PATH, default /usr/bin/chromium). */
  chromiumPath: string;
  /** Days after which an unreviewed break-glass opening is overdue (HUB_BREAK_GLASS_REVIEW_DAYS, default 3). */
  breakGlassReviewDays: number;
  /** How long the audit recorder waits to batch concurrent read events (ms). */
  auditBatchDelayMs: number;
  /**
   * Cache who a token names, emptied by LISTEN/NOTIFY on staff and agency changes
   * (src/auth/actor-cache.ts). Off where notifications cannot reach the hub (a transaction-pooling
   * proxy between the hub and PostgreSQL): then every request reads the staff member.
   */
  actorCache: boolean;
  /**
   * Reads by key and section writes sent as named (prepared) statements (src/db/statement-name.ts).
   * Off behind a proxy that cannot keep them (PgBouncer in transaction mode before 1.21).
   */
  preparedStatements: boolean;
  /**
   * How often each process computes the name keys and review pairs of records written without
   * them (src/dedup/name-key-store.ts); 0: never in this process (`hub dedup:reindex` or another
   * process does it; listings and checks still fill what they need within their budget).
   */
  dedupFillMs: number;
  /** Sealing, checkpoints and verification of the audit trail. */
  audit: AuditConfig;
  /** Host allow-list, required purpose, sandbox, /metrics and /readyz (src/http/http-config.ts). */
  http: HttpConfig;
  /** What one request may ask: depth, aliases, cost, tokens, body size, time (docs/limits.md). */
  limits: QueryLimits;
  /** Endpoints, retries, timeouts and allowed targets of outgoing webhooks (src/webhooks/webhook-config.ts). */
  webhooks: WebhookConfig;
}

export class ConfigError extends Error {}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): HubConfig {
  const nodeEnv = env.NODE_ENV ?? 'development';
  if (nodeEnv !== 'development' && nodeEnv !== 'production' && nodeEnv !== 'test') {
    throw new ConfigError(`NODE_ENV must be development, production or test, got "${nodeEnv}"`);
  }
  const jwtSecret = env.HUB_JWT_SECRET || undefined;
  if (jwtSecret !== undefined && jwtSecret.length < 32) {
    throw new ConfigError('HUB_JWT_SECRET must be at least 32 characters (use e.g. `openssl rand -hex 32`)');
  }
  if (nodeEnv === 'production' && !jwtSecret) {
    throw new ConfigError('HUB_JWT_SECRET is required when NODE_ENV=production: set it to a random string of at least 32 characters');
  }
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  const appDatabaseUrl = env.HUB_APP_DATABASE_URL || undefined;
  if (appDatabaseUrl && !/^postgres(ql)?:\/\//.test(appDatabaseUrl)) {
    throw new ConfigError('HUB_APP_DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  const sealerDatabaseUrl = env.HUB_SEALER_DATABASE_URL || undefined;
  if (sealerDatabaseUrl && !/^postgres(ql)?:\/\//.test(sealerDatabaseUrl)) {
    throw new ConfigError('HUB_SEALER_DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  const bootstrapAdmin = env.HUB_BOOTSTRAP_ADMIN || 'admin';
  if (!/^[a-z0-9._-]{2,64}$/i.test(bootstrapAdmin)) {
    throw new ConfigError('HUB_BOOTSTRAP_ADMIN must be 2-64 letters, digits, dots, dashes or underscores');
  }
  const dataDir = path.resolve(env.HUB_DATA_DIR || '.hub-data');
  const host = env.HOST || '127.0.0.1';
  return {
    env: nodeEnv,
    port: intFrom(env, 'PORT', 4000, 0, 65535),
    host,
    databaseUrl,
    appDatabaseUrl,
    sealerDatabaseUrl,
    dataDir,
    embeddedPgPort: env.HUB_EMBEDDED_PG_PORT ? intFrom(env, 'HUB_EMBEDDED_PG_PORT', 0, 1024, 65535) : undefined,
    jwtSecret,
    oidc: loadOidcConfig(env, nodeEnv === 'production', intFrom, (message) => {
      throw new ConfigError(message);
    }),
    bootstrapAdmin,
    logLevel: env.LOG_LEVEL || (nodeEnv === 'test' ? 'silent' : 'info'),
    maxPageSize: intFrom(env, 'HUB_MAX_PAGE_SIZE', 100, 1, 1000),
    unmergeDays: intFrom(env, 'HUB_UNMERGE_DAYS', 30, 0, 3650),
    dsrDueDays: intFrom(env, 'HUB_DSR_DUE_DAYS', 30, 1, 366),
    dsrDueNoticeDays: intFrom(env, 'HUB_DSR_DUE_NOTICE_DAYS', 5, 0, 366),
    dsrDueCheckMs: intFrom(env, 'HUB_DSR_DUE_CHECK_MS', 60_000, 0, 86_400_000),
    chromiumPath: env.HUB_CHROMIUM_PATH || '/usr/bin/chromium',
    breakGlassReviewDays: intFrom(env, 'HUB_BREAK_GLASS_REVIEW_DAYS', 3, 0, 365),
    auditBatchDelayMs: intFrom(env, 'HUB_AUDIT_BATCH_DELAY_MS', 0, 0, 100),
    actorCache: intFrom(env, 'HUB_ACTOR_CACHE', 1, 0, 1) === 1,
    preparedStatements: intFrom(env, 'HUB_PREPARED_STATEMENTS', 1, 0, 1) === 1,
    dedupFillMs: intFrom(env, 'HUB_DEDUP_FILL_MS', 5_000, 0, 3_600_000),
    audit: loadAuditConfig(env, intFrom, dataDir, (message) => new ConfigError(message)),
    http: loadHttpConfig(env, nodeEnv, host, intFrom, (message) => new ConfigError(message)),
    limits: loadQueryLimits(env, { intFrom, invalid: (message) => new ConfigError(message), nodeEnv }),
    webhooks: loadWebhookConfig(env, nodeEnv, intFrom, (message) => new ConfigError(message)),
  };
}
