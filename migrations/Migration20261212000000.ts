import { Migration } from '@mikro-orm/migrations';

/**
 * The trail in monthly partitions (docs/audit.md, "Partitions and month seals").
 *
 * `audit_event` becomes `PARTITION BY RANGE (occurred_at)`, one partition per calendar month
 * in UTC (`audit_event_2026_12`); its primary key becomes (id, occurred_at), since a
 * partitioned table's unique keys must hold the partition key (ids still come from the one
 * sequence). `audit_chain` gains its event's `occurred_at` and is partitioned the same way,
 * so a month's events and their links live, are verified, archived and detached together.
 *
 * The existing trail is moved, not rewritten: every event row is copied as it is (id, time,
 * every column), every link keeps its position and hash; the table is built from the old one
 * (`like … including all` but indexes), so columns added by migrations that run before this
 * one are carried along. The guards (triggers) are installed after the copy, so the copy is
 * neither re-dated nor re-checked. Indexes are rebuilt from the old definitions on the new
 * parent, which creates them on every partition.
 *
 * Partitions are created ahead by `hub_audit_ensure_partitions` (SECURITY DEFINER, owned by
 * the schema owner, executable by the sealer role only): the hub's maintenance task calls it,
 * so no extension (pg_partman) is needed. Row triggers declared on a parent are cloned to its
 * partitions; a statement-level TRUNCATE trigger is not, so the function gives every new
 * partition its own.
 */
export class Migration20261212000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(ENSURE_PARTITIONS);
    this.addSql(`revoke all on function hub_audit_ensure_partitions(int, date, date) from public;`);
    this.addSql(MOVE_TRAIL);
    this.addSql(`alter table "audit_seal" add column "pending_at" timestamptz null;`);
    this.addSql(`create table "audit_month_seal" ("month" date not null primary key, "first_position" bigint not null,
      "last_position" bigint not null, "event_count" bigint not null, "root_hash" bytea not null, "previous_seal_hash" bytea not null,
      "seal_hash" bytea not null, "sealed_at" timestamptz not null, "key_id" varchar(64) not null, "public_key" bytea not null,
      "signature" bytea not null);`);
    this.addSql(`create trigger audit_month_seal_no_update_delete before update or delete on "audit_month_seal"
      for each row execute function hub_refuse_change();`);
    this.addSql(`create trigger audit_month_seal_no_truncate before truncate on "audit_month_seal"
      for each statement execute function hub_refuse_change();`);
  }

  override async down(): Promise<void> {
    throw new Error('Migration20261212000000 (partitioned trail) cannot be undone: restore from a backup');
  }
}

/**
 * Creates the monthly partitions of audit_event and audit_chain from `from_month` (default:
 * this month) through `to_month` or `months_ahead` months from now, whichever is later, that
 * do not exist yet. Returns how many tables it created. Serialised by an advisory lock; a
 * short lock timeout keeps it from queueing every insert behind a long reader of the parent
 * (CREATE … PARTITION OF locks the parent): it simply tries again on its next run.
 */
const ENSURE_PARTITIONS = `create or replace function hub_audit_ensure_partitions(months_ahead int default 3, from_month date default null, to_month date default null)
returns int language plpgsql security definer set search_path = pg_catalog, public as $$
declare
  m date;
  last_month date;
  t text;
  part text;
  made int := 0;
begin
  perform pg_advisory_xact_lock(7305120013); -- not 7305120004: the migrations hold that one
  set local lock_timeout = '2s';
  m := coalesce(from_month, date_trunc('month', clock_timestamp() at time zone 'UTC')::date);
  last_month := greatest(coalesce(to_month, m), (date_trunc('month', clock_timestamp() at time zone 'UTC') + make_interval(months => months_ahead))::date);
  while m <= last_month loop
    foreach t in array array['audit_event', 'audit_chain'] loop
      part := t || to_char(m, '_YYYY_MM');
      if to_regclass('public.' || quote_ident(part)) is null then
        execute format('create table public.%I partition of public.%I for values from (%L) to (%L)',
          part, t, m::text || ' 00:00:00+00', (m + interval '1 month')::date::text || ' 00:00:00+00');
        execute format('create trigger %I before truncate on public.%I for each statement execute function public.hub_refuse_change()',
          part || '_no_truncate', part);
        made := made + 1;
      end if;
    end loop;
    m := (m + interval '1 month')::date;
  end loop;
  return made;
end
$$;`;

const MOVE_TRAIL = `do $$
declare
  defs text[];
  d text;
  first_month date;
  last_month date;
begin
  select array_agg(indexdef) into defs from pg_indexes
    where schemaname = 'public' and tablename = 'audit_event' and indexname <> 'audit_event_pkey';
  select date_trunc('month', min(occurred_at) at time zone 'UTC')::date, date_trunc('month', max(occurred_at) at time zone 'UTC')::date
    into first_month, last_month from audit_event;

  alter sequence audit_event_id_seq owned by none;
  alter table audit_event rename to audit_event_unpartitioned;
  alter table audit_chain rename to audit_chain_unpartitioned;

  create table audit_event (like audit_event_unpartitioned including defaults including constraints including storage including comments)
    partition by range (occurred_at);
  create table audit_chain (position bigint not null, event_id bigint not null, hash bytea not null, occurred_at timestamptz not null)
    partition by range (occurred_at);
  perform hub_audit_ensure_partitions(3, first_month, last_month);

  insert into audit_event select * from audit_event_unpartitioned order by id;
  -- A link whose event row is gone (a tampered trail) goes with the link before it: verification reports it there.
  insert into audit_chain (position, event_id, hash, occurred_at)
    select c.position, c.event_id, c.hash,
           coalesce(e.occurred_at, max(e.occurred_at) over (order by c.position), (select min(occurred_at) from audit_event_unpartitioned), clock_timestamp())
    from audit_chain_unpartitioned c left join audit_event_unpartitioned e on e.id = c.event_id
    order by c.position;

  drop table audit_event_unpartitioned;
  drop table audit_chain_unpartitioned;
  alter sequence audit_event_id_seq owned by audit_event.id;

  alter table audit_event add constraint audit_event_pkey primary key (id, occurred_at);
  foreach d in array coalesce(defs, '{}') loop
    execute d;
  end loop;
  alter table audit_chain add constraint audit_chain_pkey primary key (position, occurred_at);
  alter table audit_chain add constraint audit_chain_event_id_unique unique (event_id, occurred_at);

  create trigger audit_event_stamp before insert on audit_event for each row execute function hub_stamp_occurred_at();
  create trigger audit_event_actor after insert on audit_event referencing new table as new_rows
    for each statement execute function hub_check_actor();
  foreach d in array array['audit_event', 'audit_chain'] loop
    execute format('create trigger %I before update or delete on %I for each row execute function hub_refuse_change()', d || '_no_update_delete', d);
    execute format('create trigger %I before truncate on %I for each statement execute function hub_refuse_change()', d || '_no_truncate', d);
  end loop;
end
$$;`;
