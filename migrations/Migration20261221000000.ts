import { Migration } from '@mikro-orm/migrations';

/**
 * Data-subject requests (src/data-subject/, docs/statement.md): the person's requests to see,
 * correct, object to, erase or restrict their record, with their due date and outcome. Listed per
 * agency by status and due date (the overdue flag and the /metrics count), and per person.
 */
export class Migration20261221000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "data_subject_request" ("id" uuid not null, "returnee_id" uuid not null, "agency_id" uuid not null, "kind" varchar(16) not null, "received_on" date not null, "due_on" date not null, "status" varchar(16) not null, "note" text null, "outcome" varchar(20) null, "outcome_note" text null, "recorded_by" uuid not null, "recorded_at" timestamptz not null, "completed_by" uuid null, "completed_at" timestamptz null, constraint "data_subject_request_pkey" primary key ("id"));`);
    this.addSql(`create index "data_subject_request_returnee_id_received_on_index" on "data_subject_request" ("returnee_id", "received_on");`);
    this.addSql(`create index "data_subject_request_agency_id_status_due_on_index" on "data_subject_request" ("agency_id", "status", "due_on");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "data_subject_request" cascade;`);
  }
}
