import { Migration } from '@mikro-orm/migrations';

/**
 * Lets the audit trail name the agency a webhook told about a record (docs/webhooks.md, "What
 * the audit trail records"). Such an event has no staff member behind it (the hub sends it, no
 * one asked), yet it must carry the receiving agency in `agency_id`: that is what the auditors'
 * per-agency views and the person's own statement group by. The actor guard
 * (Migration20261207000000) refused an agency without a staff member; on `audit_event` it now
 * accepts one only for a `READ` of entity `WebhookDelivery` whose `entity_id` is a webhook event
 * that has a delivery to a subscription of exactly that agency. So the hub's own role still
 * cannot blame an agency for anything else, nor for a notification it was never sent.
 * `returnee_revision` keeps the original guard.
 */
export class Migration20261227600000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace function hub_check_audit_actor() returns trigger language plpgsql as $$
declare
  bad record;
begin
  select n.staff_id, n.agency_id into bad from new_rows n
  where (n.staff_id is null and n.agency_id is not null and not (
           n.action = 'READ' and n.entity_type = 'WebhookDelivery'
           and n.entity_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
           and exists (
             select 1 from public.webhook_delivery d join public.webhook_subscription s on s.id = d.subscription_id
             where d.event_id = (case when n.entity_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                                      then n.entity_id::uuid end)
               and s.agency_id = n.agency_id)))
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
    this.addSql(`drop trigger if exists audit_event_actor on "audit_event";`);
    this.addSql(`create trigger audit_event_actor after insert on "audit_event"
      referencing new table as new_rows for each statement execute function hub_check_audit_actor();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists audit_event_actor on "audit_event";`);
    this.addSql(`create trigger audit_event_actor after insert on "audit_event"
      referencing new table as new_rows for each statement execute function hub_check_actor();`);
    this.addSql('drop function if exists hub_check_audit_actor();');
  }
}
