import { generateKeyPairSync } from 'node:crypto';
import type { Client } from 'pg';
import { Client as PgClient } from 'pg';
import { CANONICAL_COLUMNS, linkHash, type CanonicalEventRow, EVENT_COLUMNS_SQL } from '../src/trail/audit-canonical';
import { createCheckpoint, listCheckpoints } from '../src/trail/audit-checkpoint';
import { sealAll } from '../src/trail/audit-sealer';
import { signingKeyFromText } from '../src/trail/audit-signing-key';
import { verifyTrail, type VerifyReport } from '../src/trail/audit-verifier';
import { runCli } from '../src/cli/run';
import type { HubServer } from '../src/server';
import { createScratchDb, type ScratchDb } from './support/audit-scratch-db';
import { makeReturnee, makeSectorUser } from './support/factories';
import { gql, startHub, TEST_JWT_SECRET } from './support/hub';

/**
 * Someone with superuser power disables the guards and changes, deletes, swaps, inserts or
 * re-chains audit rows: verification must notice and name the first bad event. Each test
 * tampers, checks the report, restores the rows exactly, and checks the trail is intact again,
 * so the tests do not depend on each other. Runs in a database of its own.
 */
const signingKeyPem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const key = signingKeyFromText(signingKeyPem);

let db: ScratchDb;
let hub: HubServer;
let su: Client; // superuser session; its session_replication_role switches the triggers off for it alone

const verify = (extra: Partial<Parameters<typeof verifyTrail>[1]> = {}): Promise<VerifyReport> =>
  verifyTrail(hub.runtime.audit.knex, { trustedKeys: [key.publicKey], graceMs: 60_000, ...extra });

/** `hub audit verify` as the operator runs it (in-process: same code, without spawning node). */
async function hubAuditVerify(): Promise<{ code: number; out: string }> {
  const saved = { ...process.env };
  Object.assign(process.env, {
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    HUB_JWT_SECRET: TEST_JWT_SECRET,
    HUB_AUDIT_SIGNING_KEY: signingKeyPem,
    LOG_LEVEL: 'silent',
  });
  const out: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
  try {
    return { code: await runCli(['audit', 'verify']), out: out.join('') };
  } finally {
    spy.mockRestore();
    process.env = saved;
  }
}

const firstBad = (text: string) => expect.stringContaining(`first bad event: ${text}`);

async function chained(position: number): Promise<{ id: string; position: string }> {
  const { rows } = await su.query('select event_id::text as id, position::text as position from audit_chain where position = $1', [
    position,
  ]);
  return rows[0];
}

async function asSuperuserWithoutTriggers(statements: string[], params: unknown[][] = []): Promise<void> {
  await su.query('set session_replication_role = replica');
  try {
    for (const [i, sql] of statements.entries()) await su.query(sql, params[i] ?? []);
  } finally {
    await su.query('set session_replication_role = origin');
  }
}

beforeAll(async () => {
  db = await createScratchDb('audit_tamper');
  hub = await startHub({ DATABASE_URL: db.url, HUB_AUDIT_SEAL_INTERVAL_MS: '0', HUB_AUDIT_SIGNING_KEY: signingKeyPem });
  const user = await makeSectorUser(hub.db.orm, 'SOCIAL');
  const r = await makeReturnee(hub.db.orm, user.agency);
  for (let i = 0; i < 12; i++) {
    const res = await gql(hub, user.token, 'query($id: ID!) { returnee(id: $id) { id givenName region } }', { id: r.id });
    expect(res.errors).toBeUndefined();
  }
  // Two passes: the second advances the sealer's watermark past everything written so far.
  await sealAll(hub.runtime.audit.knex);
  await sealAll(hub.runtime.audit.knex);
  await createCheckpoint(hub.runtime.audit.knex, key);
  su = new PgClient({ connectionString: db.url });
  await su.connect();
});

afterAll(async () => {
  await su?.end();
  await hub?.stop();
  await db?.drop();
});

afterEach(async () => {
  const report = await verify();
  expect(report.problems).toEqual([]); // every test restored what it broke
});

