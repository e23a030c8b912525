import { generateKeyPairSync } from 'node:crypto';
import { Client } from 'pg';
import { runCli } from '../src/cli/run';
import type { HubServer } from '../src/server';
import { listMonthSeals, monthSealMessage } from '../src/trail/audit-month-seal';
import { sealAll } from '../src/trail/audit-sealer';
import { signingKeyFromText } from '../src/trail/audit-signing-key';
import { verifyTrail } from '../src/trail/audit-verifier';
import { createScratchDb, type ScratchDb } from './support/audit-scratch-db';
import { makeReturnee, makeSectorUser, type StaffFixture } from './support/factories';
import { gql, startHub, TEST_JWT_SECRET } from './support/hub';

/**
 * Months: a trail with three closed months (events dated in them by a superuser with the
 * triggers off, as a migrated trail or the bench fill has them) and the current, open one.
 * The sealer closes each ended month with a signed seal; `auditIntegrity` walks the open
 * month and, in turn, one closed month per call, the others checked from their seals; a
 * changed event in a closed month is found and named with its month, by the bounded check
 * when that month's turn comes and by `hub audit verify` at once.
 */
const signingKeyPem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const key = signingKeyFromText(signingKeyPem);

let db: ScratchDb;
let hub: HubServer;
let su: Client;
let auditor: StaffFixture;
const months: string[] = []; // the three closed months, oldest first

function monthsAgo(k: number): string {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - k);
  return d.toISOString().slice(0, 7);
}

const INTEGRITY = `{ auditIntegrity { verified eventsChecked problemCount firstBadEvent { kind eventId position month detail }
  months { month sealed sealValid firstPosition lastPosition events walked intact } } }`;

beforeAll(async () => {
  db = await createScratchDb('audit_months');
  hub = await startHub({ DATABASE_URL: db.url, HUB_AUDIT_SEAL_INTERVAL_MS: '0', HUB_AUDIT_SIGNING_KEY: signingKeyPem });
  const user = await makeSectorUser(hub.db.orm, 'SOCIAL');
  auditor = await makeSectorUser(hub.db.orm, 'OVERSIGHT', ['AUDITOR']);
  const r = await makeReturnee(hub.db.orm, user.agency);
  for (let i = 0; i < 3; i++) await gql(hub, user.token, 'query($id: ID!) { returnee(id: $id) { id givenName } }', { id: r.id });
  su = new Client({ connectionString: db.url });
  await su.connect();
  months.push(monthsAgo(3), monthsAgo(2), monthsAgo(1));
  await su.query('select hub_audit_ensure_partitions(0, $1::date)', [`${months[0]}-01`]);
  await su.query('set session_replication_role = replica');
  for (const [i, month] of months.entries()) {
    await su.query(
      `insert into audit_event (occurred_at, request_id, staff_id, agency_id, action, entity_type, entity_id, returnee_id, fields, denied_fields, outcome)
       select $1::timestamptz + g * interval '1 hour', gen_random_uuid(), $2, $3, 'READ', 'Returnee', $4::text, $4::uuid, '{id,givenName}', '{}', 'SUCCESS'
       from generate_series(1, $5::int) g order by g`,
      [`${month}-02T00:00:00Z`, user.staff.id, user.agency.id, r.id, 5 + i],
    );
  }
  await su.query('set session_replication_role = origin');
  // The first pass chains them and takes a mark; once it has settled, the next pass closes the
  // ended months. Settled means no transaction older than the mark is still open anywhere in the
  // cluster (xids are cluster-wide): another suite's transaction in its own database can hold it
  // back for a moment, so pass again, as the hub's timer would, until the months are closed.
  await sealAll(hub.runtime.audit.knex, { wait: true, key });
  for (const deadline = Date.now() + 30_000; ;) {
    await sealAll(hub.runtime.audit.knex, { wait: true, key });
    if ((await listMonthSeals(hub.runtime.audit.knex)).length >= months.length || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 200));
  }
}, 60_000);

afterAll(async () => {
  await su?.end();
  await hub?.stop();
  await db?.drop();
});

it('closes every ended month with a signed seal chained to the one before, and leaves the current month open', async () => {
  const seals = await listMonthSeals(hub.runtime.audit.knex);
  expect(seals.map((s) => s.month)).toEqual(months);
  expect(seals.map((s) => Number(s.eventCount))).toEqual([5, 6, 7]);
  for (const [i, s] of seals.entries()) {
    expect(Number(s.lastPosition) - Number(s.firstPosition) + 1).toBe(Number(s.eventCount));
    expect(s.previousSealHash).toBe(i === 0 ? '0'.repeat(64) : seals[i - 1].sealHash);
    expect(monthSealMessage(s).toString()).toContain(`month ${s.month}\n`);
  }
  const [{ hash }] = await db.query(`select encode(hash, 'hex') as hash from audit_chain where position = $1`, [seals[2].lastPosition]);
  expect(hash).toBe(seals[2].rootHash);
  // Sealing again closes nothing twice.
  await sealAll(hub.runtime.audit.knex, { wait: true, key });
  expect((await listMonthSeals(hub.runtime.audit.knex)).length).toBe(3);
});

