import { Migration } from '@mikro-orm/migrations';

/**
 * Every change to a staff member or an agency notifies `hub_actor_changed` (src/auth/actor-cache.ts):
 * each hub process caches who a token names and drops that cache when it hears this, which
 * PostgreSQL delivers to every listening session when the changing transaction commits, so a
 * deactivation made by any process, the CLI or by hand in SQL takes effect everywhere. One
 * notification per statement, whatever its row count; the payload says nothing (listeners drop
 * everything), so no name travels on the channel.
 */
export class Migration20261213070200 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace function hub_actor_changed() returns trigger language plpgsql as $$
begin
  perform pg_notify('hub_actor_changed', '');
  return null;
end $$;`);
    this.addSql(
      `create trigger staff_member_actor_changed after insert or update or delete or truncate on staff_member for each statement execute function hub_actor_changed();`,
    );
    this.addSql(
      `create trigger agency_actor_changed after insert or update or delete or truncate on agency for each statement execute function hub_actor_changed();`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists agency_actor_changed on agency;`);
    this.addSql(`drop trigger if exists staff_member_actor_changed on staff_member;`);
    this.addSql(`drop function if exists hub_actor_changed();`);
  }
}
