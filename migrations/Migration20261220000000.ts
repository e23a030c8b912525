import { Migration } from '@mikro-orm/migrations';

/**
 * Break-glass (src/break-glass/, docs/disclosure-basis.md): `break_glass` holds every emergency
 * opening (who, which agency, which record, why, its window, what it showed, how it was reviewed);
 * `break_glass_open` is the view the read rules ask (access/break-glass-window.ts): windows not
 * closed whose expiry is after the database's now(), so closing or expiry cuts access on the next
 * request; `break_glass_review` holds one review per side (the opener's agency, the record's
 * registering agency). Rows are never deleted.
 */
export class Migration20261220000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "break_glass" ("id" uuid not null, "actor_id" uuid not null, "agency_id" uuid not null, "returnee_id" uuid not null, "record_agency_id" uuid not null, "country" varchar(2) not null, "reason_code" text check ("reason_code" in ('CHILD_HEALTH_EMERGENCY', 'RISK_TO_LIFE', 'SAFEGUARDING')) not null, "reason_text" varchar(1000) not null, "sections" text[] not null, "outside_scope" boolean not null, "opened_at" timestamptz not null, "expires_at" timestamptz not null, "closed_at" timestamptz null, "closed_by" uuid null, "review_outcome" text check ("review_outcome" in ('JUSTIFIED', 'NOT_JUSTIFIED')) null, "reviewed_at" timestamptz null, constraint "break_glass_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "break_glass_country_review_outcome_opened_at_index" on "break_glass" ("country", "review_outcome", "opened_at");`);
    this.addSql(`create index "break_glass_record_agency_id_opened_at_index" on "break_glass" ("record_agency_id", "opened_at");`);
    this.addSql(`create index "break_glass_agency_id_opened_at_index" on "break_glass" ("agency_id", "opened_at");`);
    this.addSql(`create index "break_glass_actor_id_expires_at_index" on "break_glass" ("actor_id", "expires_at");`);
    this.addSql(`create index "break_glass_returnee_id_actor_id_expires_at_index" on "break_glass" ("returnee_id", "actor_id", "expires_at");`);
    // The windows open now: what the read rules ask (access/break-glass-window.ts), evaluated per statement.
    this.addSql(`create view "break_glass_open" as select * from "break_glass" where "closed_at" is null and "expires_at" > now();`);
    this.addSql(
      `create table "break_glass_review" ("id" uuid not null, "break_glass_id" uuid not null, "side" text check ("side" in ('ACTOR_AGENCY', 'RECORD_AGENCY')) not null, "reviewer_id" uuid not null, "agency_id" uuid not null, "outcome" text check ("outcome" in ('JUSTIFIED', 'NOT_JUSTIFIED')) not null, "note" varchar(2000) not null, "reviewed_at" timestamptz not null, constraint "break_glass_review_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "break_glass_review" add constraint "break_glass_review_break_glass_id_side_unique" unique ("break_glass_id", "side");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "break_glass_review" cascade;`);
    this.addSql(`drop view if exists "break_glass_open";`);
    this.addSql(`drop table if exists "break_glass" cascade;`);
  }
}
