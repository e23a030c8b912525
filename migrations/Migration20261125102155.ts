import { Migration } from '@mikro-orm/migrations';

/**
 * The database itself refuses to change history: UPDATE, DELETE and TRUNCATE on the audit
 * trail (and on the returnee revision history) raise, whoever the caller is. A superuser can
 * still disable the triggers; the hash chain of the audit tools detects what they then do.
 */
export class Migration20261125102155 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace function hub_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only: % is not allowed', tg_table_name, tg_op
    using errcode = 'insufficient_privilege';
end
$$;`);
    for (const table of ['audit_event', 'returnee_revision']) {
      this.addSql(`create trigger ${table}_no_update_delete before update or delete on "${table}"
        for each row execute function hub_refuse_change();`);
      this.addSql(`create trigger ${table}_no_truncate before truncate on "${table}"
        for each statement execute function hub_refuse_change();`);
    }
  }

  override async down(): Promise<void> {
    for (const table of ['audit_event', 'returnee_revision']) {
      this.addSql(`drop trigger if exists ${table}_no_update_delete on "${table}";`);
      this.addSql(`drop trigger if exists ${table}_no_truncate on "${table}";`);
    }
    this.addSql('drop function if exists hub_refuse_change();');
  }
}
