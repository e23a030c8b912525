/**
 * Settings of the audit trail's background work and verification, read with the rest of the
 * configuration (src/config.ts) and validated the same way: a bad value refuses to start.
 */
export interface AuditConfig {
  /** How often each hub process seals new events into the chain (ms); 0 turns the timer off. */
  sealIntervalMs: number;
  /** How often a signed checkpoint is recorded while serving (s); 0 turns it off. */
  checkpointIntervalS: number;
  /** Unchained events younger than this are not yet a problem for verification (s). */
  verifyGraceS: number;
  /** Ed25519 signing key (PKCS#8 PEM or base64 seed); else one in HUB_DATA_DIR. */
  signingKey?: string;
  /** Further public keys whose checkpoints verification accepts (old keys after a rotation). */
  trustedKeys: string[];
}

export function loadAuditConfig(
  env: NodeJS.ProcessEnv,
  intFrom: (env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number) => number,
): AuditConfig {
  return {
    sealIntervalMs: intFrom(env, 'HUB_AUDIT_SEAL_INTERVAL_MS', 500, 0, 60_000),
    checkpointIntervalS: intFrom(env, 'HUB_AUDIT_CHECKPOINT_INTERVAL_S', 3600, 0, 7 * 24 * 3600),
    verifyGraceS: intFrom(env, 'HUB_AUDIT_VERIFY_GRACE_S', 60, 1, 7 * 24 * 3600),
    signingKey: env.HUB_AUDIT_SIGNING_KEY || undefined,
    trustedKeys: (env.HUB_AUDIT_TRUSTED_KEYS ?? '').split(',').map((k) => k.trim()).filter(Boolean),
  };
}
