import { Migration } from '@mikro-orm/migrations';

const GIN = ['returnee_name_key_given_trgm_index', 'returnee_name_key_family_trgm_index', 'returnee_name_key_pairs_index'];

/**
 * Duplicate checks at 10^5 records (docs/matching.md, "Measured"):
 *
 * 1. `name_key_term` (name-key-term.entity.ts), the vocabulary of given and family keys, with a
 *    trigram GIN index, and a btree on returnee_name_key (given_key, family_key): a check finds
 *    the similar keys among a few hundred words, then the rows carrying them, instead of
 *    intersecting two trigram bitmaps over every row (59 ms for a common given name at 10^5).
 *    Statement triggers add the keys of every row written (insert, and the upsert's update),
 *    whoever writes; the existing keys are added here.
 * 2. The name keys' GIN indexes keep a pending list of at most 64 kB (the smallest) instead of the
 *    server's 4 MB default: every search reads an index's whole pending list, and every write of
 *    a returnee_name_key row adds to it — registrations, key fills, and the pair filler's
 *    `pairs_version` update of each record (indexed, so never a HOT update). At 10^5 records the
 *    lists held 140–440 pages between vacuums, read by every check (8–15 ms of a check finding
 *    nobody, 0.8 ms without). A write that fills the list merges it, so bulk loads stay batched.
 *    The lists left by earlier writes are merged now.
 */
export class Migration20261227100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "name_key_term" ("kind" text not null, "term" text not null, constraint "name_key_term_pkey" primary key ("kind", "term"));`,
    );
    this.addSql(`create index "name_key_term_trgm_index" on "name_key_term" using gin ("term" gin_trgm_ops);`);
    this.addSql(`create index "returnee_name_key_given_family_index" on "returnee_name_key" ("given_key", "family_key");`);
    this.addSql(`create or replace function hub_name_key_terms() returns trigger language plpgsql as $$
      begin
        insert into name_key_term (kind, term)
          select 'GIVEN', n.given_key from written_keys n where n.given_key is not null
          union select 'FAMILY', n.family_key from written_keys n where n.family_key is not null
        on conflict do nothing;
        return null;
      end $$;`);
    for (const event of ['insert', 'update'])
      this.addSql(`create trigger "returnee_name_key_terms_${event}" after ${event} on "returnee_name_key"
        referencing new table as written_keys for each statement execute function hub_name_key_terms();`);
    this.addSql(`insert into name_key_term (kind, term)
      select 'GIVEN', given_key from returnee_name_key where given_key is not null
      union select 'FAMILY', family_key from returnee_name_key where family_key is not null
      on conflict do nothing;`);
    for (const index of GIN) {
      this.addSql(`alter index "${index}" set (gin_pending_list_limit = 64);`);
      this.addSql(`select gin_clean_pending_list('"${index}"'::regclass);`);
    }
  }

  override async down(): Promise<void> {
    for (const index of GIN) this.addSql(`alter index "${index}" reset (gin_pending_list_limit);`);
    for (const event of ['insert', 'update']) this.addSql(`drop trigger "returnee_name_key_terms_${event}" on "returnee_name_key";`);
    this.addSql(`drop function hub_name_key_terms();`);
    this.addSql(`drop index "returnee_name_key_given_family_index";`);
    this.addSql(`drop table "name_key_term";`);
  }
}
