import { Migration } from '@mikro-orm/migrations';

/**
 * `hub_audit_detach_month` (Migration20261223000000) also refuses a month that holds the
 * chain's newest links: the sealer continues the chain from the highest position it finds in
 * `audit_chain`, so dropping the links at the head would make it hand out positions again.
 * Positions only grow, so once a later link exists the head can never again be in a detached
 * month. (Found by the scale bench, whose fill dates a month's events before the seed's.)
 */
export class Migration20261223000100 extends Migration {
  override async up(): Promise<void> {
    this.addSql(DETACH_MONTH);
    this.addSql('revoke all on function hub_audit_detach_month(date, int, uuid, boolean) from public;');
  }

  override async down(): Promise<void> {
    throw new Error('Migration20261223000100: restore hub_audit_detach_month from Migration20261223000000 by hand');
  }
}

const DETACH_MONTH = `create or replace function hub_audit_detach_month(m date, retention_months int, request uuid, check_only boolean default false)
returns bigint language plpgsql security definer set search_path = pg_catalog, public as $$
declare
  mt text := to_char(m, 'YYYY-MM');
  part text := to_char(m, '_YYYY_MM');
  s public.audit_month_seal;
  arch bigint;
  held boolean;
  n_events bigint;
  n_links bigint;
  ev bigint;
begin
  if m <> date_trunc('month', m)::date then raise exception 'audit month %: not the first day of a month', m using errcode = '22023'; end if;
  perform pg_advisory_xact_lock(7305120021);
  if m >= date_trunc('month', clock_timestamp() at time zone 'UTC')::date then
    raise exception 'audit month % is not over yet: only a closed, sealed month can be detached', mt using errcode = '55000';
  end if;
  if exists (select 1 from public.audit_month_detached d where d.month = m) then
    raise exception 'audit month % is already detached', mt using errcode = '55000';
  end if;
  select * into s from public.audit_month_seal where month = m;
  if not found then raise exception 'audit month % is not sealed yet: the sealer closes a month once all its events are chained', mt using errcode = '55000'; end if;
  select h.held into held from public.audit_legal_hold h where h.month = m order by h.id desc limit 1;
  if coalesce(held, false) then raise exception 'audit month % is under legal hold: release it first (hub audit hold --month % --release)', mt, mt using errcode = '55000'; end if;
  if retention_months is null then
    raise exception 'no retention period is configured (HUB_AUDIT_RETENTION_MONTHS): audit months are kept' using errcode = '55000';
  end if;
  if (m + make_interval(months => 1 + retention_months)) > clock_timestamp() at time zone 'UTC' then
    raise exception 'audit month % is within the retention period of % month(s): it may be detached from %', mt, retention_months,
      to_char(m + make_interval(months => 1 + retention_months), 'YYYY-MM-DD') using errcode = '55000';
  end if;
  if check_only then return 0; end if; -- the refusals that do not need the archive: checked before one is written
  select a.id into arch from public.audit_month_archive a where a.month = m and a.seal_hash = s.seal_hash and a.event_count = s.event_count
    order by a.id desc limit 1;
  if arch is null then raise exception 'audit month % has no archive verified against its seal: run hub audit archive first', mt using errcode = '55000'; end if;
  if s.event_count > 0 and s.last_position - s.first_position + 1 <> s.event_count then
    raise exception 'audit month % is not one run of chain positions (events committed late into it): detaching it would leave links that cannot be checked', mt
      using errcode = '55000';
  end if;
  if not exists (select 1 from public.audit_chain c where c.position > s.last_position) then
    raise exception 'audit month % holds the newest links of the chain: it can be detached once later events are sealed', mt using errcode = '55000';
  end if;
  if to_regclass('public.audit_event' || part) is null or to_regclass('public.audit_chain' || part) is null then
    raise exception 'audit month % has no partition', mt using errcode = '55000';
  end if;
  set local lock_timeout = '5s';
  execute format('select count(*) from public.%I', 'audit_event' || part) into n_events;
  execute format('select count(*) from public.%I', 'audit_chain' || part) into n_links;
  if n_events <> s.event_count or n_links <> s.event_count then
    raise exception 'audit month % holds % events and % links, its seal vouches for %: verify the trail', mt, n_events, n_links, s.event_count
      using errcode = '55000';
  end if;
  ev := public.hub_audit_own_event('DELETE', mt, 'cli:audit archive --detach', 'DETACHED: archive ' || arch, request);
  execute format('alter table public.audit_event detach partition public.%I', 'audit_event' || part);
  execute format('alter table public.audit_chain detach partition public.%I', 'audit_chain' || part);
  execute format('drop table public.%I', 'audit_event' || part);
  execute format('drop table public.%I', 'audit_chain' || part);
  insert into public.audit_month_detached (month, archive_id, event_id) values (m, arch, ev);
  return ev;
end
$$;`;
