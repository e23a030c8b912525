import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { hubRoleNames } from '../../src/db/app-role';

const run = promisify(execFile);

/** Scratch databases on the bench server (BENCH_DATABASE_URL, default the local PostgreSQL), created and dropped per run. */
export const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export function urlOf(name: string): string {
  const u = new URL(SERVER_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function sql<T = Record<string, any>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end();
  }
}

export async function createDb(name: string, template?: string): Promise<string> {
  await dropDb(name);
  await sql(SERVER_URL, `create database ${name}${template ? ` template ${template}` : ''}`);
  return urlOf(name);
}

export async function dropDb(name: string): Promise<void> {
  await sql(SERVER_URL, `drop database if exists ${name} with (force)`);
  for (const role of hubRoleNames(name)) await sql(SERVER_URL, `drop role if exists ${role}`);
}

/**
 * Drops the database's files from the operating system's page cache (`dd iflag=nocache`, file by
 * file: nothing else on the machine is touched), so the next read comes from disk. Only when the
 * server runs on this machine and its data directory is readable; PostgreSQL's own
 * shared_buffers keep what they hold (a restart would clear them, but the server is shared).
 * Returns whether it could.
 */
export async function evictFromOsCache(url: string): Promise<boolean> {
  const [{ dir, oid }] = await sql<{ dir: string; oid: string }>(
    url,
    "select current_setting('data_directory') as dir, oid::text as oid from pg_database where datname = current_database()",
  );
  const base = path.join(dir, 'base', oid);
  let files: string[];
  try {
    files = await readdir(base);
  } catch {
    return false;
  }
  for (const f of files) await run('dd', [`if=${path.join(base, f)}`, 'iflag=nocache', 'count=0', 'status=none']);
  return true;
}
