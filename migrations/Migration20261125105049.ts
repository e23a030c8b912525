import { Migration } from '@mikro-orm/migrations';

export class Migration20261125105049 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "referral" ("id" uuid not null, "returnee_id" uuid not null, "from_agency_id" uuid not null, "to_agency_id" uuid not null, "service" varchar(200) not null, "reason" text not null, "cross_border" boolean not null, "status" text check ("status" in ('PENDING', 'ACCEPTED', 'DECLINED', 'CLOSED')) not null, "created_by_id" uuid not null, "created_at" timestamptz not null, "decided_by_id" uuid null, "decided_at" timestamptz null, "decision_note" varchar(1000) null, "closed_at" timestamptz null, constraint "referral_pkey" primary key ("id"));`);
    this.addSql(`create index "referral_returnee_id_index" on "referral" ("returnee_id");`);
    this.addSql(`create index "referral_from_agency_id_created_at_index" on "referral" ("from_agency_id", "created_at");`);
    this.addSql(`create index "referral_to_agency_id_status_created_at_index" on "referral" ("to_agency_id", "status", "created_at");`);

    this.addSql(`alter table "referral" add constraint "referral_returnee_id_foreign" foreign key ("returnee_id") references "returnee" ("id") on update cascade;`);
    this.addSql(`alter table "referral" add constraint "referral_from_agency_id_foreign" foreign key ("from_agency_id") references "agency" ("id") on update cascade;`);
    this.addSql(`alter table "referral" add constraint "referral_to_agency_id_foreign" foreign key ("to_agency_id") references "agency" ("id") on update cascade;`);
    this.addSql(`alter table "referral" add constraint "referral_created_by_id_foreign" foreign key ("created_by_id") references "staff_member" ("id") on update cascade;`);
    this.addSql(`alter table "referral" add constraint "referral_decided_by_id_foreign" foreign key ("decided_by_id") references "staff_member" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "case_access" add column "referral_id" uuid null;`);
    this.addSql(`create index "case_access_referral_id_index" on "case_access" ("referral_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "referral" cascade;`);

    this.addSql(`drop index "case_access_referral_id_index";`);
    this.addSql(`alter table "case_access" drop column "referral_id";`);
  }

}