it('verifies an intact trail, every event, through the signed checkpoint', async () => {
  const report = await verify();
  const [{ n }] = await db.query('select count(*)::int as n from audit_event');
  expect(report).toMatchObject({ intact: true, eventsChecked: n, pendingEvents: 0, problemCount: 0 });
  expect(report.latestCheckpoint).toMatchObject({ signatureValid: true, trustedKey: true, chainMatches: true });
  expect(await hubAuditVerify()).toEqual({ code: 0, out: expect.stringMatching(/^audit trail intact: \d+ events checked/) });
  // One month at a time (one connection) the walk is the same as months in parallel; progress counts months.
  const progress: number[] = [];
  const serial = await verify({ concurrency: 1, onProgress: (done) => progress.push(done) });
  expect(serial).toMatchObject({ intact: true, eventsChecked: n, headPosition: report.headPosition, headHash: report.headHash });
  expect(progress).toEqual(Array.from({ length: progress.length }, (_, i) => i + 1));
  expect(progress.length).toBeGreaterThan(1);
});

it('hashes every stored column of an event (a new column must be added to the canonical form)', async () => {
  const columns = await db.query(
    `select column_name from information_schema.columns where table_name = 'audit_event' order by ordinal_position`,
  );
  expect(columns.map((c) => c.column_name).sort()).toEqual([...CANONICAL_COLUMNS].sort());
});

it('detects a changed field (triggers disabled by ALTER TABLE) and names the event', async () => {
  const target = await chained(5);
  const [{ purpose }] = await db.query('select purpose from audit_event where id = $1', [target.id]);
  const change = async (value: string) => {
    await su.query('begin');
    await su.query('alter table audit_event disable trigger user');
    await su.query('update audit_event set purpose = $1 where id = $2', [value, target.id]);
    await su.query('alter table audit_event enable trigger user');
    await su.query('commit');
  };
  await change('routine check, nothing to see');
  const report = await verify();
  expect(report.intact).toBe(false);
  expect(report.firstProblem).toMatchObject({ kind: 'HASH_MISMATCH', eventId: target.id, position: '5' });
  expect(report.problemCount).toBe(1);
  expect((await verify({ concurrency: 1 })).problems).toEqual(report.problems);
  expect(await hubAuditVerify()).toEqual({ code: 1, out: firstBad(`HASH_MISMATCH (event ${target.id}, position 5)`) });
  await change(purpose);
});

it('detects a deleted event', async () => {
  const target = await chained(7);
  await su.query('create temp table saved as select * from audit_event where id = $1', [target.id]);
  await asSuperuserWithoutTriggers(['delete from audit_event where id = $1'], [[target.id]]);
  const report = await verify();
  expect(report.firstProblem).toMatchObject({ kind: 'EVENT_MISSING', eventId: target.id, position: '7' });
  expect(await hubAuditVerify()).toEqual({ code: 1, out: firstBad(`EVENT_MISSING (event ${target.id}, position 7)`) });
  await asSuperuserWithoutTriggers(['insert into audit_event select * from saved', 'drop table saved']);
});

it('detects two swapped events and names the earlier one first', async () => {
  const [a, b] = [await chained(3), await chained(9)];
  const swap = () =>
    asSuperuserWithoutTriggers(
      [
        'update audit_event set id = -id where id = $1',
        'update audit_event set id = $1 where id = $2',
        'update audit_event set id = $2 where id = -($1::bigint)',
      ],
      [[a.id], [a.id, b.id], [a.id, b.id]],
    );
  await swap();
  const report = await verify();
  expect(report.problems.map((p) => [p.kind, p.eventId, p.position])).toEqual([
    ['HASH_MISMATCH', a.id, '3'],
    ['HASH_MISMATCH', b.id, '9'],
  ]);
  expect(await hubAuditVerify()).toEqual({ code: 1, out: firstBad(`HASH_MISMATCH (event ${a.id}, position 3)`) });
  await swap();
});

it('detects chain rows moved out of order', async () => {
  const [a, b] = [await chained(4), await chained(6)];
  const swap = () =>
    asSuperuserWithoutTriggers([
      'update audit_chain set position = -position where position in (4, 6)',
      'update audit_chain set position = 6 where position = -4',
      'update audit_chain set position = 4 where position = -6',
    ]);
  await swap();
  const report = await verify();
  expect(report.firstProblem).toMatchObject({ kind: 'HASH_MISMATCH', eventId: b.id, position: '4' });
  expect(report.problems.map((p) => p.eventId)).toContain(a.id);
  expect(await hubAuditVerify()).toEqual({ code: 1, out: firstBad(`HASH_MISMATCH (event ${b.id}, position 4)`) });
  await swap();
});

