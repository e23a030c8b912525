import { Migration } from '@mikro-orm/migrations';

/**
 * Idempotent mutations (src/idempotency/): one row per (staff, Idempotency-Key), written in
 * the mutation's own transaction. Expired keys are removed by the hub as the same caller
 * sends new ones (primary-key prefix), so no index on `created_at` is needed.
 *
 * The audit trail gains the outcome REPLAYED (a retried mutation answered without a second
 * effect). The wider check is added NOT VALID: every existing row already satisfies the
 * narrower one it replaces, so validating would only scan (and lock) a very large table.
 */
export class Migration20261202023645 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "idempotency_key" ("staff_id" uuid not null, "key" varchar(128) not null, "request_hash" varchar(64) not null, "operation" varchar(100) not null, "request_id" uuid not null, "result" jsonb not null, "touched" jsonb not null, "created_at" timestamptz not null default now(), constraint "idempotency_key_pkey" primary key ("staff_id", "key"));`);

    this.addSql(`alter table "audit_event" drop constraint if exists "audit_event_outcome_check";`);
    this.addSql(`alter table "audit_event" add constraint "audit_event_outcome_check" check("outcome" in ('SUCCESS', 'DENIED', 'NOT_FOUND', 'CONFLICT', 'INVALID', 'ERROR', 'REPLAYED')) not valid;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "idempotency_key" cascade;`);
    this.addSql(`alter table "audit_event" drop constraint if exists "audit_event_outcome_check";`);
    this.addSql(`alter table "audit_event" add constraint "audit_event_outcome_check" check("outcome" in ('SUCCESS', 'DENIED', 'NOT_FOUND', 'CONFLICT', 'INVALID', 'ERROR')) not valid;`);
  }
}
