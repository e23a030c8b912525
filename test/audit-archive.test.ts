import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Client } from 'pg';
import { runCli } from '../src/cli/run';
import type { HubServer } from '../src/server';
import { sealAll } from '../src/trail/audit-sealer';
import { signingKeyFromText } from '../src/trail/audit-signing-key';
import { verifyTrail } from '../src/trail/audit-verifier';
import { createScratchDb, type ScratchDb } from './support/audit-scratch-db';
import { makeReturnee, makeSectorUser } from './support/factories';
import { gql, startHub, TEST_JWT_SECRET } from './support/hub';

/**
 * `hub audit archive | hold | verify --archive` (docs/audit.md, "Archive and retention"): a closed
 * month exported with its seal verifies alone, offline; a changed, removed or re-signed line is
 * named; detaching is refused for an open, unsealed or held month, before the retention period
 * and without a retention period, each with a message, exit 3 and nothing changed; once detached
 * the trail still verifies and says the month is archived, the first link after the gap is still
 * checked, and the detach is an audit event. Neither the serving nor the sealer role can detach,
 * drop, hold or record an archive.
 */
const signingKeyPem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const otherKeyPem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const key = signingKeyFromText(signingKeyPem);
let db: ScratchDb;
let hub: HubServer;
let dir: string;
const months: string[] = [];
const run = promisify(execFile);

function monthsAgo(k: number): string {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - k);
  return d.toISOString().slice(0, 7);
}

function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    HUB_JWT_SECRET: TEST_JWT_SECRET,
    HUB_AUDIT_SIGNING_KEY: signingKeyPem,
    LOG_LEVEL: 'silent',
    ...extra,
  };
}

