import { Migration } from '@mikro-orm/migrations';

/**
 * Data-sharing agreements (src/agreement/, docs/disclosure-basis.md): the terms in force in
 * `sharing_agreement`, every version as recorded in `sharing_agreement_version`. The read rules
 * look agreements up by the record's registering agency (the holder) and whether they are
 * suspended: the (holder_id, suspended_at) index.
 */
export class Migration20261216090000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "sharing_agreement_version" ("agreement_id" uuid not null, "version" int not null, "terms" jsonb not null, "recorded_by" uuid not null, "recorded_at" timestamptz not null, constraint "sharing_agreement_version_pkey" primary key ("agreement_id", "version"));`);
    this.addSql(`create table "sharing_agreement" ("id" uuid not null, "holder_id" uuid not null, "recipient_agency_id" uuid null, "recipient_sector" varchar(32) null, "recipient_country" varchar(2) null, "version" int not null, "purposes" text[] not null, "sections" text[] not null, "valid_from" date not null, "valid_until" date null, "document_ref" varchar(200) not null, "signatories" jsonb not null, "recorded_by_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "suspended_at" timestamptz null, "suspension_reason" varchar(500) null, constraint "sharing_agreement_pkey" primary key ("id"));`);
    this.addSql(`create index "sharing_agreement_holder_id_suspended_at_index" on "sharing_agreement" ("holder_id", "suspended_at");`);
    this.addSql(`alter table "sharing_agreement" add constraint "sharing_agreement_holder_id_foreign" foreign key ("holder_id") references "agency" ("id") on update cascade;`);
    this.addSql(`alter table "sharing_agreement" add constraint "sharing_agreement_recipient_agency_id_foreign" foreign key ("recipient_agency_id") references "agency" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "sharing_agreement" add constraint "sharing_agreement_recorded_by_id_foreign" foreign key ("recorded_by_id") references "staff_member" ("id") on update cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "sharing_agreement" cascade;`);
    this.addSql(`drop table if exists "sharing_agreement_version" cascade;`);
  }
}
