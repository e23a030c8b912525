import path from 'node:path';

/**
 * Settings of the audit trail's background work and verification, read with the rest of the
 * configuration (src/config.ts) and validated the same way: a bad value refuses to start.
 */
export interface AuditConfig {
  /** How often each hub process seals new events into the chain (ms); 0 turns the timer off. */
  sealIntervalMs: number;
  /** How often a signed checkpoint is recorded while serving (s); 0 turns it off (none at start either). */
  checkpointIntervalS: number;
  /** Unchained events younger than this are not yet a problem for verification (s). */
  verifyGraceS: number;
  /** Closed months `auditIntegrity` walks link by link per call, least recently walked first (the others: from their seals). */
  integrityClosedMonths: number;
  /** Months a closed audit month is kept after it ends before `hub audit archive --detach` may drop it; undefined: kept for ever. */
  retentionMonths?: number;
  /** Ed25519 signing key (PKCS#8 PEM or base64 seed); else one in HUB_DATA_DIR. */
  signingKey?: string;
  /** Further public keys whose checkpoints verification accepts (old keys after a rotation). */
  trustedKeys: string[];
  /** Append-only JSON Lines file every signed checkpoint is added to; undefined: none. */
  checkpointFile?: string;
  /** A second copy kept by someone else: a directory (one file per checkpoint) or an http(s) URL (POST). */
  checkpointSink?: CheckpointSinkTarget;
  /** Sent as `Authorization: Bearer …` to an HTTP sink. */
  checkpointSinkToken?: string;
  /** How long a delivery to the HTTP sink may take (ms). */
  checkpointSinkTimeoutMs: number;
}

export type CheckpointSinkTarget = { kind: 'directory'; path: string } | { kind: 'http'; url: string };

export const CHECKPOINT_FILE_NAME = 'audit-checkpoints.jsonl';

export function loadAuditConfig(
  env: NodeJS.ProcessEnv,
  intFrom: (env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number) => number,
  dataDir: string,
  invalid: (message: string) => Error,
): AuditConfig {
  const file = env.HUB_AUDIT_CHECKPOINT_FILE?.trim() || path.join(dataDir, CHECKPOINT_FILE_NAME);
  return {
    sealIntervalMs: intFrom(env, 'HUB_AUDIT_SEAL_INTERVAL_MS', 500, 0, 60_000),
    checkpointIntervalS: intFrom(env, 'HUB_AUDIT_CHECKPOINT_INTERVAL_S', 300, 0, 7 * 24 * 3600),
    verifyGraceS: intFrom(env, 'HUB_AUDIT_VERIFY_GRACE_S', 60, 1, 7 * 24 * 3600),
    integrityClosedMonths: intFrom(env, 'HUB_AUDIT_INTEGRITY_CLOSED_MONTHS', 1, 0, 1200),
    retentionMonths: env.HUB_AUDIT_RETENTION_MONTHS?.trim() ? intFrom(env, 'HUB_AUDIT_RETENTION_MONTHS', 0, 0, 1200) : undefined,
    signingKey: env.HUB_AUDIT_SIGNING_KEY || undefined,
    trustedKeys: (env.HUB_AUDIT_TRUSTED_KEYS ?? '')
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean),
    checkpointFile: file === 'off' ? undefined : path.resolve(file),
    checkpointSink: sinkTarget(env.HUB_AUDIT_CHECKPOINT_SINK?.trim(), invalid),
    checkpointSinkToken: env.HUB_AUDIT_CHECKPOINT_SINK_TOKEN || undefined,
    checkpointSinkTimeoutMs: intFrom(env, 'HUB_AUDIT_CHECKPOINT_SINK_TIMEOUT_MS', 5000, 100, 60_000),
  };
}

function sinkTarget(raw: string | undefined, invalid: (message: string) => Error): CheckpointSinkTarget | undefined {
  if (!raw) return undefined;
  if (/^https?:\/\//i.test(raw)) {
    try {
      return { kind: 'http', url: new URL(raw).toString() };
    } catch {
      throw invalid(`HUB_AUDIT_CHECKPOINT_SINK is not a valid URL: "${raw}"`);
    }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    throw invalid('HUB_AUDIT_CHECKPOINT_SINK must be a directory or an http:// or https:// URL');
  }
  return { kind: 'directory', path: path.resolve(raw) };
}
