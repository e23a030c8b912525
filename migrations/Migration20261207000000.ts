import { Migration } from '@mikro-orm/migrations';

/**
 * The database, not the client, decides when an audit event or a record revision happened,
 * and refuses events that blame someone who cannot have acted (docs/audit.md, "What the
 * database guarantees"). Before this, the hub's own role could insert an event dated a year
 * back and attributed to anyone, and the sealer chained it like any other.
 *
 * - BEFORE INSERT, per row: `occurred_at` (`changed_at` on revisions) := clock_timestamp(),
 *   whatever the INSERT sent. clock_timestamp(), not now(): it is read right after the row's
 *   id is drawn, so time order follows id order within a session, and it is the closest to
 *   the commit, which verification's grace period for unsealed events is measured from;
 *   now() would date every event of a long transaction at its start.
 * - AFTER INSERT, per statement (one query per batch over the new rows, not one per row): a
 *   staff_id must name an *active* staff member of exactly the agency_id given, and an agency
 *   needs a staff member (the hub's own events, seed and bootstrap, carry neither).
 *
 * Every name is schema-qualified: a caller's search_path or a temporary table of the same
 * name must not change what the guard reads. A superuser can still switch these triggers off
 * (session_replication_role): that is what the hash chain and external checkpoints are for.
 */
export class Migration20261207000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace function hub_stamp_occurred_at() returns trigger language plpgsql as $$
begin
  new.occurred_at := pg_catalog.clock_timestamp();
  return new;
end
$$;`);
    this.addSql(`create or replace function hub_stamp_changed_at() returns trigger language plpgsql as $$
begin
  new.changed_at := pg_catalog.clock_timestamp();
  return new;
end
$$;`);
    this.addSql(`create or replace function hub_check_actor() returns trigger language plpgsql as $$
declare
  bad record;
begin
  select n.staff_id, n.agency_id into bad from new_rows n
  where (n.staff_id is null and n.agency_id is not null)
     or (n.staff_id is not null and not exists (
           select 1 from public.staff_member s
           where s.id = n.staff_id and s.agency_id = n.agency_id and s.active))
  limit 1;
  if found then
    raise exception '% names staff % of agency %, which is not an active staff member of that agency',
      tg_table_name, coalesce(bad.staff_id::text, '(none)'), coalesce(bad.agency_id::text, '(none)')
      using errcode = 'integrity_constraint_violation';
  end if;
  return null;
end
$$;`);
    this.addSql(`create trigger audit_event_stamp before insert on "audit_event"
      for each row execute function hub_stamp_occurred_at();`);
    this.addSql(`create trigger audit_event_actor after insert on "audit_event"
      referencing new table as new_rows for each statement execute function hub_check_actor();`);
    this.addSql(`create trigger returnee_revision_stamp before insert on "returnee_revision"
      for each row execute function hub_stamp_changed_at();`);
    this.addSql(`create trigger returnee_revision_actor after insert on "returnee_revision"
      referencing new table as new_rows for each statement execute function hub_check_actor();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists returnee_revision_actor on "returnee_revision";`);
    this.addSql(`drop trigger if exists returnee_revision_stamp on "returnee_revision";`);
    this.addSql(`drop trigger if exists audit_event_actor on "audit_event";`);
    this.addSql(`drop trigger if exists audit_event_stamp on "audit_event";`);
    this.addSql('drop function if exists hub_check_actor();');
    this.addSql('drop function if exists hub_stamp_changed_at();');
    this.addSql('drop function if exists hub_stamp_occurred_at();');
  }
}
