import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';

export const AUDIT_ACTIONS = ['READ', 'CREATE', 'UPDATE', 'DELETE', 'DENY'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
/** REPLAYED: a retried mutation (same Idempotency-Key) answered with the first one's result, no second effect. */
export const AUDIT_OUTCOMES = ['SUCCESS', 'DENIED', 'NOT_FOUND', 'CONFLICT', 'INVALID', 'ERROR', 'REPLAYED'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/**
 * One row per record touched per operation. Holds field names, never values. The table is
 * append-only: triggers installed by the migration refuse UPDATE, DELETE and TRUNCATE, the
 * hub's database role may only INSERT and SELECT, and only `src/trail/audit-recorder.ts`
 * inserts into it. `src/trail/audit-sealer.ts` chains every row into `audit_chain`.
 */
@Entity({ tableName: 'audit_event' })
// Newest-first keyset pages (occurred_at desc, id desc) by returnee, staff, agency or time
// alone are backward scans of one of these (docs/audit.md, "Indexes").
@Index({ properties: ['returneeId', 'occurredAt', 'id'] })
@Index({ properties: ['staffId', 'occurredAt', 'id'] })
@Index({ properties: ['agencyId', 'occurredAt', 'id'] })
@Index({ properties: ['occurredAt', 'id'] })
// Refusals, not-found and errors: rare, and what auditors look for; only those rows are indexed.
@Index({
  name: 'audit_event_outcome_occurred_at_id_index',
  expression: `create index "audit_event_outcome_occurred_at_id_index" on "audit_event" ("outcome", "occurred_at", "id") where "outcome" <> 'SUCCESS'`,
})
// Disclosures by basis (a consent, an agreement, a break-glass): a GIN index over the keys.
@Index({
  name: 'audit_event_basis_keys_index',
  expression: `create index "audit_event_basis_keys_index" on "audit_event" using gin ("basis_keys")`,
})
export class AuditEvent {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  /** The partition key (one partition per month, Migration20261212000000), hence part of the primary key. */
  @PrimaryKey({ type: 'timestamptz', defaultRaw: 'clock_timestamp()' })
  occurredAt!: Date;

  @Property({ type: 'uuid' })
  requestId!: string;

  @Property({ type: 'uuid', nullable: true })
  staffId?: string;

  @Property({ type: 'uuid', nullable: true })
  agencyId?: string;

  @Enum({ items: () => [...AUDIT_ACTIONS], type: 'string' })
  action!: AuditAction;

  @Property({ type: 'string', length: 64 })
  entityType!: string;

  @Property({ type: 'string', length: 64, nullable: true })
  entityId?: string;

  @Property({ type: 'uuid', nullable: true })
  returneeId?: string;

  /** Field names read or changed. */
  @Property({ type: 'text[]' })
  fields: string[] = [];

  /** Field names asked for but withheld by policy (redacted or refused). */
  @Property({ type: 'text[]' })
  deniedFields: string[] = [];

  @Property({ type: 'string', length: 200, nullable: true })
  purpose?: string;

  @Property({ type: 'string', length: 100, nullable: true })
  operation?: string;

  @Enum({ items: () => [...AUDIT_OUTCOMES], type: 'string' })
  outcome!: AuditOutcome;

  /** Short machine reason for a non-success outcome (an error code), never personal data. */
  @Property({ type: 'string', length: 200, nullable: true })
  reason?: string;

  /** The client's own id for the request (X-Correlation-Id, sanitised, src/http/request-id.ts); the request id is the hub's. */
  @Property({ type: 'string', length: 128, nullable: true })
  correlationId?: string;

  /** Per section disclosed, why it was lawful (src/access/basis.ts); READ events only. */
  @Property({ type: 'jsonb', nullable: true })
  basis?: unknown;

  /** `basis` as search keys (`CONSENT:<id>`, `AGREEMENT:<id>`…), for the GIN index. */
  @Property({ type: 'text[]', nullable: true })
  basisKeys?: string[];
}
