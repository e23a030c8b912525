import { Migration } from '@mikro-orm/migrations';

/**
 * A page reads each branch of the caller's row scope in index order with its own limit and
 * merges them (src/returnee/returnee-select.ts). The registering-agency branch needs its rows in
 * case-number order: without this index it read and sorted every record the agency registered
 * (tens of thousands for a large registrar) for each page. The case-access branch is served by
 * returnee_country_case_number_index, the cross-border one by case_access_cross_border_active_index.
 */
export class Migration20261213070100 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index "returnee_registering_agency_id_case_number_id_index" on "returnee" ("registering_agency_id", "case_number", "id");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "returnee_registering_agency_id_case_number_id_index";`);
  }
}
