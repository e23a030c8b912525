import { Migration } from '@mikro-orm/migrations';

/**
 * Identity check requests (src/dedup/identity-check.service.ts, docs/matching.md): the
 * requester's request, and one question per holding agency whose records matched.
 */
export class Migration20261222010000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "identity_check_question" ("id" uuid not null, "request_id" uuid not null, "holder_agency_id" uuid not null, "matches" jsonb not null, "status" text not null default 'OPEN', "answered_by" uuid null, "answered_at" timestamptz null, "shared_returnee_id" uuid null, constraint "identity_check_question_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "identity_check_question_request_id_index" on "identity_check_question" ("request_id");`);
    this.addSql(`create index "identity_check_question_holder_agency_id_index" on "identity_check_question" ("holder_agency_id");`);
    this.addSql(
      `create table "identity_check_request" ("id" uuid not null, "requester_agency_id" uuid not null, "requester_staff_id" uuid not null, "returnee_id" uuid not null, "reason" text not null, "cross_border" boolean not null default false, "identity" jsonb not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, constraint "identity_check_request_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "identity_check_request_requester_agency_id_index" on "identity_check_request" ("requester_agency_id");`);
    this.addSql(`create index "identity_check_request_requester_staff_id_index" on "identity_check_request" ("requester_staff_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "identity_check_question" cascade;`);
    this.addSql(`drop table if exists "identity_check_request" cascade;`);
  }
}
