import { Migration } from '@mikro-orm/migrations';

/**
 * Auditors filter for refusals, not-found attempts and errors; they are a few percent of the
 * trail, so a newest-first page of them read through the time index scans every event of the
 * range (900 ms for 7 days at 10^7 events, measured). A partial index holding only the
 * non-SUCCESS events serves `auditEvents(filter: { outcomes: [...] })` as a backward scan, and
 * costs nothing on the common (successful) inserts. See docs/audit.md, "Indexes".
 */
export class Migration20261202000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "audit_event_outcome_occurred_at_id_index" on "audit_event" ("outcome", "occurred_at", "id") where "outcome" <> 'SUCCESS';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "audit_event_outcome_occurred_at_id_index";`);
  }
}
