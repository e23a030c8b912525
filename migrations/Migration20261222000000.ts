import { Migration } from '@mikro-orm/migrations';

/**
 * Duplicate review (src/dedup/pair-store.ts, potential-duplicates.service.ts, docs/matching.md):
 * `duplicate_pair` holds the pairs of records that may be one person, kept up to date when either
 * changes; `returnee_name_key.pairs_version` marks a record whose pairs are to be recomputed (0 for
 * every existing record: the hub computes them in the background); a trigger resets it when an
 * IDENTITY field or the merge state of a record changes. `duplicate_decision.note` keeps the
 * supervisor's reason.
 */
export class Migration20261222000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "duplicate_pair" ("low_id" uuid not null, "high_id" uuid not null, "score" double precision not null, "reasons" jsonb not null, "computed_at" timestamptz not null, constraint "duplicate_pair_pkey" primary key ("low_id", "high_id"));`,
    );
    this.addSql(`create index "duplicate_pair_high_id_index" on "duplicate_pair" ("high_id");`);
    this.addSql(`create index "duplicate_pair_order_index" on "duplicate_pair" ("score", "low_id", "high_id");`);
    this.addSql(`alter table "returnee_name_key" add column "pairs_version" int not null default 0;`);
    this.addSql(`create index "returnee_name_key_pairs_version_index" on "returnee_name_key" ("pairs_version");`);
    this.addSql(`alter table "duplicate_decision" add column "note" text null;`);
    this.addSql(`create or replace function hub_returnee_pairs_stale() returns trigger language plpgsql as $$
      begin
        update returnee_name_key set pairs_version = 0 where returnee_id = new.id and pairs_version <> 0;
        return null;
      end $$;`);
    this.addSql(`create trigger returnee_pairs_stale after update of given_name, family_name, patronymic, other_names, sex,
        date_of_birth, date_of_birth_estimated, place_of_birth, merged_into_id on "returnee"
      for each row when (old.given_name is distinct from new.given_name or old.family_name is distinct from new.family_name
        or old.patronymic is distinct from new.patronymic or old.other_names is distinct from new.other_names
        or old.sex is distinct from new.sex or old.date_of_birth is distinct from new.date_of_birth
        or old.date_of_birth_estimated is distinct from new.date_of_birth_estimated
        or old.place_of_birth is distinct from new.place_of_birth or old.merged_into_id is distinct from new.merged_into_id)
      execute function hub_returnee_pairs_stale();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists returnee_pairs_stale on "returnee";`);
    this.addSql(`drop function if exists hub_returnee_pairs_stale();`);
    this.addSql(`alter table "duplicate_decision" drop column "note";`);
    this.addSql(`alter table "returnee_name_key" drop column "pairs_version";`);
    this.addSql(`drop table if exists "duplicate_pair" cascade;`);
  }
}
