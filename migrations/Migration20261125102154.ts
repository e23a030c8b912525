import { Migration } from '@mikro-orm/migrations';

export class Migration20261125102154 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "agency" ("id" uuid not null, "code" varchar(64) not null, "name" varchar(200) not null, "sector" text check ("sector" in ('HEALTH', 'EDUCATION', 'SOCIAL', 'NGO', 'OVERSIGHT', 'ADMINISTRATION')) not null, "country" char(2) not null, "created_at" timestamptz not null, constraint "agency_pkey" primary key ("id"));`);
    this.addSql(`alter table "agency" add constraint "agency_code_unique" unique ("code");`);

    this.addSql(`create table "audit_event" ("id" bigserial primary key, "occurred_at" timestamptz not null default clock_timestamp(), "request_id" uuid not null, "staff_id" uuid null, "agency_id" uuid null, "action" text check ("action" in ('READ', 'CREATE', 'UPDATE', 'DELETE', 'DENY')) not null, "entity_type" varchar(64) not null, "entity_id" varchar(64) null, "returnee_id" uuid null, "fields" text[] not null, "denied_fields" text[] not null, "purpose" varchar(200) null, "operation" varchar(100) null, "outcome" text check ("outcome" in ('SUCCESS', 'DENIED', 'NOT_FOUND', 'CONFLICT', 'INVALID', 'ERROR')) not null, "reason" varchar(200) null);`);
    this.addSql(`create index "audit_event_staff_id_occurred_at_index" on "audit_event" ("staff_id", "occurred_at");`);
    this.addSql(`create index "audit_event_returnee_id_occurred_at_index" on "audit_event" ("returnee_id", "occurred_at");`);

    this.addSql(`create table "returnee" ("id" uuid not null, "version" int not null default 1, "registering_agency_id" uuid not null, "country" char(2) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "case_number" varchar(32) not null, "given_name" varchar(100) not null, "family_name" varchar(100) not null, "patronymic" varchar(100) null, "other_names" text[] not null, "sex" text check ("sex" in ('FEMALE', 'MALE')) not null, "date_of_birth" date not null, "date_of_birth_estimated" boolean not null, "place_of_birth" varchar(200) null, "citizenship" char(2) null, "returned_on" date null, "returned_from" char(2) null, "status" text check ("status" in ('IN_REHABILITATION', 'RESETTLED', 'IN_CARE', 'TRANSFERRED', 'CLOSED')) not null, "region" varchar(100) null, "district" varchar(100) null, "address" varchar(300) null, "phone" varchar(32) null, "guardian_returnee_id" uuid null, "guardian_name" varchar(200) null, "guardian_relation" varchar(100) null, "follow_up_needed" boolean null, "fit_for_school" boolean null, "accommodations_needed" varchar(500) null, constraint "returnee_pkey" primary key ("id"));`);
    this.addSql(`create index "returnee_registering_agency_id_index" on "returnee" ("registering_agency_id");`);
    this.addSql(`alter table "returnee" add constraint "returnee_case_number_unique" unique ("case_number");`);
    this.addSql(`create index "returnee_guardian_returnee_id_index" on "returnee" ("guardian_returnee_id");`);
    this.addSql(`create index "returnee_country_case_number_index" on "returnee" ("country", "case_number");`);

    this.addSql(`create table "returnee_revision" ("id" bigserial primary key, "returnee_id" uuid not null, "version" int not null, "fields" text[] not null, "previous" jsonb not null, "staff_id" uuid not null, "agency_id" uuid not null, "changed_at" timestamptz not null);`);
    this.addSql(`create index "returnee_revision_returnee_id_version_index" on "returnee_revision" ("returnee_id", "version");`);

    this.addSql(`create table "staff_member" ("id" uuid not null, "username" varchar(64) not null, "display_name" varchar(200) not null, "agency_id" uuid not null, "roles" text[] not null, "active" boolean not null default true, "created_at" timestamptz not null, "deactivated_at" timestamptz null, constraint "staff_member_pkey" primary key ("id"));`);
    this.addSql(`alter table "staff_member" add constraint "staff_member_username_unique" unique ("username");`);
    this.addSql(`create index "staff_member_agency_id_index" on "staff_member" ("agency_id");`);

    this.addSql(`create table "health_assessment" ("id" uuid not null, "returnee_id" uuid not null, "agency_id" uuid not null, "recorded_by_id" uuid not null, "assessed_on" date not null, "findings" text not null, "conditions" text[] not null, "treatment_plan" text null, "vaccination" varchar(200) null, "disability" varchar(500) null, "mental_health_notes" text null, "follow_up_needed" boolean not null default false, "fit_for_school" boolean null, "accommodations_needed" varchar(500) null, "created_at" timestamptz not null, constraint "health_assessment_pkey" primary key ("id"));`);
    this.addSql(`create index "health_assessment_returnee_id_assessed_on_index" on "health_assessment" ("returnee_id", "assessed_on");`);

    this.addSql(`create table "case_access" ("id" uuid not null, "returnee_id" uuid not null, "agency_id" uuid not null, "basis" text check ("basis" in ('GRANT', 'REFERRAL')) not null, "cross_border" boolean not null default false, "reason" text not null, "granted_by_id" uuid null, "granted_at" timestamptz not null, "revoked_at" timestamptz null, constraint "case_access_pkey" primary key ("id"));`);
    this.addSql(`create index "case_access_returnee_id_index" on "case_access" ("returnee_id");`);
    this.addSql(`create unique index "case_access_active_unique" on "case_access" ("agency_id", "returnee_id") where "revoked_at" is null;`);

    this.addSql(`alter table "returnee" add constraint "returnee_registering_agency_id_foreign" foreign key ("registering_agency_id") references "agency" ("id") on update cascade;`);

    this.addSql(`alter table "staff_member" add constraint "staff_member_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade;`);

    this.addSql(`alter table "health_assessment" add constraint "health_assessment_returnee_id_foreign" foreign key ("returnee_id") references "returnee" ("id") on update cascade;`);
    this.addSql(`alter table "health_assessment" add constraint "health_assessment_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade;`);
    this.addSql(`alter table "health_assessment" add constraint "health_assessment_recorded_by_id_foreign" foreign key ("recorded_by_id") references "staff_member" ("id") on update cascade;`);

    this.addSql(`alter table "case_access" add constraint "case_access_returnee_id_foreign" foreign key ("returnee_id") references "returnee" ("id") on update cascade;`);
    this.addSql(`alter table "case_access" add constraint "case_access_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade;`);
    this.addSql(`alter table "case_access" add constraint "case_access_granted_by_id_foreign" foreign key ("granted_by_id") references "staff_member" ("id") on update cascade on delete set null;`);
  }

}
