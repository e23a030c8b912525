import type { Knex } from '@mikro-orm/postgresql';
import type { Logger } from '../logger';
import type { AuditConfig } from './audit-config';
import { checkpointIfDue, createCheckpoint, type CheckpointRecord } from './audit-checkpoint';
import { CheckpointPublisher, readKeptCheckpoints, trailOf, type DeliveryHook, type KeptCopy } from './audit-checkpoint-sink';
import { listMonthSeals } from './audit-month-seal';
import { sealAll } from './audit-sealer';
import { trustedKeyFromText, type SigningKey, type TrustedKey } from './audit-signing-key';
import { verifyTrail, type VerifyReport } from './audit-verifier';
import { PeriodicTask } from '../common/periodic-task';

/**
 * A timer tick a little early must not skip a whole interval: a checkpoint is due once 90% of
 * the interval has passed since the latest one (signed by any process).
 */
const DUE_FRACTION = 0.9;

/** Partitions exist this many months ahead; checked this often. */
const MONTHS_AHEAD = 3;
const PARTITION_CHECK_MS = 6 * 3600 * 1000;

/** Ranges of positions verified at once on the maintenance pool (of 3 connections: one stays for the sealer). */
const VERIFY_CONNECTIONS = 2;

/**
 * The audit trail's background work in one serving hub process, on a small pool of its own
 * (as the sealer role): sealing every `sealIntervalMs`; a signed checkpoint at start, then
 * every `checkpointIntervalS` while the chain grows (at most one per interval across all
 * processes), and a last one at shutdown, each also kept outside the database
 * (audit-checkpoint-sink.ts); and verification on demand (one at a time per process:
 * concurrent callers share the run in flight), against the kept copies too.
 */
export class AuditMaintenance {
  readonly trustedKeys: TrustedKey[];
  private readonly sealer: PeriodicTask;
  private readonly checkpointer: PeriodicTask;
  private readonly partitioner: PeriodicTask;
  private readonly publisher: CheckpointPublisher;
  private verifying?: Promise<VerifyReport>;
  private checking?: Promise<VerifyReport>;
  /** When this process last walked each closed month and found it intact (a month found broken stays first in line). */
  private readonly walkedAt = new Map<string, number>();
  private trail?: Promise<string>;

  constructor(
    readonly knex: Knex,
    readonly key: SigningKey,
    private readonly config: AuditConfig,
    private readonly log: Logger,
    opts: { onDelivery?: DeliveryHook } = {},
  ) {
    this.trustedKeys = [key.publicKey, ...config.trustedKeys.map(trustedKeyFromText)];
    this.publisher = new CheckpointPublisher(config, log, opts.onDelivery);
    this.sealer = new PeriodicTask(
      'audit sealer',
      config.sealIntervalMs,
      async () => {
        await sealAll(knex, { key });
      },
      log,
    );
    // The months ahead get their partitions well before their first event (Migration20261212000000): daily, and at start.
    this.partitioner = new PeriodicTask(
      'audit partitions',
      config.sealIntervalMs > 0 ? PARTITION_CHECK_MS : 0,
      async () => {
        await knex.raw('select hub_audit_ensure_partitions(?)', [MONTHS_AHEAD]);
      },
      log,
    );
    this.checkpointer = new PeriodicTask(
      'audit checkpoint',
      config.checkpointIntervalS * 1000,
      async () => {
        await this.sealIfSealing();
        await this.keep(await checkpointIfDue(knex, key, config.checkpointIntervalS * 1000 * DUE_FRACTION));
      },
      log,
    );
  }

  /**
   * Seals what is there and signs the head before serving: a checkpoint at start bounds what
   * an attacker could cut from the tail since the last run. A failure is logged, not fatal.
   */
  async start(): Promise<this> {
    if (this.config.checkpointIntervalS > 0) {
      await this.checkpointNow().catch((err: unknown) => {
        this.log.warn({ err }, 'no audit checkpoint at start; the timer tries again');
      });
    }
    await this.partitioner.runNow();
    this.sealer.start();
    this.checkpointer.start();
    this.partitioner.start();
    return this;
  }

