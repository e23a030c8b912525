import { Migration } from '@mikro-orm/migrations';

export class Migration20261125104712 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "consent" ("id" uuid not null, "returnee_id" uuid not null, "given_by" text check ("given_by" in ('SELF', 'GUARDIAN')) not null, "guardian_returnee_id" uuid null, "guardian_name" varchar(200) null, "sectors" text[] not null, "sections" text[] not null, "purpose" varchar(500) not null, "valid_from" date not null, "valid_until" date null, "agency_id" uuid not null, "recorded_by_id" uuid not null, "recorded_at" timestamptz not null, "revoked_at" timestamptz null, "revoked_by_id" uuid null, "revocation_reason" varchar(500) null, constraint "consent_pkey" primary key ("id"));`);
    this.addSql(`create index "consent_returnee_id_revoked_at_index" on "consent" ("returnee_id", "revoked_at");`);

    this.addSql(`alter table "consent" add constraint "consent_returnee_id_foreign" foreign key ("returnee_id") references "returnee" ("id") on update cascade;`);
    this.addSql(`alter table "consent" add constraint "consent_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade;`);
    this.addSql(`alter table "consent" add constraint "consent_recorded_by_id_foreign" foreign key ("recorded_by_id") references "staff_member" ("id") on update cascade;`);
    this.addSql(`alter table "consent" add constraint "consent_revoked_by_id_foreign" foreign key ("revoked_by_id") references "staff_member" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "consent" cascade;`);
  }

}