it('detects an event inserted behind the chain', async () => {
  await asSuperuserWithoutTriggers([
    `insert into audit_event (id, request_id, action, entity_type, fields, denied_fields, outcome)
    values (0, gen_random_uuid(), 'READ', 'Returnee', '{}', '{}', 'SUCCESS')`,
  ]);
  await sealAll(hub.runtime.audit.knex); // the sealer only looks above its watermark: it is not swept in
  const report = await verify();
  expect(report.firstProblem).toMatchObject({ kind: 'NOT_CHAINED', eventId: '0' });
  expect(await hubAuditVerify()).toEqual({ code: 1, out: firstBad('NOT_CHAINED (event 0)') });
  await asSuperuserWithoutTriggers(['delete from audit_event where id = 0']);
});

it('detects a deleted tail (event and chain row) from the seal batches', async () => {
  const [{ max }] = await db.query('select max(position)::int as max from audit_chain');
  const last = await chained(max);
  await su.query('create temp table saved_event as select * from audit_event where id = $1', [last.id]);
  await su.query('create temp table saved_link as select * from audit_chain where position = $1', [max]);
  await asSuperuserWithoutTriggers(
    ['delete from audit_chain where position = $1', 'delete from audit_event where id = $1'],
    [[max], [last.id]],
  );
  const report = await verify();
  expect(report.firstProblem).toMatchObject({ kind: 'CHAIN_TRUNCATED', position: String(max) });
  expect(await hubAuditVerify()).toEqual({ code: 1, out: firstBad(`CHAIN_TRUNCATED (position ${max})`) });
  await asSuperuserWithoutTriggers([
    'insert into audit_event select * from saved_event',
    'insert into audit_chain select * from saved_link',
    'drop table saved_event',
    'drop table saved_link',
  ]);
});

/** Re-chains from `from` on, as an attacker without the signing key would after changing an event. */
async function rechainFrom(from: number): Promise<void> {
  const [{ hash }] = (await su.query('select hash from audit_chain where position = $1', [from - 1])).rows;
  const { rows } = await su.query<CanonicalEventRow & { position: string }>(
    `select c.position::text as position, ${EVENT_COLUMNS_SQL} from audit_chain c join audit_event e on e.id = c.event_id
     where c.position >= $1 order by c.position`,
    [from],
  );
  let previous: Buffer = hash;
  for (const row of rows) {
    previous = linkHash(previous, BigInt(row.position), row);
    await asSuperuserWithoutTriggers(['update audit_chain set hash = $1 where position = $2'], [[previous, row.position]]);
  }
}

it('detects a changed event whose chain was recomputed, through the signed checkpoint', async () => {
  const target = await chained(2);
  const [{ purpose }] = await db.query('select purpose from audit_event where id = $1', [target.id]);
  await asSuperuserWithoutTriggers(['update audit_event set purpose = $1 where id = $2'], [['forged', target.id]]);
  await rechainFrom(2);
  const report = await verify();
  expect(report.problems.map((p) => p.kind)).toEqual(['CHECKPOINT_MISMATCH']);
  expect(report.latestCheckpoint).toMatchObject({ signatureValid: true, chainMatches: false });
  expect(await hubAuditVerify()).toEqual({ code: 1, out: firstBad('CHECKPOINT_MISMATCH') });

  // Deleting the stored checkpoints does not help: the auditor kept one outside the database.
  const kept = (await listCheckpoints(hub.runtime.audit.knex)).at(-1)!; // the head's, not the one the hub signed at start (position 0)
  await su.query('create temp table saved_cp as select * from audit_checkpoint');
  await asSuperuserWithoutTriggers(['delete from audit_checkpoint']);
  const external = await verify({ externalCheckpoints: [kept] });
  expect(external.firstProblem).toMatchObject({ kind: 'CHECKPOINT_MISMATCH', checkpointId: kept.id, position: kept.position });

  await asSuperuserWithoutTriggers(
    ['update audit_event set purpose = $1 where id = $2', 'insert into audit_checkpoint select * from saved_cp', 'drop table saved_cp'],
    [[purpose, target.id]],
  );
  await rechainFrom(2);
});

it('refuses a checkpoint signed by a key it does not trust', async () => {
  const forger = signingKeyFromText(generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
  const forged = await createCheckpoint(hub.runtime.audit.knex, forger);
  const report = await verify();
  expect(report.firstProblem).toMatchObject({ kind: 'CHECKPOINT_SIGNATURE', checkpointId: forged.id });
  expect(report.latestCheckpoint).toMatchObject({ signatureValid: true, trustedKey: false });
  expect(await hubAuditVerify()).toEqual({ code: 1, out: firstBad(`CHECKPOINT_SIGNATURE (position`) });
  await asSuperuserWithoutTriggers(['delete from audit_checkpoint where id = $1'], [[forged.id]]);
});
