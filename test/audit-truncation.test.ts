import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { sealAll } from '../src/trail/audit-sealer';
import { signingKeyFromText } from '../src/trail/audit-signing-key';
import { verifyTrail } from '../src/trail/audit-verifier';
import { runCli } from '../src/cli/run';
import type { HubServer } from '../src/server';
import { createScratchDb, type ScratchDb } from './support/audit-scratch-db';
import { makeReturnee, makeSectorUser, type StaffFixture } from './support/factories';
import { gql, startHub, TEST_JWT_SECRET } from './support/hub';

/**
 * Deleting the newest events together with their chain, seal and checkpoint rows leaves a
 * shorter trail that is consistent in itself: only a checkpoint kept outside the database
 * shows that the trail once went further. The hub signs one at start and then every
 * HUB_AUDIT_CHECKPOINT_INTERVAL_S, appends each to a file in its data directory (here a
 * temporary one) and sends it to a sink another party keeps; `hub audit verify` compares
 * the trail with them by default. In a database of its own: the last tests cut its tail.
 */
const signingKeyPem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const key = signingKeyFromText(signingKeyPem);

let db: ScratchDb;
let hub: HubServer;
let su: Client;
let dir: string;
let file: string;
let trail: string;
let user: StaffFixture;
let auditor: StaffFixture;
let returneeId: string;

/** The other party's end of HUB_AUDIT_CHECKPOINT_SINK: keeps what it is sent, or answers `status`. */
const sink = { received: [] as Record<string, string>[], status: 201, server: undefined as http.Server | undefined, url: '' };

async function startSink(): Promise<void> {
  sink.server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (sink.status < 300)
        sink.received.push({ ...JSON.parse(Buffer.concat(chunks).toString('utf8')), contentType: req.headers['content-type'] ?? '' });
      res.writeHead(sink.status).end();
    });
  });
  await new Promise<void>((resolve) => sink.server!.listen(0, '127.0.0.1', resolve));
  sink.url = `http://127.0.0.1:${(sink.server!.address() as AddressInfo).port}/checkpoints`;
}

function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    HUB_JWT_SECRET: TEST_JWT_SECRET,
    HUB_AUDIT_SIGNING_KEY: signingKeyPem,
    HUB_AUDIT_CHECKPOINT_FILE: file,
    LOG_LEVEL: 'silent',
    ...extra,
  };
}

/** `hub audit …` as the operator runs it (in-process: the same code, without spawning node). */
async function hubCli(args: string[], extra: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  const saved = { ...process.env };
  process.env = { ...saved, ...cliEnv(extra) };
  const out: string[] = [];
  const o = jest.spyOn(process.stdout, 'write').mockImplementation((c) => out.push(String(c)) > 0);
  const e = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return { code: await runCli(args), out: out.join('') };
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.env = saved;
  }
}

