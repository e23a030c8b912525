import type { Knex } from '@mikro-orm/postgresql';
import type { Logger } from '../logger';
import type { AuditConfig } from './audit-config';
import { checkpointIfDue } from './audit-checkpoint';
import { sealAll } from './audit-sealer';
import { trustedKeyFromText, type SigningKey, type TrustedKey } from './audit-signing-key';
import { verifyTrail, type VerifyReport } from './audit-verifier';
import { PeriodicTask } from './periodic-task';

/**
 * The audit trail's background work in one serving hub process, on a small pool of its own:
 * sealing every `sealIntervalMs`, a signed checkpoint every `checkpointIntervalS` (at most one
 * across all processes), and verification on demand (one at a time per process: concurrent
 * callers share the run in flight).
 */
export class AuditMaintenance {
  readonly trustedKeys: TrustedKey[];
  private readonly sealer: PeriodicTask;
  private readonly checkpointer: PeriodicTask;
  private verifying?: Promise<VerifyReport>;

  constructor(
    readonly knex: Knex,
    readonly key: SigningKey,
    private readonly config: AuditConfig,
    log: Logger,
  ) {
    this.trustedKeys = [key.publicKey, ...config.trustedKeys.map(trustedKeyFromText)];
    this.sealer = new PeriodicTask('audit sealer', config.sealIntervalMs, async () => {
      await sealAll(knex);
    }, log);
    this.checkpointer = new PeriodicTask('audit checkpoint', config.checkpointIntervalS * 1000, async () => {
      const cp = await checkpointIfDue(knex, key, config.checkpointIntervalS * 1000);
      if (cp) log.info({ position: cp.position, hash: cp.hash, keyId: cp.keyId }, 'audit checkpoint signed');
    }, log);
  }

  start(): this {
    this.sealer.start();
    this.checkpointer.start();
    return this;
  }

  verify(): Promise<VerifyReport> {
    this.verifying ??= verifyTrail(this.knex, { trustedKeys: this.trustedKeys, graceMs: this.config.verifyGraceS * 1000 })
      .finally(() => {
        this.verifying = undefined;
      });
    return this.verifying;
  }

  /** Stops the timers, seals what this process wrote last, and closes the pool. */
  async stop(): Promise<void> {
    await this.checkpointer.stop();
    await this.sealer.stop();
    await sealAll(this.knex, { wait: true }).catch(() => undefined); // queue behind a sealer elsewhere rather than leave events unsealed
    await this.verifying?.catch(() => undefined);
    await this.knex.destroy();
  }
}
