import { Client } from 'pg';

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
  await sql(SERVER_URL, `drop role if exists ${name}_hub_app`);
}
