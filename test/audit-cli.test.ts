import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { exportEvents } from '../src/trail/audit-export';
import { runCli } from '../src/cli/run';
import type { HubServer } from '../src/server';
import { createScratchDb, type ScratchDb } from './support/audit-scratch-db';
import { makeReturnee, makeSectorUser } from './support/factories';
import { gql, startHub, TEST_JWT_SECRET } from './support/hub';

/**
 * `hub audit seal | checkpoint | verify | export | public-key` as an operator runs them:
 * exit codes (0 done or intact, 1 tampered, 2 usage), checkpoints kept outside the database,
 * streaming exports. In a database of its own (it signs checkpoints with its own key).
 */
const signingKeyPem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
let db: ScratchDb;
let hub: HubServer;
let dir: string;

function cliEnv(): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    HUB_JWT_SECRET: TEST_JWT_SECRET,
    HUB_AUDIT_SIGNING_KEY: signingKeyPem,
    LOG_LEVEL: 'silent',
  };
}

/** In-process: the same code as the binary, without spawning node (fast). */
async function hubCli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const saved = { ...process.env };
  Object.assign(process.env, cliEnv());
  const out: string[] = [];
  const err: string[] = [];
  const o = jest.spyOn(process.stdout, 'write').mockImplementation((c) => out.push(String(c)) > 0);
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((c) => err.push(String(c)) > 0);
  try {
    return { code: await runCli(args), out: out.join(''), err: err.join('') };
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.env = saved;
  }
}

beforeAll(async () => {
  db = await createScratchDb('audit_cli');
  dir = await mkdtemp(path.join(os.tmpdir(), 'hub-audit-cli-'));
  hub = await startHub({ DATABASE_URL: db.url, HUB_AUDIT_SEAL_INTERVAL_MS: '0', HUB_AUDIT_SIGNING_KEY: signingKeyPem });
  const user = await makeSectorUser(hub.db.orm, 'SOCIAL');
  const r = await makeReturnee(hub.db.orm, user.agency);
  for (const purpose of ['Housing, "urgent"', '=HYPERLINK("x")', 'Follow-up']) {
    await gql(hub, user.token, 'query($id: ID!) { returnee(id: $id) { givenName } }', { id: r.id }, { 'x-purpose-of-use': purpose });
  }
});
afterAll(async () => {
  await hub?.stop();
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

it('seals, signs a checkpoint to keep elsewhere, and verifies the trail up to it with the kept public key', async () => {
  const seal = await hubCli('audit', 'seal');
  expect(seal).toMatchObject({ code: 0, out: expect.stringMatching(/^sealed \d+ events/) });
  const cpFile = path.join(dir, 'checkpoint.json');
  const cp = await hubCli('audit', 'checkpoint', '--out', cpFile);
  expect(cp.code).toBe(0);
  const kept = JSON.parse(await readFile(cpFile, 'utf8'));
  const [{ n }] = await db.query('select count(*)::int as n from audit_chain');
  expect(kept).toMatchObject({ position: String(n), hash: expect.stringMatching(/^[0-9a-f]{64}$/), signature: expect.any(String) });

  const pub = await hubCli('audit', 'public-key');
  await writeFile(path.join(dir, 'hub.pub'), pub.out.slice(0, pub.out.indexOf('key id')));
  expect(pub.out).toContain(`key id ${kept.keyId}`);
  const ok = await hubCli('audit', 'verify', '--checkpoint', cpFile, '--public-key', path.join(dir, 'hub.pub'));
  expect(ok).toMatchObject({ code: 0, out: expect.stringContaining('audit trail intact') });

  const other = generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }).toString();
  await writeFile(path.join(dir, 'other.pub'), other);
  const wrongKey = await hubCli('audit', 'verify', '--checkpoint', cpFile, '--public-key', path.join(dir, 'other.pub'));
  expect(wrongKey).toMatchObject({ code: 1, out: expect.stringContaining('first bad event: CHECKPOINT_SIGNATURE') });
});