it('answers auditIntegrity from the seals and the open month, walking one closed month per call in turn', async () => {
  const [{ n }] = await db.query('select count(*)::int as n from audit_event');
  const walkedInTurn: string[] = [];
  for (let call = 0; call < 3; call++) {
    const res = await gql(hub, auditor.token, INTEGRITY);
    expect(res.errors).toBeUndefined();
    const integrity = res.data.auditIntegrity;
    expect(integrity).toMatchObject({ verified: true, problemCount: 0, firstBadEvent: null });
    expect(integrity.eventsChecked).toBeLessThan(n); // bounded: not every event is walked
    const closed = integrity.months.filter((m: { sealed: boolean }) => m.sealed);
    expect(closed.map((m: { month: string }) => m.month)).toEqual(months);
    expect(closed.every((m: { sealValid: boolean; intact: boolean }) => m.sealValid && m.intact)).toBe(true);
    const walked = closed.filter((m: { walked: boolean }) => m.walked).map((m: { month: string }) => m.month);
    expect(walked).toHaveLength(1);
    walkedInTurn.push(walked[0]);
    expect(integrity.months.find((m: { sealed: boolean }) => !m.sealed)).toMatchObject({ walked: true, intact: true });
  }
  expect(walkedInTurn).toEqual(months);
});

it('finds a changed event in a closed month and names the month and the event', async () => {
  const { from, to } = { from: `${months[1]}-01T00:00:00Z`, to: `${months[2]}-01T00:00:00Z` };
  const [target] = await db.query(
    `select c.event_id::text as id, c.position::text as position from audit_chain c
     where c.occurred_at >= $1 and c.occurred_at < $2 order by c.position offset 2 limit 1`,
    [from, to],
  );
  const tamper = async (purpose: string | null) => {
    await su.query('set session_replication_role = replica');
    await su.query('update audit_event set purpose = $1 where id = $2', [purpose, target.id]);
    await su.query('set session_replication_role = origin');
  };
  await tamper('nothing to see');
  try {
    const expected = { kind: 'HASH_MISMATCH', eventId: target.id, position: target.position, month: months[1] };
    // The full walk finds it at once.
    const full = await verifyTrail(hub.runtime.audit.knex, { trustedKeys: hub.runtime.audit.trustedKeys, graceMs: 60_000 });
    expect(full.firstProblem).toMatchObject(expected);
    const cli = await hubCli(['audit', 'verify', '--no-external']);
    expect(cli.code).toBe(1);
    expect(cli.out).toContain(`HASH_MISMATCH (event ${target.id}, position ${target.position})`);
    expect(cli.out).toContain(`[month ${months[1]}]`);
    // The bounded check finds it when the month's turn comes (within one round of the closed months).
    let found: { firstBadEvent: Record<string, string> | null; months: { month: string; walked: boolean; intact: boolean }[] } | undefined;
    for (let call = 0; call < months.length && !found?.firstBadEvent; call++) {
      found = (await gql(hub, auditor.token, INTEGRITY)).data.auditIntegrity;
    }
    expect(found?.firstBadEvent).toMatchObject(expected);
    expect(found?.months.find((m) => m.month === months[1])).toMatchObject({ walked: true, intact: false });
  } finally {
    await tamper(null);
  }
  const again = await verifyTrail(hub.runtime.audit.knex, { trustedKeys: hub.runtime.audit.trustedKeys, graceMs: 60_000 });
  expect(again.problems).toEqual([]);
});

it('reports a month seal that no longer matches its month (a link of it deleted with the chain rewritten around it)', async () => {
  const seals = await listMonthSeals(hub.runtime.audit.knex);
  const first = seals[0];
  const [link] = await db.query('select position, event_id, hash, occurred_at from audit_chain where position = $1', [first.lastPosition]);
  await su.query('set session_replication_role = replica');
  await su.query('delete from audit_chain where position = $1', [first.lastPosition]);
  await su.query('set session_replication_role = origin');
  try {
    const report = await verifyTrail(hub.runtime.audit.knex, {
      trustedKeys: hub.runtime.audit.trustedKeys,
      graceMs: 60_000,
      bounded: { closedMonths: [] },
    });
    expect(report.problems).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'MONTH_SEAL', month: first.month })]));
  } finally {
    await su.query('insert into audit_chain (position, event_id, hash, occurred_at) values ($1, $2, $3, $4)', [
      link.position,
      link.event_id,
      link.hash,
      link.occurred_at,
    ]);
  }
  expect((await verifyTrail(hub.runtime.audit.knex, { trustedKeys: hub.runtime.audit.trustedKeys, graceMs: 60_000 })).problems).toEqual([]);
});

/** `hub audit …` as the operator runs it (in-process: the same code, without spawning node). */
async function hubCli(args: string[]): Promise<{ code: number; out: string }> {
  const saved = { ...process.env };
  process.env = {
    ...saved,
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    HUB_JWT_SECRET: TEST_JWT_SECRET,
    HUB_AUDIT_SIGNING_KEY: signingKeyPem,
    LOG_LEVEL: 'silent',
  };
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

it('counts totalCount exactly up to 10,000 and then says "at least", whatever the size of the trail', async () => {
  const q = `query($f: AuditEventFilter) { auditEvents(filter: $f, first: 1) { totalCount totalCountCapped } }`;
  const small = await gql(hub, auditor.token, q, { f: { staffId: auditor.staff.id } });
  expect(small.data.auditEvents).toMatchObject({ totalCountCapped: false });
  expect(small.data.auditEvents.totalCount).toBeGreaterThan(0);
  // The hub's own events (no agency, no returnee) are visible to every auditor.
  await su.query(`insert into audit_event (request_id, action, entity_type, fields, denied_fields, outcome)
    select gen_random_uuid(), 'READ', 'CountProbe', '{}', '{}', 'SUCCESS' from generate_series(1, 10001)`);
  const big = await gql(hub, auditor.token, q);
  expect(big.data.auditEvents).toEqual({ totalCount: 10_000, totalCountCapped: true });
  const narrow = await gql(hub, auditor.token, q, { f: { staffId: auditor.staff.id } });
  expect(narrow.data.auditEvents.totalCountCapped).toBe(false);
});
