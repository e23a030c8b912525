import { createHash, createHmac } from 'node:crypto';
import type { Knex } from '@mikro-orm/postgresql';

/**
 * Least privilege: migrations run as the owner of the schema (the DATABASE_URL role); the hub
 * serves through a login role that owns nothing. On append-only tables it may only INSERT
 * and SELECT; elsewhere the usual DML; it cannot ALTER or DISABLE TRIGGER (not the owner), nor
 * SET session_replication_role (superuser only), nor create tables. The append-only triggers
 * stay as the second guard, against anyone who does own the tables.
 */
export const APPEND_ONLY_TABLES: readonly string[] = ['audit_event', 'audit_chain', 'audit_seal', 'audit_checkpoint', 'returnee_revision'];

/** Tables the hub never changes at run time (it reads the migrations' names, see /readyz). */
const OWNER_ONLY_TABLES: readonly string[] = ['mikro_orm_migrations'];

const PROVISION_LOCK_KEY = 7_305_120_003;

/** Roles are cluster-wide, so the name carries the database's: `<database>_hub_app`, at most 63 bytes. */
export function appRoleName(database: string): string {
  const base = database.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const name = `${base}_hub_app`;
  if (name.length <= 63) return name;
  return `${base.slice(0, 42)}_${createHash('sha256').update(database).digest('hex').slice(0, 12)}_hub_app`;
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

async function grant(trx: Knex, role: string): Promise<void> {
  const r = ident(role);
  const [{ db }] = ((await trx.raw('select current_database() as db')) as { rows: { db: string }[] }).rows;
  await trx.raw(`grant connect on database ${ident(db)} to ${r}`);
  await trx.raw(`grant usage on schema public to ${r}`);
  const { rows } = (await trx.raw(`select tablename from pg_tables where schemaname = 'public' order by tablename`)) as { rows: { tablename: string }[] };
  for (const { tablename } of rows) {
    const t = `public.${ident(tablename)}`;
    if (OWNER_ONLY_TABLES.includes(tablename)) {
      await trx.raw(`revoke all on ${t} from ${r}`);
      // Readiness (/readyz) compares the applied migrations with the build's: their names only.
      if (tablename === 'mikro_orm_migrations') await trx.raw(`grant select (name) on ${t} to ${r}`);
    } else if (APPEND_ONLY_TABLES.includes(tablename)) {
      await trx.raw(`grant select, insert on ${t} to ${r}`);
      await trx.raw(`revoke update, delete, truncate, references, trigger on ${t} from ${r}`);
    } else {
      await trx.raw(`grant select, insert, update, delete on ${t} to ${r}`);
    }
  }
  await trx.raw(`grant usage, select on all sequences in schema public to ${r}`);
}

/**
 * Creates (or re-keys) the role and grants it what the current schema needs, in one
 * transaction: other hub processes never see a half-granted role. Concurrent starts queue on
 * an advisory lock, since concurrent GRANTs on one table fail ("tuple concurrently updated").
 * `password` undefined means the role is managed by the operator (HUB_APP_DATABASE_URL): grant only.
 */
export async function provisionAppRole(owner: Knex, role: string, password: string | undefined): Promise<void> {
  await owner.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(?)', [PROVISION_LOCK_KEY]);
    if (password !== undefined) await ensureRole(trx, role, password);
    await grant(trx, role);
  });
}

/** What the serving role can do that it should not; logged loudly at start. */
export async function excessPrivileges(app: Knex): Promise<string[]> {
  const { rows: [r] } = (await app.raw(`select r.rolsuper as superuser, r.rolbypassrls as bypassrls,
      pg_has_role(current_user, (select tableowner from pg_tables where schemaname = 'public' and tablename = 'audit_event'), 'USAGE') as owner,
      has_table_privilege('public.audit_event', 'UPDATE') or has_table_privilege('public.audit_event', 'DELETE') as mutate
    from pg_roles r where r.rolname = current_user`)) as { rows: Record<string, boolean>[] };
  return Object.entries(r).filter(([, v]) => v).map(([k]) => k);
}
