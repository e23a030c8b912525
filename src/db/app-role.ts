import { createHash, createHmac } from 'node:crypto';
import type { Knex } from '@mikro-orm/postgresql';

/**
 * Least privilege: migrations run as the owner of the schema (the DATABASE_URL role); the hub
 * serves through a login role that owns nothing. On append-only tables it may only INSERT
 * and SELECT; elsewhere the usual DML; it cannot ALTER or DISABLE TRIGGER (not the owner), nor
 * SET session_replication_role (superuser only), nor create tables. The append-only triggers
 * stay as the second guard, against anyone who does own the tables.
 *
 * The hash chain is written by a second login role, the *sealer* (`<database>_hub_sealer`),
 * used only by the audit maintenance pool: it reads the trail and appends chain, seal and
 * checkpoint rows, and nothing else. The serving role may only read those three tables, so
 * whatever runs as it (an injected statement, a leaked password) cannot extend or re-sign the
 * chain. Into `audit_event` the serving role may insert every column except `id` and
 * `occurred_at`: the sequence numbers events and the database dates them (see
 * Migration20261207000000).
 */
export const APPEND_ONLY_TABLES: readonly string[] = [
  'audit_event',
  'audit_chain',
  'audit_seal',
  'audit_checkpoint',
  'audit_month_seal',
  'returnee_revision',
  'break_glass_review',
  'audit_month_archive',
  'audit_legal_hold',
  'audit_month_detached',
];

/** Written by the sealer role only. */
export const SEALED_TABLES: readonly string[] = ['audit_chain', 'audit_seal', 'audit_checkpoint', 'audit_month_seal'];

/** Written by the owner only (archives, legal holds, detached months: Migration20261223000000); the serving and sealer roles read them. */
export const OWNER_WRITTEN_TABLES: readonly string[] = ['audit_month_archive', 'audit_legal_hold', 'audit_month_detached'];

/** Columns of audit_event the database fills in itself: a client may not send them. */
const DATABASE_SET_EVENT_COLUMNS: readonly string[] = ['id', 'occurred_at'];

/** Tables the hub never changes at run time (it reads the migrations' names, see /readyz). */
const OWNER_ONLY_TABLES: readonly string[] = ['mikro_orm_migrations'];

const PROVISION_LOCK_KEY = 7_305_120_003;

/** Roles are cluster-wide, so the name carries the database's: `<database>_hub_<kind>`, at most 63 bytes. */
function hubRoleName(database: string, kind: 'app' | 'sealer'): string {
  const base = database.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const suffix = `_hub_${kind}`;
  if (base.length + suffix.length <= 63) return `${base}${suffix}`;
  return `${base.slice(0, 63 - 13 - suffix.length)}_${createHash('sha256').update(database).digest('hex').slice(0, 12)}${suffix}`;
}

export function appRoleName(database: string): string {
  return hubRoleName(database, 'app');
}

export function sealerRoleName(database: string): string {
  return hubRoleName(database, 'sealer');
}

/** Every login role the hub may provision for a database (to drop with it). */
export function hubRoleNames(database: string): string[] {
  return [appRoleName(database), sealerRoleName(database)];
}

/** Deterministic, so every process (and the CLI) derives the same one from the shared secret. */
export function appRolePassword(secret: string, role: string): string {
  return createHmac('sha256', secret).update(`hub-app-role\0${role}`).digest('base64url');
}

export function withCredentials(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
}