/** In-process: the same code as the binary (fast), for the refusals. */
async function hubCli(env: Record<string, string>, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const saved = { ...process.env };
  delete process.env.HUB_AUDIT_RETENTION_MONTHS;
  Object.assign(process.env, cliEnv(env));
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

/** The real binary as a child process. */
async function binary(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const opts = { cwd: path.resolve(__dirname, '..'), env: { ...process.env, ...cliEnv(env) } };
  return run(process.execPath, ['-r', './test/support/ts-register.js', './src/cli.ts', ...args], opts).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

const partitionExists = async (month: string) =>
  (await db.query(`select to_regclass('public.audit_event_${month.replace('-', '_')}') is not null as ok`))[0].ok as boolean;
const archives = async () => Number((await db.query('select count(*)::int as n from audit_month_archive'))[0].n);

beforeAll(async () => {
  db = await createScratchDb('audit_archive');
  dir = await mkdtemp(path.join(os.tmpdir(), 'hub-audit-archive-'));
  hub = await startHub({ DATABASE_URL: db.url, HUB_AUDIT_SEAL_INTERVAL_MS: '0', HUB_AUDIT_SIGNING_KEY: signingKeyPem });
  const user = await makeSectorUser(hub.db.orm, 'SOCIAL');
  const r = await makeReturnee(hub.db.orm, user.agency);
  await gql(hub, user.token, 'query($id: ID!) { returnee(id: $id) { id givenName } }', { id: r.id });
  months.push(monthsAgo(3), monthsAgo(2), monthsAgo(1));
  const su = new Client({ connectionString: db.url });
  await su.connect();
  await su.query('select hub_audit_ensure_partitions(0, $1::date)', [`${months[0]}-01`]);
  await su.query('set session_replication_role = replica');
  for (const [i, month] of months.entries()) {
    await su.query(
      `insert into audit_event (occurred_at, request_id, staff_id, agency_id, action, entity_type, entity_id, returnee_id, fields, denied_fields, purpose, outcome)
       select $1::timestamptz + g * interval '1 hour', gen_random_uuid(), $2, $3, 'READ', 'Returnee', $4::text, $4::uuid, '{id,givenName}', '{}',
         'Housing, "urgent"' || E'\\t' || g, 'SUCCESS'
       from generate_series(1, $5::int) g order by g`,
      [`${month}-02T00:00:00Z`, user.staff.id, user.agency.id, r.id, 5 + i],
    );
  }
  await su.end();
  // Seal until the three months are sealed. On a shared server (the DATABASE_URL pass) other
  // suites' transactions in flight hold the sealer's watermark back for a while, so one pass may
  // seal only part of the trail; a month is archivable only once sealed.
  const deadline = Date.now() + 60_000;
  for (;;) {
    await sealAll(hub.runtime.audit.knex, { wait: true, key });
    const [row] = await db.query(`select count(*)::int as n from audit_month_seal where to_char(month, 'YYYY-MM') = any($1)`, [months]);
    if (row.n === months.length) break;
    if (Date.now() > deadline) throw new Error(`only ${row.n} of the months ${months.join(', ')} were sealed within 60 s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}, 120_000);

afterAll(async () => {
  await hub?.stop();
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

it('archives a closed month, records it, and the archive verifies alone, offline (child processes)', async () => {
  const file = path.join(dir, 'm0.jsonl.gz');
  const archived = await binary({}, 'audit', 'archive', '--month', months[0], '--out', file);
  expect(archived).toMatchObject({ code: 0, stdout: expect.stringContaining(`archived audit month ${months[0]}: 5 events`) });
  const [row] = await db.query(`select to_char(month, 'YYYY-MM') as month, event_count::int as n, file_name from audit_month_archive`);
  expect(row).toEqual({ month: months[0], n: 5, file_name: file });
  const read = await db.query(`select count(*)::int as n from audit_event where operation = 'cli:audit archive' and action = 'READ'`);
  expect(read[0].n).toBe(1);
  // No database: a URL nothing listens on.
  const offline = await binary({ DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' }, 'audit', 'verify', '--archive', file);
  expect(offline).toMatchObject({ code: 0, stdout: expect.stringContaining(`archive intact: ${file}: month ${months[0]}, 5 events`) });
  const lines = gunzipSync(await readFile(file))
    .toString()
    .trim()
    .split('\n');
  expect(lines).toHaveLength(6);
  expect(JSON.parse(lines[0])).toMatchObject({ month: months[0], seal: { month: months[0], eventCount: '5' } });
  expect(JSON.parse(lines[1]).e).toEqual(expect.arrayContaining(['v1', 'Housing, "urgent"\t1']));
}, 240_000);

async function tampered(name: string, edit: (lines: string[]) => string[]): Promise<string> {
  const lines = gunzipSync(await readFile(path.join(dir, 'm0.jsonl.gz')))
    .toString()
    .trim()
    .split('\n');
  const file = path.join(dir, name);
  await writeFile(file, gzipSync(`${edit(lines).join('\n')}\n`));
  return file;
}

it('names the line and the reason when an archive was changed, cut, reordered or re-signed', async () => {
  const changed = await tampered('changed.gz', (l) => l.map((x, i) => (i === 2 ? x.replace('"READ"', '"UPDATE"') : x)));
  const r1 = await hubCli({}, 'audit', 'verify', '--archive', changed);
  expect(r1.code).toBe(1);
  expect(r1.out).toMatch(/archive NOT intact: .*: line 3: the event at position \d+ does not match its link hash/);
  const cut = await tampered('cut.gz', (l) => l.filter((_, i) => i !== 4));
  const r2 = await hubCli({}, 'audit', 'verify', '--archive', cut);
  expect(r2.code).toBe(1);
  expect(r2.out).toMatch(/line 5: position \d+ where \d+ was expected/);
  expect(r2.out).toContain('the archive holds 4 events, the seal vouches for 5');
  const swapped = await tampered('swapped.gz', (l) => [l[0], l[2], l[1], ...l.slice(3)]);
  expect((await hubCli({}, 'audit', 'verify', '--archive', swapped)).out).toMatch(/line 2: position \d+ where \d+ was expected/);
  const truncatedGzip = path.join(dir, 'truncated.gz');
  const whole = await readFile(path.join(dir, 'm0.jsonl.gz'));
  await writeFile(truncatedGzip, whole.subarray(0, whole.length - 12));
  expect((await hubCli({}, 'audit', 'verify', '--archive', truncatedGzip)).code).toBe(1);
  // Someone else's key: the seal does not verify against the auditor's trusted key.
  const pub = path.join(dir, 'other.pub');
  await writeFile(pub, signingKeyFromText(otherKeyPem).publicKey.key.export({ format: 'pem', type: 'spki' }).toString());
  const r3 = await hubCli({}, 'audit', 'verify', '--archive', path.join(dir, 'm0.jsonl.gz'), '--public-key', pub);
  expect(r3.code).toBe(1);
  expect(r3.out).toContain('line 1: the seal of');
  expect(r3.out).toContain('not a trusted key');
});

it('refuses to detach an open, unsealed or held month, within the retention period or without one: exit 3, nothing changed', async () => {
  const before = await archives();
  const current = new Date().toISOString().slice(0, 7);
  const cases: [Record<string, string>, string, RegExp][] = [
    [{ HUB_AUDIT_RETENTION_MONTHS: '0' }, current, /is not over yet/],
    [{ HUB_AUDIT_RETENTION_MONTHS: '0' }, monthsAgo(8), /is not sealed yet/],
    [{ HUB_AUDIT_RETENTION_MONTHS: '12' }, months[0], /within the retention period of 12 month\(s\)/],
    [{}, months[0], /no retention period is configured \(HUB_AUDIT_RETENTION_MONTHS\)/],
  ];
  for (const [env, month, message] of cases) {
    const r = await hubCli(env, 'audit', 'archive', '--month', month, '--out', path.join(dir, `refused-${month}.gz`), '--detach');
    expect({ month, code: r.code }).toEqual({ month, code: 3 });
    expect(r.err).toMatch(message);
  }
  expect(await hubCli({}, 'audit', 'hold', '--month', months[0], '--reason', 'case 2026/114 before the court')).toMatchObject({ code: 0 });
  expect(await hubCli({}, 'audit', 'hold', '--month', months[0])).toMatchObject({
    code: 3,
    err: expect.stringContaining('already under legal hold'),
  });
  const held = await hubCli(
    { HUB_AUDIT_RETENTION_MONTHS: '0' },
    'audit',
    'archive',
    '--month',
    months[0],
    '--out',
    path.join(dir, 'held.gz'),
    '--detach',
  );
  expect(held).toMatchObject({ code: 3, err: expect.stringContaining('is under legal hold') });
  expect(await archives()).toBe(before);
  expect(await partitionExists(months[0])).toBe(true);
  const holdEvents = await db.query(`select operation, reason, entity_id from audit_event where entity_type = 'AuditMonth' order by id`);
  expect(holdEvents).toEqual([{ operation: 'cli:audit hold', reason: 'LEGAL_HOLD: case 2026/114 before the court', entity_id: months[0] }]);
  expect(await hubCli({}, 'audit', 'hold', '--month', months[0], '--release')).toMatchObject({ code: 0 });
  // The month holding the chain's newest links: the sealer continues from there, so it stays (the archive itself is kept).
  const head = await hubCli(
    { HUB_AUDIT_RETENTION_MONTHS: '0' },
    'audit',
    'archive',
    '--month',
    months[2],
    '--out',
    path.join(dir, 'head.gz'),
    '--detach',
  );
  expect(head).toMatchObject({ code: 3, err: expect.stringContaining('holds the newest links of the chain') });
  expect(await partitionExists(months[2])).toBe(true);
  expect(await hubCli({}, 'audit', 'hold', '--month', months[0], '--release')).toMatchObject({ code: 3 });
});

it('detaches a month past retention: an audited event, and the trail still verifies with the month reported as archived', async () => {
  await sealAll(hub.runtime.audit.knex, { wait: true, key });
  const file = path.join(dir, 'm0-detach.jsonl.gz');
  const detached = await binary({ HUB_AUDIT_RETENTION_MONTHS: '1' }, 'audit', 'archive', '--month', months[0], '--out', file, '--detach');
  expect(detached).toMatchObject({ code: 0, stdout: expect.stringContaining(`detached and dropped audit month ${months[0]}`) });
  expect(await partitionExists(months[0])).toBe(false);
  const [event] = await db.query(`select action, operation, entity_id from audit_event where operation = 'cli:audit archive --detach'`);
  expect(event).toEqual({ action: 'DELETE', operation: 'cli:audit archive --detach', entity_id: months[0] });
  await sealAll(hub.runtime.audit.knex, { wait: true, key });
  const verify = await binary({}, 'audit', 'verify', '--no-external');
  expect(verify).toMatchObject({ code: 0, stdout: expect.stringContaining('audit trail intact') });
  expect(verify.stdout).toContain(`1 month(s) archived and detached, vouched for by their seals: ${months[0]} (5 events, archive ${file}`);
  const report = await verifyTrail(hub.runtime.audit.knex, { trustedKeys: [key.publicKey], graceMs: 60_000 });
  expect(report.months.find((m) => m.month === months[0])).toMatchObject({ archived: true, walked: false, intact: true });
  expect((await hubCli({}, 'audit', 'verify', '--archive', file)).code).toBe(0);
  expect(await hubCli({}, 'audit', 'hold', '--month', months[0])).toMatchObject({
    code: 3,
    err: expect.stringContaining('already detached'),
  });
}, 240_000);

it('says over HTTP which months auditIntegrity vouches for as archived and detached', async () => {
  // Runs after the detach above: months[0] is gone from the database, the others are not.
  const auditor = await makeSectorUser(hub.db.orm, 'OVERSIGHT', ['AUDITOR']);
  const res = await gql(hub, auditor.token, '{ auditIntegrity { verified months { month sealed walked intact archived } } }');
  expect(res.errors).toBeUndefined();
  const byMonth = new Map(res.data.auditIntegrity.months.map((m: { month: string }) => [m.month, m]));
  expect(res.data.auditIntegrity.verified).toBe(true);
  expect(byMonth.get(months[0])).toEqual({ month: months[0], sealed: true, walked: false, intact: true, archived: true });
  for (const month of months.slice(1)) expect(byMonth.get(month)).toMatchObject({ month, sealed: true, intact: true, archived: false });
});

it('still checks the first link after the detached month against its seal', async () => {
  const [{ position, id }] = await db.query(
    `select c.position::text as position, c.event_id::text as id from audit_month_seal s join audit_chain c on c.position = s.first_position
     where to_char(s.month, 'YYYY-MM') = $1`,
    [months[1]],
  );
  await db.query(
    `set session_replication_role = replica; update audit_event set reason = 'x' where id = ${Number(id)}; set session_replication_role = origin`,
  );
  const report = await verifyTrail(hub.runtime.audit.knex, { trustedKeys: [key.publicKey], graceMs: 60_000 });
  expect(report.firstProblem).toMatchObject({ kind: 'HASH_MISMATCH', position, eventId: id, month: months[1] });
});

it('lets neither the serving nor the sealer role detach, drop, hold or record an archive', async () => {
  const part = `audit_event_${months[1].replace('-', '_')}`;
  for (const url of [hub.db.appUrl, hub.db.sealerUrl]) {
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      const attempts = [
        `select hub_audit_detach_month('${months[1]}-01'::date, 0, gen_random_uuid())`,
        `select hub_audit_set_hold('${months[1]}-01'::date, true, 'x', gen_random_uuid())`,
        `select hub_audit_own_event('DELETE', 'x', 'x', 'x', gen_random_uuid())`,
        `alter table audit_event detach partition ${part}`,
        `drop table ${part}`,
        `insert into audit_month_archive (month, seal_hash, event_count, file_sha256, file_bytes, file_name) values ('${months[1]}-01', '\\x00', 0, '\\x00', 0, 'x')`,
        `insert into audit_legal_hold (month, held, event_id) values ('${months[1]}-01', false, 1)`,
        `insert into audit_month_detached (month, archive_id, event_id) values ('${months[1]}-01', 1, 1)`,
        'delete from audit_legal_hold',
        'update audit_month_archive set file_name = file_name',
      ];
      for (const sql of attempts) {
        const error = await c.query(sql).then(
          () => undefined,
          (e: { message: string }) => e.message,
        );
        expect({ sql, error }).toEqual({ sql, error: expect.stringMatching(/permission denied|must be owner/) });
      }
    } finally {
      await c.end();
    }
  }
  expect(await partitionExists(months[1])).toBe(true);
  // The owner too cannot rewrite what was recorded: append-only.
  await expect(db.query('delete from audit_legal_hold')).rejects.toThrow(/append-only|not allowed|refuse/i);
});
