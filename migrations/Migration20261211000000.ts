import { Migration } from '@mikro-orm/migrations';

/**
 * Duplicate detection (src/dedup/, docs/matching.md): name keys per returnee in a table of their
 * own, searched with pg_trgm (a trusted extension shipped with PostgreSQL's contrib, in the
 * embedded build and Debian's alike; the hub's app role uses its operators as any user may).
 *
 * Triggers keep the table honest whoever writes `returnee`: an insert gets a key row at version
 * 0 ("to be computed"), a change of a name column sets it back to 0. The hub computes keys in
 * the same transaction when it writes names, and fills version-0 rows in the background — which
 * is also how the rows created here for existing returnees get their keys (the key function is
 * TypeScript: src/dedup/name-keys.ts).
 */
export class Migration20261211000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create extension if not exists pg_trgm;`);
    // The planner costs \`%\` like an integer comparison, so up to a few 10^4 rows it preferred a
    // sequential scan computing trigrams of every name (17 ms at 4,000 rows) to the GIN index
    // (0.6 ms). Its real cost is closer to 100 operator calls (EXPLAIN ANALYZE, docs/matching.md).
    this.addSql(`alter function similarity_op(text, text) cost 100;`);
    // \`%\` keeps what reaches pg_trgm.similarity_threshold (default 0.3). On one short word that
    // let "gulmira" bring 6,000 of 10^5 given names to the heap; at 0.45, 4,400 and a quarter of
    // the time. The check filters at PART_SIMILARITY itself, so this only tunes the index scan.
    this.addSql(`do $$ begin execute format('alter database %I set pg_trgm.similarity_threshold = 0.45', current_database()); end $$;`);
    this.addSql(`create table "returnee_name_key" ("returnee_id" uuid not null, "name_key" text null, "given_key" text null, "family_key" text null, "name_pairs" text[] null, "key_version" int not null default 0, constraint "returnee_name_key_pkey" primary key ("returnee_id"));`);
    this.addSql(`create index "returnee_name_key_key_version_index" on "returnee_name_key" ("key_version");`);
    this.addSql(`create index "returnee_name_key_pairs_index" on "returnee_name_key" using gin ("name_pairs");`);
    this.addSql(`create index "returnee_name_key_given_trgm_index" on "returnee_name_key" using gin ("given_key" gin_trgm_ops);`);
    this.addSql(`create index "returnee_name_key_family_trgm_index" on "returnee_name_key" using gin ("family_key" gin_trgm_ops);`);
    this.addSql(`alter table "returnee_name_key" add constraint "returnee_name_key_returnee_id_foreign" foreign key ("returnee_id") references "returnee" ("id") on update cascade on delete cascade;`);

    // One statement-level trigger per insert: the seed inserts thousands of rows at a time.
    this.addSql(`create or replace function hub_returnee_name_key_insert() returns trigger language plpgsql as $$
      begin
        insert into returnee_name_key (returnee_id) select id from inserted on conflict (returnee_id) do nothing;
        return null;
      end $$;`);
    this.addSql(`create trigger returnee_name_key_insert after insert on "returnee" referencing new table as inserted
      for each statement execute function hub_returnee_name_key_insert();`);
    this.addSql(`create or replace function hub_returnee_name_key_stale() returns trigger language plpgsql as $$
      begin
        update returnee_name_key set key_version = 0 where returnee_id = new.id;
        return null;
      end $$;`);
    this.addSql(`create trigger returnee_name_key_stale after update of given_name, family_name, patronymic, other_names on "returnee"
      for each row when (old.given_name is distinct from new.given_name or old.family_name is distinct from new.family_name
        or old.patronymic is distinct from new.patronymic or old.other_names is distinct from new.other_names)
      execute function hub_returnee_name_key_stale();`);

    this.addSql(`insert into returnee_name_key (returnee_id) select id from returnee on conflict (returnee_id) do nothing;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists returnee_name_key_stale on "returnee";`);
    this.addSql(`drop trigger if exists returnee_name_key_insert on "returnee";`);
    this.addSql(`drop function if exists hub_returnee_name_key_stale();`);
    this.addSql(`drop function if exists hub_returnee_name_key_insert();`);
    this.addSql(`drop table if exists "returnee_name_key" cascade;`);
    this.addSql(`alter function similarity_op(text, text) cost 1;`);
    this.addSql(`do $$ begin execute format('alter database %I reset pg_trgm.similarity_threshold', current_database()); end $$;`);
  }
}