export function userOf(url: string): string {
  return decodeURIComponent(new URL(url).username) || 'postgres';
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function ensureRole(trx: Knex, role: string, password: string): Promise<void> {
  // The password is base64url: it needs no escaping inside a literal.
  if (!/^[A-Za-z0-9_-]+$/.test(password)) throw new Error('unexpected characters in the derived password');
  const { rows } = (await trx.raw('select 1 from pg_roles where rolname = ?', [role])) as { rows: unknown[] };
  const verb = rows.length === 0 ? 'create' : 'alter';
  await trx.raw(`${verb} role ${ident(role)} login nosuperuser nocreatedb nocreaterole noreplication nobypassrls password '${password}'`);
}

async function grantOnDatabase(trx: Knex, r: string): Promise<void> {
  const [{ db }] = ((await trx.raw('select current_database() as db')) as { rows: { db: string }[] }).rows;
  await trx.raw(`grant connect on database ${ident(db)} to ${r}`);
  await trx.raw(`grant usage on schema public to ${r}`);
}

/** Tables and partitioned tables of the schema, not their partitions (see partitionsOf). */
async function publicTables(trx: Knex): Promise<string[]> {
  const { rows } = (await trx.raw(`select c.relname as tablename from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition order by c.relname`)) as {
    rows: { tablename: string }[];
  };
  return rows.map((r) => r.tablename);
}

/**
 * The monthly partitions of the trail (Migration20261212000000). Roles work through the parent,
 * where the grants above are checked; on a partition itself no role but the owner holds
 * anything, so nobody reads or writes a month around the parent's rules.
 */
async function partitions(trx: Knex): Promise<string[]> {
  const { rows } = (await trx.raw(`select c.relname as tablename from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') and c.relispartition order by c.relname`)) as { rows: { tablename: string }[] };
  return rows.map((r) => r.tablename);
}

/**
 * INSERT on audit_event column by column, every column but the ones the database sets, read
 * from the catalogue at each start so that a column added by a later migration is granted too.
 * The table-level grant of earlier versions is revoked first (it would cover every column).
 */
async function grantEventInsert(trx: Knex, t: string, r: string): Promise<void> {
  const { rows } = (await trx.raw(`select column_name from information_schema.columns
    where table_schema = 'public' and table_name = 'audit_event' order by ordinal_position`)) as { rows: { column_name: string }[] };
  const columns = rows.map((c) => c.column_name).filter((c) => !DATABASE_SET_EVENT_COLUMNS.includes(c));
  await trx.raw(`revoke insert on ${t} from ${r}`);
  await trx.raw(`grant select, insert (${columns.map(ident).join(', ')}) on ${t} to ${r}`);
}

async function grantApp(trx: Knex, role: string): Promise<void> {
  const r = ident(role);
  await grantOnDatabase(trx, r);
  for (const tablename of await publicTables(trx)) {
    const t = `public.${ident(tablename)}`;
    if (OWNER_ONLY_TABLES.includes(tablename)) {
      await trx.raw(`revoke all on ${t} from ${r}`);
      // Readiness (/readyz) compares the applied migrations with the build's: their names only.
      if (tablename === 'mikro_orm_migrations') await trx.raw(`grant select (name) on ${t} to ${r}`);
    } else if (APPEND_ONLY_TABLES.includes(tablename)) {
      await trx.raw(`revoke insert, update, delete, truncate, references, trigger on ${t} from ${r}`);
      if (tablename === 'audit_event') await grantEventInsert(trx, t, r);
      else if (SEALED_TABLES.includes(tablename) || OWNER_WRITTEN_TABLES.includes(tablename)) await trx.raw(`grant select on ${t} to ${r}`);
      else await trx.raw(`grant select, insert on ${t} to ${r}`);
    } else {
      await trx.raw(`grant select, insert, update, delete on ${t} to ${r}`);
    }
  }
  for (const part of await partitions(trx)) await trx.raw(`revoke all on public.${ident(part)} from ${r}`);
  // Views (break_glass_open) are read through, with their owner's rights on the tables beneath.
  const { rows: views } = (await trx.raw(`select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'v' order by c.relname`)) as { rows: { relname: string }[] };
  for (const v of views) await trx.raw(`grant select on public.${ident(v.relname)} to ${r}`);
  await trx.raw(`grant usage, select on all sequences in schema public to ${r}`);
}

/** The sealer reads the trail (and the event sequence's high-water mark) and appends to the chain tables; nothing else. */
async function grantSealer(trx: Knex, role: string): Promise<void> {
  const r = ident(role);
  await grantOnDatabase(trx, r);
  await trx.raw(`revoke all on all tables in schema public from ${r}`);
  await trx.raw(`revoke all on all sequences in schema public from ${r}`);
  await trx.raw(`grant select on public.audit_event to ${r}`);
  await trx.raw(`grant select on public.audit_event_id_seq to ${r}`);
  for (const table of SEALED_TABLES) await trx.raw(`grant select, insert on public.${ident(table)} to ${r}`);
  for (const table of OWNER_WRITTEN_TABLES) await trx.raw(`grant select on public.${ident(table)} to ${r}`);
  await trx.raw(`grant usage on public.audit_seal_id_seq, public.audit_checkpoint_id_seq to ${r}`);
  // Creating next months' partitions ahead (a SECURITY DEFINER function of the owner's): the maintenance task calls it.
  await trx.raw(`grant execute on function public.hub_audit_ensure_partitions(int, date, date) to ${r}`);
}

/** A role to provision; `password` undefined means the operator manages the role (grant only). */
export interface RoleToProvision {
  role: string;
  password?: string;
}

/**
 * Creates (or re-keys) the roles and grants them what the current schema needs, in one
 * transaction: other hub processes never see a half-granted role. Concurrent starts queue on
 * an advisory lock, since concurrent GRANTs on one table fail ("tuple concurrently updated").
 * A role with no password is managed by the operator (HUB_APP_DATABASE_URL,
 * HUB_SEALER_DATABASE_URL): grant only.
 */
export async function provisionRoles(owner: Knex, roles: { app: RoleToProvision; sealer?: RoleToProvision }): Promise<void> {
  await owner.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(?)', [PROVISION_LOCK_KEY]);
    if (roles.app.password !== undefined) await ensureRole(trx, roles.app.role, roles.app.password);
    await grantApp(trx, roles.app.role);
    if (!roles.sealer) return;
    if (roles.sealer.password !== undefined) await ensureRole(trx, roles.sealer.role, roles.sealer.password);
    await grantSealer(trx, roles.sealer.role);
  });
}

/** What the serving role can do that it should not; logged loudly at start. */
export async function excessPrivileges(app: Knex): Promise<string[]> {
  const {
    rows: [r],
  } = (await app.raw(`select r.rolsuper as superuser, r.rolbypassrls as bypassrls,
      pg_has_role(current_user, (select tableowner from pg_tables where schemaname = 'public' and tablename = 'audit_event'), 'USAGE') as owner,
      has_table_privilege('public.audit_event', 'UPDATE') or has_table_privilege('public.audit_event', 'DELETE') as mutate,
      has_table_privilege('public.audit_chain', 'INSERT') or has_table_privilege('public.audit_checkpoint', 'INSERT') as seal,
      has_column_privilege('public.audit_event', 'occurred_at', 'INSERT') as backdate
    from pg_roles r where r.rolname = current_user`)) as { rows: Record<string, boolean>[] };
  return Object.entries(r)
    .filter(([, v]) => v)
    .map(([k]) => k);
}
