import { Migration } from '@mikro-orm/migrations';

/**
 * Archive, legal hold and detach of closed audit months (docs/audit.md, "Archive and retention").
 *
 * - `audit_month_archive`: every archive of a month that was verified against its seal
 *   (`hub audit archive`): the seal it was checked against, the file's SHA-256 and size.
 * - `audit_legal_hold`: holds set and released, one row per change (the current state of a
 *   month is its latest row); each change also writes an audit event, in the same transaction.
 * - `audit_month_detached`: the months whose partitions were detached and dropped, with the
 *   archive that holds them and the audit event that records it.
 *
 * All three are append-only (the triggers refuse UPDATE, DELETE and TRUNCATE for everyone), the
 * serving and sealer roles may only read them (src/db/app-role.ts). Holds and detaching go
 * through two SECURITY DEFINER functions of the owner that nobody else may execute; the detach
 * function (with `check_only`, before an archive is written) is where the refusals live (open month, unsealed, under hold, retention not
 * elapsed, no verified archive of the current seal, a month that is not one run of positions or
 * holds other than what its seal vouches for), so nothing is dropped by a caller that skipped
 * a check. DETACH PARTITION locks the parent briefly: a 5 s lock timeout keeps it from queueing
 * every insert behind a long reader.
 */
export class Migration20261223000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "audit_month_archive" ("id" bigserial primary key, "month" date not null,
      "archived_at" timestamptz not null default clock_timestamp(), "seal_hash" bytea not null, "event_count" bigint not null,
      "file_sha256" bytea not null, "file_bytes" bigint not null, "file_name" text not null);`);
    this.addSql(`create table "audit_legal_hold" ("id" bigserial primary key, "month" date not null, "held" boolean not null,
      "reason" varchar(200) null, "changed_at" timestamptz not null default clock_timestamp(), "event_id" bigint not null);`);
    this.addSql(`create table "audit_month_detached" ("month" date primary key, "detached_at" timestamptz not null default clock_timestamp(),
      "archive_id" bigint not null references "audit_month_archive" ("id"), "event_id" bigint not null);`);
    for (const t of ['audit_month_archive', 'audit_legal_hold', 'audit_month_detached']) {
      this.addSql(`create trigger ${t}_no_update_delete before update or delete on "${t}" for each row execute function hub_refuse_change();`);
      this.addSql(`create trigger ${t}_no_truncate before truncate on "${t}" for each statement execute function hub_refuse_change();`);
    }
    this.addSql(AUDIT_OWN_EVENT);
    this.addSql(SET_HOLD);
    this.addSql(DETACH_MONTH);
    for (const f of ['hub_audit_own_event(text, text, text, text, uuid)', 'hub_audit_set_hold(date, boolean, text, uuid)', 'hub_audit_detach_month(date, int, uuid, boolean)'])
      this.addSql(`revoke all on function ${f} from public;`);
  }

  override async down(): Promise<void> {
    this.addSql('drop function hub_audit_detach_month(date, int, uuid, boolean);');
    this.addSql('drop function hub_audit_set_hold(date, boolean, text, uuid);');
    this.addSql('drop function hub_audit_own_event(text, text, text, text, uuid);');
    this.addSql('drop table "audit_month_detached"; drop table "audit_legal_hold"; drop table "audit_month_archive";');
  }
}

/** One event of the hub itself (no staff member, no agency) about an audit month; returns its id. */
const AUDIT_OWN_EVENT = `create or replace function hub_audit_own_event(action text, month_text text, operation text, reason text, request uuid)
returns bigint language sql security definer set search_path = pg_catalog, public as $$
  insert into public.audit_event (request_id, action, entity_type, entity_id, fields, denied_fields, purpose, operation, outcome, reason)
  values (request, action, 'AuditMonth', month_text, '{}', '{}', 'audit retention', operation, 'SUCCESS', reason)
  returning id
$$;`;

const SET_HOLD = `create or replace function hub_audit_set_hold(m date, hold boolean, why text, request uuid)
returns bigint language plpgsql security definer set search_path = pg_catalog, public as $$
declare
  current_hold boolean;
  ev bigint;
  mt text := to_char(m, 'YYYY-MM');
begin
  if m <> date_trunc('month', m)::date then raise exception 'audit month %: not the first day of a month', m using errcode = '22023'; end if;
  perform pg_advisory_xact_lock(7305120021);
  if exists (select 1 from public.audit_month_detached d where d.month = m) then
    raise exception 'audit month % is already detached: there is nothing left in the database to hold', mt using errcode = '55000';
  end if;
  select h.held into current_hold from public.audit_legal_hold h where h.month = m order by h.id desc limit 1;
  if hold and coalesce(current_hold, false) then raise exception 'audit month % is already under legal hold', mt using errcode = '55000'; end if;
  if not hold and not coalesce(current_hold, false) then raise exception 'audit month % is not under legal hold', mt using errcode = '55000'; end if;
  ev := public.hub_audit_own_event('UPDATE', mt, case when hold then 'cli:audit hold' else 'cli:audit hold --release' end,
    left(case when hold then 'LEGAL_HOLD' else 'LEGAL_HOLD_RELEASED' end || coalesce(': ' || why, ''), 128), request);
  insert into public.audit_legal_hold (month, held, reason, event_id) values (m, hold, left(why, 200), ev);
  return ev;
end
$$;`;

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