  /** Seals (when this process seals), signs the head now, and keeps the checkpoint outside the database. */
  async checkpointNow(): Promise<CheckpointRecord | undefined> {
    await this.sealIfSealing();
    return this.keep(await createCheckpoint(this.knex, this.key));
  }

  /**
   * The bounded check behind `auditIntegrity`: the open months walked, the closed ones checked
   * from their seals, and `integrityClosedMonths` of them walked too, the least recently walked
   * by this process first, so that repeated checks cover every month in turn.
   */
  integrity(): Promise<VerifyReport> {
    this.checking ??= this.boundedCheck().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  private async boundedCheck(): Promise<VerifyReport> {
    const copies = await this.keptCopies();
    const sealed = (await listMonthSeals(this.knex)).map((s) => s.month);
    const turn = [...sealed]
      .sort((a, b) => (this.walkedAt.get(a) ?? 0) - (this.walkedAt.get(b) ?? 0) || a.localeCompare(b))
      .slice(0, this.config.integrityClosedMonths);
    const report = await verifyTrail(this.knex, {
      trustedKeys: this.trustedKeys,
      graceMs: this.config.verifyGraceS * 1000,
      keptCheckpoints: copies.flatMap((c) => c.checkpoints.map((checkpoint) => ({ checkpoint, source: c.source }))),
      bounded: { closedMonths: turn },
      concurrency: VERIFY_CONNECTIONS,
    });
    const now = Date.now();
    for (const m of report.months) if (m.walked && m.intact) this.walkedAt.set(m.month, now);
    return report;
  }

  verify(): Promise<VerifyReport> {
    this.verifying ??= this.verifyWithKeptCopies().finally(() => {
      this.verifying = undefined;
    });
    return this.verifying;
  }

  /** The kept copies of this trail's checkpoints, read before the walk (so the head cannot pass them meanwhile). */
  async keptCopies(): Promise<KeptCopy[]> {
    return readKeptCheckpoints(this.config, await this.trailId());
  }

  /** Stops the timers, seals what this process wrote last, signs that, and closes the pool. */
  async stop(): Promise<void> {
    await this.checkpointer.stop();
    await this.partitioner.stop();
    await this.sealer.stop();
    await sealAll(this.knex, { wait: true, key: this.key }).catch(() => undefined); // queue behind a sealer elsewhere rather than leave events unsealed
    if (this.config.checkpointIntervalS > 0) {
      await checkpointIfDue(this.knex, this.key, 0)
        .then((cp) => this.keep(cp))
        .catch((err: unknown) => {
          this.log.warn({ err }, 'no audit checkpoint at shutdown');
        });
    }
    await this.verifying?.catch(() => undefined);
    await this.checking?.catch(() => undefined);
    await this.knex.destroy();
  }

  private async verifyWithKeptCopies(): Promise<VerifyReport> {
    const copies = await this.keptCopies();
    return verifyTrail(this.knex, {
      trustedKeys: this.trustedKeys,
      graceMs: this.config.verifyGraceS * 1000,
      keptCheckpoints: copies.flatMap((c) => c.checkpoints.map((checkpoint) => ({ checkpoint, source: c.source }))),
      concurrency: VERIFY_CONNECTIONS,
    });
  }

  private trailId(): Promise<string> {
    this.trail ??= trailOf(this.knex).catch((error: unknown) => {
      this.trail = undefined;
      throw error;
    });
    return this.trail;
  }

  private async sealIfSealing(): Promise<void> {
    if (this.config.sealIntervalMs > 0) await sealAll(this.knex, { key: this.key });
  }

  private async keep(cp: CheckpointRecord | undefined): Promise<CheckpointRecord | undefined> {
    if (!cp) return undefined;
    this.log.info({ position: cp.position, hash: cp.hash, keyId: cp.keyId }, 'audit checkpoint signed');
    await this.publisher.publish({ ...cp, trail: await this.trailId() });
    return cp;
  }
}
