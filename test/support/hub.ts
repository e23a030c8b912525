import { Client } from 'pg';
import { signToken } from '../../src/auth/token';
import { loadConfig } from '../../src/config';
import { createServer, type HubServer } from '../../src/server';

export const TEST_JWT_SECRET = 'test-secret-that-is-at-least-32-characters-long';

export function testDatabaseUrl(): string {
  const url = process.env.HUB_TEST_DATABASE_URL;
  if (!url) throw new Error('HUB_TEST_DATABASE_URL is not set: run the suites through jest (test/global-setup.ts)');
  return url;
}

/** A real hub on a free port, against the run's PostgreSQL. */
export async function startHub(env: Record<string, string> = {}): Promise<HubServer> {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: testDatabaseUrl(),
    HUB_JWT_SECRET: TEST_JWT_SECRET,
    PORT: '0',
    HUB_BOOTSTRAP_ADMIN: 'admin',
    ...(process.env.LOG_LEVEL ? { LOG_LEVEL: process.env.LOG_LEVEL } : {}),
    ...env,
  });
  return createServer(config);
}

export function tokenFor(username: string, ttlSeconds = 3600): Promise<string> {
  return signToken(TEST_JWT_SECRET, username, ttlSeconds);
}

export interface GqlResponse<T = any> {
  status: number;
  headers: Headers;
  data?: T;
  errors?: { message: string; extensions?: { code?: string; [k: string]: unknown }; path?: string[] }[];
}

/** POST /graphql over real HTTP. */
export async function gql<T = any>(
  hub: { url: string },
  token: string | undefined,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GqlResponse<T>> {
  const res = await fetch(`${hub.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      'x-purpose-of-use': 'test: case review',
      ...headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: GqlResponse['errors'] };
  return { status: res.status, headers: res.headers, data: body.data, errors: body.errors };
}

export function errorCode(res: GqlResponse): string | undefined {
  return res.errors?.[0]?.extensions?.code;
}

/** A plain pg client for assertions on audit rows and raw state (never for the code under test). */
export async function sqlClient(): Promise<Client> {
  const client = new Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  return client;
}

/** One statement on a connection of its own (as the database owner): its rows. */
export async function sqlRows(text: string, params: unknown[] = []) {
  const client = await sqlClient();
  try {
    return (await client.query(text, params)).rows;
  } finally {
    await client.end();
  }
}
