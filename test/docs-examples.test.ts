import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import pino from 'pino';
import { AuditRecorder } from '../src/trail/audit-recorder';
import { hubRoleNames } from '../src/db/app-role';
import { migrate, openOrm } from '../src/db/orm';
import { seedDatabase } from '../src/seed/seed';
import type { HubServer } from '../src/server';
import { examplesOf, problemsOf, runExamples } from './support/doc-examples';
import { startHub, TEST_JWT_SECRET } from './support/hub';

/**
 * Every shell example in docs/ runs as a reader would run it — against a hub holding the demo
 * data of `npx hub seed --returnees 200` — and prints what the page shows (same keys, same
 * nulls, same error codes; see test/support/doc-examples.ts for the conventions). The demo
 * data goes into a database of its own, as other suites count the rows of the shared one.
 */
const DOCS = path.resolve(__dirname, '..', 'docs');
const pages = readdirSync(DOCS)
  .filter((f) => f.endsWith('.md'))
  .sort();

let hub: HubServer;
let adminUrl: URL;
const database = `docs_test_${randomBytes(6).toString('hex')}`;

async function asAdmin(sql: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  adminUrl = new URL(process.env.HUB_TEST_DATABASE_URL!);
  adminUrl.pathname = '/postgres';
  await asAdmin(`create database ${database}`);
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  const orm = await openOrm(url.toString());
  try {
    await migrate(orm);
    // What `npx hub seed --returnees 200` does (its default seed is 1).
    await seedDatabase(orm.em.fork(), new AuditRecorder(orm.em.fork(), pino({ level: 'silent' })), { returnees: 200, seed: 1 });
  } finally {
    await orm.close(true);
  }
  // As production runs it: an example that reads records without X-Purpose-Of-Use fails.
  hub = await startHub({ DATABASE_URL: url.toString(), HUB_REQUIRE_PURPOSE: '1' });
}, 180_000);

afterAll(async () => {
  await hub?.stop();
  await asAdmin(`drop database if exists ${database} with (force)`);
  for (const role of hubRoleNames(database)) await asAdmin(`drop role if exists ${role}`);
});

it('finds runnable examples with shown output on the integrator pages', () => {
  const counts = Object.fromEntries(
    pages.map((p) => [p, examplesOf(readFileSync(path.join(DOCS, p), 'utf8')).filter((e) => e.expected).length]),
  );
  for (const page of ['README.md', 'authentication.md', 'errors.md', 'pagination.md', 'purpose-of-use.md', 'redaction.md']) {
    expect(counts[page]).toBeGreaterThan(0);
  }
});

it.each(pages)(
  'docs/%s: every example runs and prints what the page shows',
  async (page) => {
    const examples = examplesOf(readFileSync(path.join(DOCS, page), 'utf8'));
    const results = await runExamples(examples, { HUB: hub.url, HUB_JWT_SECRET: TEST_JWT_SECRET });
    expect(results.flatMap(problemsOf)).toEqual([]);
  },
  180_000,
);

describe('the output comparison', () => {
  // A check that cannot fail proves nothing: these pin what it catches.
  it('catches a renamed field, a different error code, a value where the page shows null, and a failing command', async () => {
    const page = [
      '```sh',
      `echo '{"data":{"a":1,"b":null}}'`,
      '```',
      '',
      '```json',
      '{"data":{"a":2,"c":null}}',
      '```',
      '',
      '```sh',
      `echo '{"errors":[{"message":"x","extensions":{"code":"FORBIDDEN"}}]}'`,
      '```',
      '',
      '```json',
      '{"errors":[{"message":"y","extensions":{"code":"NOT_FOUND"}}]}',
      '```',
      '',
      '```sh',
      `echo '{"v":"set"}'`,
      '```',
      '',
      '```json',
      '{"v":null}',
      '```',
      '',
      '```sh',
      'false',
      '```',
      '',
      '```sh norun',
      'exit 3',
      '```',
    ].join('\n');
    const results = await runExamples(examplesOf(page), {});
    expect(results).toHaveLength(4);
    const problems = results.map(problemsOf);
    expect(problems[0].join()).toMatch(/keys a,c, the hub answered a,b/);
    expect(problems[1].join()).toMatch(/code: the page shows NOT_FOUND, the hub answered FORBIDDEN/);
    expect(problems[2].join()).toMatch(/the page shows null, the hub answered "set"/);
    expect(problems[3].join()).toMatch(/exited 1/);
  });
});
