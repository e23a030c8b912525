import { Migration } from '@mikro-orm/migrations';

const APPEND_ONLY = ['audit_chain', 'audit_seal', 'audit_checkpoint'];

/**
 * Tamper evidence for the audit trail (see docs/audit.md).
 *
 * - `audit_chain`: one row per sealed event, in the sealer's order (`position`), with the
 *   SHA-256 hash that links it to the previous one. Kept apart from `audit_event` because
 *   event rows are never updated.
 * - `audit_seal`: one row per sealing batch, with the watermark the sealer needs to find late
 *   commits without scanning the whole trail.
 * - `audit_checkpoint`: the head of the chain signed with the hub's Ed25519 key.
 *
 * All three refuse UPDATE, DELETE and TRUNCATE like `audit_event`. The audit_event indexes
 * gain `id` (and agency and time get their own), so the newest-first keyset pages of
 * `auditEvents` are a backward index scan whatever the filter.
 */
export class Migration20261125200000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop index "audit_event_staff_id_occurred_at_index";`);
    this.addSql(`drop index "audit_event_returnee_id_occurred_at_index";`);
    this.addSql(`create index "audit_event_returnee_id_occurred_at_id_index" on "audit_event" ("returnee_id", "occurred_at", "id");`);
    this.addSql(`create index "audit_event_staff_id_occurred_at_id_index" on "audit_event" ("staff_id", "occurred_at", "id");`);
    this.addSql(`create index "audit_event_agency_id_occurred_at_id_index" on "audit_event" ("agency_id", "occurred_at", "id");`);
    this.addSql(`create index "audit_event_occurred_at_id_index" on "audit_event" ("occurred_at", "id");`);

    this.addSql(`create table "audit_chain" ("position" bigint not null, "event_id" bigint not null, "hash" bytea not null, constraint "audit_chain_pkey" primary key ("position"));`);
    this.addSql(`alter table "audit_chain" add constraint "audit_chain_event_id_unique" unique ("event_id");`);

    this.addSql(`create table "audit_seal" ("id" bigserial primary key, "sealed_at" timestamptz not null default clock_timestamp(), "first_position" bigint null, "last_position" bigint null, "head_hash" bytea null, "watermark" bigint not null, "pending_high" bigint not null, "pending_snapshot" text not null);`);

    this.addSql(`create table "audit_checkpoint" ("id" bigserial primary key, "position" bigint not null, "hash" bytea not null, "signed_at" timestamptz not null, "key_id" varchar(64) not null, "public_key" bytea not null, "signature" bytea not null);`);

    for (const table of APPEND_ONLY) {
      this.addSql(`create trigger ${table}_no_update_delete before update or delete on "${table}"
        for each row execute function hub_refuse_change();`);
      this.addSql(`create trigger ${table}_no_truncate before truncate on "${table}"
        for each statement execute function hub_refuse_change();`);
    }
  }

  override async down(): Promise<void> {
    for (const table of APPEND_ONLY) this.addSql(`drop table if exists "${table}";`);
    this.addSql(`drop index "audit_event_occurred_at_id_index";`);
    this.addSql(`drop index "audit_event_agency_id_occurred_at_id_index";`);
    this.addSql(`drop index "audit_event_staff_id_occurred_at_id_index";`);
    this.addSql(`drop index "audit_event_returnee_id_occurred_at_id_index";`);
    this.addSql(`create index "audit_event_staff_id_occurred_at_index" on "audit_event" ("staff_id", "occurred_at");`);
    this.addSql(`create index "audit_event_returnee_id_occurred_at_index" on "audit_event" ("returnee_id", "occurred_at");`);
  }
}
