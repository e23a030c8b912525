import { Migration } from '@mikro-orm/migrations';

/**
 * The education, documents, social-support and psychosocial sections: their scalar columns on
 * `returnee` and one child table per repeated item. Civil documents are versioned in place
 * (see src/documents/civil-document.entity.ts): the partial unique index keeps one current
 * version per type, and a trigger lets an UPDATE only stamp `superseded_at`, once, and refuses
 * DELETE and TRUNCATE, so no earlier number or status can be lost.
 */
export class Migration20261125130000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "returnee" add column "literacy_level" text check ("literacy_level" in ('NONE', 'BASIC', 'FUNCTIONAL', 'FLUENT')) null, add column "languages" text[] null, add column "special_classes" text[] null, add column "enrolment_status" text check ("enrolment_status" in ('NOT_ENROLLED', 'LITERACY_CLASS', 'ENROLLED', 'BOARDING_SCHOOL', 'COMPLETED')) null, add column "school" varchar(200) null, add column "grade" varchar(20) null, add column "engagement_status" text check ("engagement_status" in ('NOT_STARTED', 'ENGAGED', 'IRREGULAR', 'COMPLETED', 'DISENGAGED')) null;`);

    this.addSql(`create table "education_progress_note" ("id" uuid not null, "returnee_id" uuid not null, "agency_id" uuid not null, "recorded_by_id" uuid not null, "noted_on" date not null, "note" text not null, "recorded_at" timestamptz not null, constraint "education_progress_note_pkey" primary key ("id"));`);
    this.addSql(`create index "education_progress_note_returnee_id_index" on "education_progress_note" ("returnee_id");`);

    this.addSql(`create table "civil_document" ("id" uuid not null, "returnee_id" uuid not null, "type" text check ("type" in ('PASSPORT', 'BIRTH_CERTIFICATE', 'ID_CARD')) not null, "status" text check ("status" in ('MISSING', 'APPLIED', 'ISSUED')) not null, "number" varchar(64) null, "issued_on" date null, "issuing_authority" varchar(200) null, "applied_on" date null, "notes" text null, "agency_id" uuid not null, "recorded_by_id" uuid not null, "recorded_at" timestamptz not null, "superseded_at" timestamptz null, constraint "civil_document_pkey" primary key ("id"));`);
    this.addSql(`create index "civil_document_returnee_id_index" on "civil_document" ("returnee_id");`);
    this.addSql(`create unique index "civil_document_current_unique" on "civil_document" ("returnee_id", "type") where "superseded_at" is null;`);

    this.addSql(`create table "social_support_measure" ("id" uuid not null, "returnee_id" uuid not null, "kind" text check ("kind" in ('BENEFIT', 'EMPLOYMENT', 'RETRAINING', 'HOUSING', 'GUARDIANSHIP_DECISION')) not null, "description" text not null, "started_on" date not null, "ended_on" date null, "provider" varchar(200) null, "deciding_authority" varchar(200) null, "guardian_name" varchar(200) null, "agency_id" uuid not null, "recorded_by_id" uuid not null, "recorded_at" timestamptz not null, constraint "social_support_measure_pkey" primary key ("id"));`);
    this.addSql(`create index "social_support_measure_returnee_id_index" on "social_support_measure" ("returnee_id");`);

    this.addSql(`create table "support_session" ("id" uuid not null, "returnee_id" uuid not null, "kind" text check ("kind" in ('COUNSELLING', 'GROUP_SESSION', 'REHABILITATION_CENTRE_STAY', 'RELIGIOUS_COUNSELLING', 'FAMILY_MEDIATION')) not null, "started_on" date not null, "ended_on" date null, "place" varchar(200) null, "notes" text null, "risk_notes" text null, "agency_id" uuid not null, "recorded_by_id" uuid not null, "recorded_at" timestamptz not null, constraint "support_session_pkey" primary key ("id"));`);
    this.addSql(`create index "support_session_returnee_id_index" on "support_session" ("returnee_id");`);

    for (const table of ['education_progress_note', 'civil_document', 'social_support_measure', 'support_session']) {
      this.addSql(`alter table "${table}" add constraint "${table}_returnee_id_foreign" foreign key ("returnee_id") references "returnee" ("id") on update cascade;`);
      this.addSql(`alter table "${table}" add constraint "${table}_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade;`);
      this.addSql(`alter table "${table}" add constraint "${table}_recorded_by_id_foreign" foreign key ("recorded_by_id") references "staff_member" ("id") on update cascade;`);
    }

    this.addSql(`create or replace function hub_civil_document_guard() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and old.superseded_at is null and new.superseded_at is not null
     and (to_jsonb(new) - 'superseded_at') = (to_jsonb(old) - 'superseded_at') then
    return new;
  end if;
  raise exception 'civil_document versions are append-only: an update may only set superseded_at, once (% refused)', tg_op
    using errcode = 'insufficient_privilege';
end
$$;`);
    this.addSql(`create trigger civil_document_append_only before update or delete on "civil_document"
      for each row execute function hub_civil_document_guard();`);
    // hub_refuse_change() comes from Migration20261125102155 (the audit table's guards).
    this.addSql(`create trigger civil_document_no_truncate before truncate on "civil_document"
      for each statement execute function hub_refuse_change();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "support_session" cascade;`);
    this.addSql(`drop table if exists "social_support_measure" cascade;`);
    this.addSql(`drop table if exists "civil_document" cascade;`);
    this.addSql(`drop function if exists hub_civil_document_guard();`);
    this.addSql(`drop table if exists "education_progress_note" cascade;`);
    this.addSql(`alter table "returnee" drop column "literacy_level", drop column "languages", drop column "special_classes", drop column "enrolment_status", drop column "school", drop column "grade", drop column "engagement_status";`);
  }

}
