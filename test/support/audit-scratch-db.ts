import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { hubRoleNames } from '../../src/db/app-role';
import { testDatabaseUrl } from './hub';

/**
 * A database of its own on the run's PostgreSQL, for audit suites that tamper with the trail
 * or count every event in it: the shared test database must stay intact for the others.
 * `drop()` removes it and the app role the hub provisioned for it (roles are cluster-wide).
 */
export interface ScratchDb {
  name: string;
  url: string;
  query<T extends Record<string, unknown> = Record<string, any>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

function urlFor(name: string): string {
  const u = new URL(testDatabaseUrl());
  u.pathname = `/${name}`;
  return u.toString();
}

async function asAdmin(fn: (c: Client) => Promise<unknown>): Promise<void> {
  const c = new Client({ connectionString: urlFor('postgres') });
  await c.connect();
  try {
    await fn(c);
  } finally {
    await c.end();
  }
}

export async function createScratchDb(prefix: string): Promise<ScratchDb> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await asAdmin((c) => c.query(`create database ${name}`));
  const url = urlFor(name);
  return {
    name,
    url,
    async query(sql, params = []) {
      const c = new Client({ connectionString: url });
      await c.connect();
      try {
        return (await c.query(sql, params)).rows;
      } finally {
        await c.end();
      }
    },
    async drop() {
      await asAdmin(async (c) => {
        await c.query(`drop database if exists ${name} with (force)`);
        for (const role of hubRoleNames(name)) await c.query(`drop role if exists ${role}`);
      });
    },
  };
}
