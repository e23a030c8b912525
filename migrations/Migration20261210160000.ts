import { Migration } from '@mikro-orm/migrations';

/**
 * Case access ends with its source, transitively (issue 11, defect 4): each access names the
 * access it derives from (`derived_from_id`, null when the registering agency gave it) and why
 * it ended (`revocation_reason`). An agency may now hold one active access per source, so the
 * unique "one active access per agency and record" index becomes a plain index (the one the row
 * scope's EXISTS uses) plus a unique index per source. Existing rows had at most one active
 * access per agency and record, so the new unique index holds for them.
 */
export class Migration20261210160000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "case_access" add column "derived_from_id" uuid null, add column "revocation_reason" text null;`);
    this.addSql(`create index "case_access_derived_from_id_index" on "case_access" ("derived_from_id");`);
    this.addSql(`create index "case_access_active_index" on "case_access" ("agency_id", "returnee_id") where "revoked_at" is null;`);
    this.addSql(`create unique index "case_access_source_unique" on "case_access" ("agency_id", "returnee_id", `
      + `coalesce("derived_from_id", '00000000-0000-0000-0000-000000000000'::uuid), coalesce("referral_id", '00000000-0000-0000-0000-000000000000'::uuid)) `
      + `where "revoked_at" is null;`);
    this.addSql(`drop index "case_access_active_unique";`);
  }

  override async down(): Promise<void> {
    this.addSql(`create unique index "case_access_active_unique" on "case_access" ("agency_id", "returnee_id") where "revoked_at" is null;`);
    this.addSql(`drop index "case_access_source_unique";`);
    this.addSql(`drop index "case_access_active_index";`);
    this.addSql(`drop index "case_access_derived_from_id_index";`);
    this.addSql(`alter table "case_access" drop column "derived_from_id", drop column "revocation_reason";`);
  }
}
