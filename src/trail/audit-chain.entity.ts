import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/**
 * One sealed audit event. `position` is the sealer's order (not the event id: a transaction
 * that took a lower id may commit after a higher one was sealed, and then simply gets a later
 * position). `hash` = SHA-256(previous hash ‖ position ‖ canonical event), see
 * `audit-canonical.ts`. Append-only, like `audit_event`.
 */
@Entity({ tableName: 'audit_chain' })
@Unique({ name: 'audit_chain_event_id_unique', properties: ['eventId', 'occurredAt'] })
export class AuditChainLink {
  @PrimaryKey({ type: 'bigint', autoincrement: false })
  position!: string;

  @Property({ type: 'bigint' })
  eventId!: string;

  @Property({ type: 'blob' })
  hash!: Buffer;

  /** The event's time, copied by the sealer: the partition key, so a month's links sit with its events. */
  @PrimaryKey({ type: 'timestamptz' })
  occurredAt!: Date;
}

/**
 * One sealing batch. Besides the positions it sealed, it carries the sealer's bookkeeping:
 * `watermark` (every event id at or below it is chained or will never exist) and the pending
 * (`pendingHigh`, `pendingXid`) pair from which a later sealer may advance it. See
 * `audit-sealer.ts`.
 */
@Entity({ tableName: 'audit_seal' })
export class AuditSeal {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'clock_timestamp()' })
  sealedAt!: Date;

  @Property({ type: 'bigint', nullable: true })
  firstPosition?: string;

  @Property({ type: 'bigint', nullable: true })
  lastPosition?: string;

  @Property({ type: 'blob', nullable: true })
  headHash?: Buffer;

  @Property({ type: 'bigint' })
  watermark!: string;

  @Property({ type: 'bigint' })
  pendingHigh!: string;

  /** The sealing transaction's id (`pg_current_xact_id()`), taken after it read `pendingHigh`. */
  @Property({ type: 'bigint', nullable: true })
  pendingXid?: string;

  /** The database clock read just before `pendingXid` was drawn: once that mark settles, no event dated before it can still commit. */
  @Property({ type: 'timestamptz', nullable: true })
  pendingAt?: Date;
}

/**
 * One closed month of the chain (`audit-month-seal.ts`): its positions, event count, root hash
 * (the link hash at its last position), the previous month's seal hash, signed like a checkpoint.
 */
@Entity({ tableName: 'audit_month_seal' })
export class AuditMonthSeal {
  @PrimaryKey({ type: 'date' })
  month!: string;

  @Property({ type: 'bigint' })
  firstPosition!: string;

  @Property({ type: 'bigint' })
  lastPosition!: string;

  @Property({ type: 'bigint' })
  eventCount!: string;

  @Property({ type: 'blob' })
  rootHash!: Buffer;

  @Property({ type: 'blob' })
  previousSealHash!: Buffer;

  @Property({ type: 'blob' })
  sealHash!: Buffer;

  @Property({ type: 'timestamptz' })
  sealedAt!: Date;

  @Property({ type: 'string', length: 64 })
  keyId!: string;

  @Property({ type: 'blob' })
  publicKey!: Buffer;

  @Property({ type: 'blob' })
  signature!: Buffer;
}

/** The head of the chain at one moment, signed with the hub's Ed25519 key (`audit-checkpoint.ts`). */
@Entity({ tableName: 'audit_checkpoint' })
export class AuditCheckpoint {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'bigint' })
  position!: string;

  @Property({ type: 'blob' })
  hash!: Buffer;

  @Property({ type: 'timestamptz' })
  signedAt!: Date;

  /** First 16 hex digits of SHA-256 of the raw public key. */
  @Property({ type: 'string', length: 64 })
  keyId!: string;

  /** The raw 32-byte Ed25519 public key that made the signature. */
  @Property({ type: 'blob' })
  publicKey!: Buffer;

  @Property({ type: 'blob' })
  signature!: Buffer;
}