async function fileLines(): Promise<Record<string, string>[]> {
  return (await readFile(file, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

async function reads(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await gql(hub, user.token, 'query($id: ID!) { returnee(id: $id) { id givenName } }', { id: returneeId });
    expect(res.errors).toBeUndefined();
  }
}

async function head(): Promise<number> {
  return (await su.query('select coalesce(max(position), 0)::int as p from audit_chain')).rows[0].p;
}

async function asSuperuserWithoutTriggers(statements: [string, unknown[]][]): Promise<void> {
  await su.query('set session_replication_role = replica');
  try {
    for (const [sql, params] of statements) await su.query(sql, params);
  } finally {
    await su.query('set session_replication_role = origin');
  }
}

const INTEGRITY = `query { auditIntegrity { verified firstBadEvent { kind position }
  latestExternalCheckpoint { position hash source signatureValid trustedKey chainMatches } } }`;

beforeAll(async () => {
  db = await createScratchDb('audit_trunc');
  dir = await mkdtemp(path.join(os.tmpdir(), 'hub-audit-trunc-'));
  file = path.join(dir, 'data', 'audit-checkpoints.jsonl');
  await startSink();
  hub = await startHub({
    DATABASE_URL: db.url,
    HUB_AUDIT_SEAL_INTERVAL_MS: '0',
    HUB_AUDIT_SIGNING_KEY: signingKeyPem,
    HUB_AUDIT_CHECKPOINT_FILE: file,
    HUB_AUDIT_CHECKPOINT_SINK: sink.url,
  });
  su = new Client({ connectionString: db.url });
  await su.connect();
  trail = (await su.query(`select system_identifier::text || '/' || current_database() as t from pg_control_system()`)).rows[0].t;
  user = await makeSectorUser(hub.db.orm, 'SOCIAL');
  auditor = await makeSectorUser(hub.db.orm, 'OVERSIGHT', ['AUDITOR']);
  returneeId = (await makeReturnee(hub.db.orm, user.agency)).id;
});

afterAll(async () => {
  await su?.end();
  await hub?.stop();
  await db?.drop();
  await new Promise((r) => sink.server?.close(r));
  await rm(dir, { recursive: true, force: true });
});

it('signs a checkpoint at start, and keeps it in the database, in the file and at the sink', async () => {
  const { rows: stored } =
    await su.query(`select position::text as position, encode(hash, 'hex') as hash, replace(encode(signature, 'base64'), E'\n', '') as signature
    from audit_checkpoint order by id`);
  expect(stored).toHaveLength(1);
  const [line] = await fileLines();
  expect(line).toMatchObject({ ...stored[0], trail, keyId: key.publicKey.keyId });
  expect(sink.received).toEqual([expect.objectContaining({ ...stored[0], trail, contentType: 'application/json' })]);
});

it('verifies by default against the kept file, and says so', async () => {
  await reads(3);
  await sealAll(hub.runtime.audit.knex, { wait: true });
  const cp = await hub.runtime.audit.checkpointNow();
  expect(cp).toMatchObject({ position: String(await head()) });
  expect((await fileLines()).at(-1)).toMatchObject({ position: cp!.position, hash: cp!.hash, trail });
  const ok = await hubCli(['audit', 'verify']);
  expect(ok).toEqual({
    code: 0,
    out: expect.stringContaining(`external checkpoint at position ${cp!.position} (file ${file}): the chain passes through it`),
  });
});

it('signs again every interval while the chain grows (a second process, interval 1 s)', async () => {
  const second = await startHub({
    DATABASE_URL: db.url,
    HUB_AUDIT_SEAL_INTERVAL_MS: '0',
    HUB_AUDIT_SIGNING_KEY: signingKeyPem,
    HUB_AUDIT_CHECKPOINT_FILE: file,
    HUB_AUDIT_CHECKPOINT_INTERVAL_S: '1',
  });
  try {
    await reads(2);
    await sealAll(hub.runtime.audit.knex, { wait: true });
    const target = String(await head());
    // Waits for the timer (no assertion on how long it takes): a line at the new head appears.
    while (!(await fileLines()).some((l) => l.position === target)) await new Promise((r) => setTimeout(r, 100));
    const signedAt = (await fileLines()).filter((l) => l.position === target).map((l) => l.signedAt);
    expect(signedAt).toHaveLength(1); // none while the head stands still
  } finally {
    await second.stop();
  }
});

it('writes to a directory sink too, and verification reads it', async () => {
  const sinkDir = path.join(dir, 'kept-by-the-auditor');
  const cp = await hubCli(['audit', 'checkpoint'], { HUB_AUDIT_CHECKPOINT_FILE: 'off', HUB_AUDIT_CHECKPOINT_SINK: sinkDir });
  expect(cp.code).toBe(0);
  const printed = JSON.parse(cp.out);
  const files = await readdir(sinkDir);
  expect(files).toHaveLength(1);
  expect(JSON.parse(await readFile(path.join(sinkDir, files[0]), 'utf8'))).toMatchObject({
    position: printed.position,
    hash: printed.hash,
    trail,
  });
  const ok = await hubCli(['audit', 'verify'], { HUB_AUDIT_CHECKPOINT_FILE: 'off', HUB_AUDIT_CHECKPOINT_SINK: sinkDir });
  expect(ok).toEqual({
    code: 0,
    out: expect.stringContaining(`external checkpoint at position ${printed.position} (directory ${sinkDir})`),
  });
});

it('counts a sink that refuses in /metrics, and keeps signing and serving', async () => {
  const failed = async () => {
    const text = await (await fetch(`${hub.url}/metrics`)).text();
    const m = /^hub_audit_checkpoint_deliveries_total\{sink="http",outcome="failed"\} (\d+)$/m.exec(text);
    return Number(m?.[1] ?? 0);
  };
  const before = await failed();
  sink.status = 503;
  try {
    await reads(1);
    await sealAll(hub.runtime.audit.knex, { wait: true });
    const cp = await hub.runtime.audit.checkpointNow();
    expect(await failed()).toBe(before + 1);
    expect((await fileLines()).at(-1)).toMatchObject({ position: cp!.position, signature: cp!.signature });
    await reads(1);
  } finally {
    sink.status = 201;
  }
});

describe('a superuser deletes the newest 20 events with their chain, seal and checkpoint rows', () => {
  let kept: { position: string; hash: string };
  let cut: number;

  beforeAll(async () => {
    await sealAll(hub.runtime.audit.knex, { wait: true });
    await sealAll(hub.runtime.audit.knex, { wait: true }); // the watermark passes everything so far
    cut = await head();
    const {
      rows: [{ lastSeal }],
    } = await su.query('select max(id)::int as "lastSeal" from audit_seal');
    await reads(20);
    await sealAll(hub.runtime.audit.knex, { wait: true });
    const cp = await hub.runtime.audit.checkpointNow();
    kept = { position: cp!.position, hash: cp!.hash };
    expect(Number(kept.position)).toBe(cut + 20);

    await asSuperuserWithoutTriggers([
      ['delete from audit_event where id in (select event_id from audit_chain where position > $1)', [cut]],
      ['delete from audit_chain where position > $1', [cut]],
      ['delete from audit_seal where id > $1', [lastSeal]],
      ['delete from audit_checkpoint where position > $1', [cut]],
    ]);
  });

  it('the database alone cannot tell (what the defect was)', async () => {
    const report = await verifyTrail(hub.runtime.audit.knex, { trustedKeys: [key.publicKey], graceMs: 60_000 });
    expect(report).toMatchObject({ intact: true, headPosition: String(cut) });
    expect(await hubCli(['audit', 'verify', '--no-external'])).toMatchObject({ code: 0 });
  });

  it('`hub audit verify` fails naming the truncation and the checkpoint it was measured against', async () => {
    const res = await hubCli(['audit', 'verify']);
    expect(res).toEqual({
      code: 1,
      out: expect.stringContaining(`first bad event: TRUNCATED_AFTER_CHECKPOINT (position ${kept.position}`),
    });
    expect(res.out).toContain(`the chain ends at position ${cut}`);
  });

  it('auditIntegrity says so over GraphQL, with the external checkpoint', async () => {
    const res = await gql(hub, auditor.token, INTEGRITY);
    expect(res.errors).toBeUndefined();
    expect(res.data.auditIntegrity).toEqual({
      verified: false,
      firstBadEvent: { kind: 'TRUNCATED_AFTER_CHECKPOINT', position: kept.position },
      latestExternalCheckpoint: { ...kept, source: 'file', signatureValid: true, trustedKey: true, chainMatches: false },
    });
  });

  it('new events written over the cut do not hide it: the kept hash no longer matches', async () => {
    await reads(25);
    await sealAll(hub.runtime.audit.knex, { wait: true });
    await hub.runtime.audit.checkpointNow(); // the hub goes on signing, now above the kept position
    expect(await head()).toBeGreaterThan(Number(kept.position));
    const res = await hubCli(['audit', 'verify']);
    expect(res).toEqual({ code: 1, out: expect.stringContaining(`first bad event: CHECKPOINT_MISMATCH (position ${kept.position}`) });
  });
});
