import { Migration } from '@mikro-orm/migrations';

/**
 * Review and merge of duplicates (src/merge/, docs/matching.md): `returnee.merged_into_id` takes
 * a merged record out of every row scope; `returnee_merge` is the merge journal (what moved, so
 * an unmerge moves back exactly that); `duplicate_decision` holds the pairs a supervisor decided
 * are different people.
 */
export class Migration20261217000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "returnee" add column "merged_into_id" uuid null;`);
    this.addSql(`create index "returnee_merged_into_id_index" on "returnee" ("merged_into_id");`);
    this.addSql(
      `create table "returnee_merge" ("id" uuid not null, "survivor_id" uuid not null, "merged_id" uuid not null, "staff_id" uuid not null, "agency_id" uuid not null, "merged_at" timestamptz not null, "survivor_version" int not null, "merged_version" int not null, "survivor_previous" jsonb not null, "moved" jsonb not null, "undone_at" timestamptz null, "undone_by" uuid null, constraint "returnee_merge_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "returnee_merge_survivor_id_index" on "returnee_merge" ("survivor_id");`);
    this.addSql(`create index "returnee_merge_merged_id_index" on "returnee_merge" ("merged_id");`);
    this.addSql(
      `create table "duplicate_decision" ("low_id" uuid not null, "high_id" uuid not null, "decision" text not null, "staff_id" uuid not null, "agency_id" uuid not null, "decided_at" timestamptz not null, constraint "duplicate_decision_pkey" primary key ("low_id", "high_id"));`,
    );
    // Civil documents are append-only (Migration20261125130000): a version may only be superseded.
    // A merge (and its undo) moves them between the two records of one person; the guard lets
    // exactly that through, and only inside the transaction of a journalled merge that names both
    // records (hub.merge_id, set locally by src/merge/), so the journal always knows what moved.
    this.addSql(`create or replace function hub_civil_document_guard() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and old.superseded_at is null and new.superseded_at is not null
     and (to_jsonb(new) - 'superseded_at') = (to_jsonb(old) - 'superseded_at') then
    return new;
  end if;
  if tg_op = 'UPDATE' and (to_jsonb(new) - 'returnee_id') = (to_jsonb(old) - 'returnee_id')
     and exists (select 1 from returnee_merge m where m.id::text = current_setting('hub.merge_id', true)
       and ((m.merged_id = old.returnee_id and m.survivor_id = new.returnee_id)
         or (m.survivor_id = old.returnee_id and m.merged_id = new.returnee_id))) then
    return new;
  end if;
  raise exception 'civil_document versions are append-only: an update may only set superseded_at, once (% refused)', tg_op
    using errcode = 'insufficient_privilege';
end
$$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "duplicate_decision" cascade;`);
    this.addSql(`drop table if exists "returnee_merge" cascade;`);
    this.addSql(`alter table "returnee" drop column "merged_into_id";`);
  }
}