it('exports a time range as JSON Lines and as CSV, and records the export', async () => {
  const from = '2000-01-01T00:00:00Z';
  const to = new Date(Date.now() + 60_000).toISOString();
  const [{ n }] = await db.query('select count(*)::int as n from audit_event');
  const jsonl = await hubCli('audit', 'export', '--from', from, '--to', to, '--format', 'jsonl');
  expect(jsonl.code).toBe(0);
  const lines = jsonl.out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(lines).toHaveLength(n + 1); // the export's own event is recorded, durably, before anything leaves
  expect(lines.at(-1)).toMatchObject({ operation: 'cli:audit export', entity_type: 'AuditEvent', chain_position: null });
  expect(lines[0]).toMatchObject({
    id: expect.any(String),
    occurred_at: expect.stringMatching(/\.\d{6}Z$/),
    chain_position: expect.any(String),
  });
  const times = lines.map((l) => l.occurred_at);
  expect([...times].sort()).toEqual(times);

  const file = path.join(dir, 'events.csv');
  expect((await hubCli('audit', 'export', '--from', from, '--to', to, '--format', 'csv', '--out', file)).code).toBe(0);
  const csv = await readFile(file, 'utf8');
  expect(csv.split('\n')[0]).toBe(
    'id,occurred_at,request_id,staff_id,agency_id,action,entity_type,entity_id,returnee_id,fields,denied_fields,purpose,operation,outcome,reason,chain_position,chain_hash,correlation_id',
  );
  expect(csv).toContain('"Housing, ""urgent"""');
  expect(csv).toContain(`"'=HYPERLINK(""x"")"`); // a formula is defused, not run by a spreadsheet
  const recorded = await db.query(`select purpose from audit_event where operation = 'cli:audit export' order by id`);
  expect(recorded).toHaveLength(2);
});

it('exports the same events in small batches, each read while the previous one is written', async () => {
  const range = { from: new Date('2000-01-01T00:00:00Z'), to: new Date(Date.now() + 60_000) };
  const collect = async (batch: number) => {
    const chunks: string[] = [];
    const out = new Writable({
      write: (chunk, _enc, done) => {
        chunks.push(String(chunk));
        done();
      },
    });
    const n = await exportEvents(hub.runtime.audit.knex, range, 'jsonl', out, batch);
    return { n, lines: chunks.join('').trim().split('\n') };
  };
  const whole = await collect(5000);
  const [{ count }] = await db.query('select count(*)::int as count from audit_event');
  expect(whole.n).toBe(count);
  expect(await collect(3)).toEqual(whole); // no event skipped or repeated at batch edges
});

it('answers usage errors with exit code 2', async () => {
  expect((await hubCli('audit', 'bogus')).code).toBe(2);
  expect((await hubCli('audit', 'export', '--from', 'yesterday', '--to', '2030-01-01')).code).toBe(2);
  expect((await hubCli('audit', 'export', '--from', '2030-01-01', '--to', '2020-01-01')).code).toBe(2);
  expect((await hubCli('audit', 'export', '--from', '2020-01-01', '--to', '2030-01-01', '--format', 'xml')).code).toBe(2);
});

// Two spawns of `node` loading the TypeScript sources through ts-register.js (not dist/, which
// `npm test` after an edit would leave stale). The first spawn on a clean machine transpiles
// every source file (~130; measured 14 s under a load average of 12, 4 s once cached), hence
// a timeout of its own: the test waits for the binary, it does not time it.
it('exits 0 from the real binary on an intact trail, 1 naming the first bad event otherwise', async () => {
  const run = promisify(execFile);
  const bin = ['-r', './test/support/ts-register.js', './src/cli.ts', 'audit', 'verify'];
  const opts = { cwd: path.resolve(__dirname, '..'), env: { ...process.env, ...cliEnv() } };
  const verify = () =>
    run(process.execPath, bin, opts).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
  // Everything chained first: this hub does not seal by itself, and an event left unchained
  // past the grace period (60 s) counts as a problem, so the verdict would otherwise depend
  // on how long the spawn takes.
  expect(await hubCli('audit', 'seal')).toMatchObject({ code: 0 });
  expect(await verify()).toMatchObject({ code: 0, stdout: expect.stringContaining('audit trail intact') });
  const [{ id, position }] = await db.query('select event_id::text as id, position::text as position from audit_chain where position = 2');
  const su = await db
    .query(
      `set session_replication_role = replica; update audit_event set reason = 'x' where id = ${Number(id)};
    set session_replication_role = origin; select 1`,
    )
    .catch((e) => e);
  expect(su).not.toBeInstanceOf(Error);
  expect(await verify()).toMatchObject({
    code: 1,
    stdout: expect.stringContaining(`first bad event: HASH_MISMATCH (event ${id}, position ${position})`),
  });
}, 240_000);
