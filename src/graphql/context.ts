import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppAbility } from '../access/ability';
import type { AuditMaintenance } from '../audit/audit-maintenance';
import type { AuditRecorder } from '../audit/audit-recorder';
import type { Actor } from '../auth/actor';
import type { TokenVerifier } from '../auth/token-verifier';
import type { HubConfig } from '../config';
import type { HubMetrics } from '../http/metrics';
import type { Logger } from '../logger';

/** Process-wide parts every request uses. */
export interface HubRuntime {
  config: HubConfig;
  log: Logger;
  recorder: AuditRecorder;
  /** Sealing, checkpoints and verification of the audit trail (src/audit/audit-maintenance.ts). */
  audit: AuditMaintenance;
  jwtSecret: string;
  /** Prometheus series (src/http/metrics.ts); absent in tools that run without a server. */
  metrics?: HubMetrics;
  /** HS256 tokens, and OIDC tokens when HUB_OIDC_ISSUER is set (src/auth/token-verifier.ts). */
  verifyToken: TokenVerifier;
}

/** Built once per HTTP request; `em` is a fresh fork (its own identity map). */
export interface RequestContext {
  requestId: string;
  purpose?: string;
  /** The `Idempotency-Key` header: a mutation under a key takes effect at most once (src/idempotency/). */
  idempotencyKey?: string;
  actor?: Actor;
  ability?: AppAbility;
  em: EntityManager;
  runtime: HubRuntime;
}
