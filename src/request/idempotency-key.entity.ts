import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A record a mutation touched, as its audit events name it: ids, never values. */
export interface TouchedRecord {
  entityType: string;
  entityId?: string;
  returneeId?: string;
}

/**
 * The first outcome of a mutation sent with an `Idempotency-Key`, written in the same
 * transaction as the mutation's effect: either both exist or neither. Keyed by the caller and
 * the key, so one staff member's keys never collide with another's. Holds a hash of the
 * request and what the mutation returned as ids; never request or response bodies, which
 * carry personal data (a replay reads the record again through the access layer).
 */
@Entity({ tableName: 'idempotency_key' })
export class IdempotencyKey {
  @PrimaryKey({ type: 'uuid' })
  staffId!: string;

  @PrimaryKey({ type: 'string', length: 128 })
  key!: string;

  /** SHA-256 (hex) of the root field's name and its arguments in canonical JSON. */
  @Property({ type: 'string', length: 64 })
  requestHash!: string;

  /** The mutation (GraphQL root field). */
  @Property({ type: 'string', length: 100 })
  operation!: string;

  /** The request that took effect; replays name it in their audit events. */
  @Property({ type: 'uuid' })
  requestId!: string;

  /** What the mutation's service returned, as ids. */
  @Property({ type: 'jsonb' })
  result!: unknown;

  @Property({ type: 'jsonb' })
  touched: TouchedRecord[] = [];

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt!: Date;
}
