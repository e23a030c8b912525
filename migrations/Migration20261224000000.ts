import { Migration } from '@mikro-orm/migrations';

/**
 * `hub_write_check(ok, reason)`: lets a write made of one statement (a data-modifying CTE,
 * src/returnee/section-write-sql.ts) refuse itself as a whole. A statement cannot roll back
 * part of itself; an error undoes all of it. When `ok` is false the function raises SQLSTATE
 * HW409 with `reason` as the message (e.g. LOST_RACE: the record's version moved between the
 * statement's snapshot and its update), and the hub answers CONFLICT with nothing written.
 */
export class Migration20261224000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace function hub_write_check(ok boolean, reason text) returns boolean language plpgsql volatile as $$
begin
  if ok is not true then
    raise exception using errcode = 'HW409', message = reason;
  end if;
  return true;
end
$$;`);
    this.addSql(`comment on function hub_write_check(boolean, text) is 'A one-statement write refuses itself as a whole (src/returnee/section-write-sql.ts)';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function if exists hub_write_check(boolean, text);`);
  }
}
