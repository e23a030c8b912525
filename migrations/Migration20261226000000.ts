import { Migration } from '@mikro-orm/migrations';

/**
 * `data_subject_request.due_notified_at`: when the `data_subject_request.due` webhook was written
 * for the request (src/data-subject/due-notices.ts), so each request is announced once across
 * every hub process.
 */
export class Migration20261226000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "data_subject_request" add column "due_notified_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "data_subject_request" drop column "due_notified_at";`);
  }
}
