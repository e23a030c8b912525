import { Migration } from '@mikro-orm/migrations';

/**
 * The row scope of case-based sectors has a cross-border branch: "an active case access of my
 * agency marked cross-border". Served by case_access_active_unique (agency, returnee), it read
 * every active access of the agency to find the cross-border ones: 3,628 rows and 2.3 ms of a
 * 7.8 ms page for a Kazakh health caseworker on the bench's 10,000 records (EXPLAIN ANALYZE),
 * to find none. This partial index holds only the cross-border rows. See docs/bench.md.
 */
export class Migration20261202060000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "case_access_cross_border_active_index" on "case_access" ("agency_id", "returnee_id") where "revoked_at" is null and "cross_border";`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "case_access_cross_border_active_index";`);
  }
}
