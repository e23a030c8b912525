import { generateKeyPairSync } from 'node:crypto';
import { Client } from 'pg';
import { LinkBytes } from '../src/trail/audit-link-bytes';
import { canonicalFromCopy, copyFields } from '../src/trail/audit-link-row';
import { sealAll } from '../src/trail/audit-sealer';
import { signingKeyFromText } from '../src/trail/audit-signing-key';
import { monthLinksCopySql } from '../src/trail/audit-stream-walk';
import { chainMonths, verifyTrail, type VerifyReport } from '../src/trail/audit-verifier';
import { BULK_READ, copyOut } from '../src/trail/copy-out';
import type { HubServer } from '../src/server';
import { createScratchDb, type ScratchDb } from './support/audit-scratch-db';
import { makeReturnee, makeSectorUser } from './support/factories';
import { gql, startHub } from './support/hub';

/**
 * Verification cut into ranges of positions walked in parallel (docs/audit.md, "Verification"),
 * and the canonical form built from COPY's bytes (audit-link-bytes.ts):
 *   - the byte form is the string form (`canonicalFromCopy`) on every link, including values
 *     that need JSON escapes, COPY escapes, fractions of a second of every length, and the
 *     columns added after v1 set, unset and set around a null;
 *   - whatever the range size, the report is the one of a month walked in one range: intact,
 *     and, with an event changed at the first link of a range, a link hash changed at the last
 *     link of a range, or a link deleted at a range boundary, the same problems at the same
 *     events (the first link of a range is checked against the last link of the range before).
 */
const signingKeyPem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const key = signingKeyFromText(signingKeyPem);
let db: ScratchDb;
let hub: HubServer;
let su: Client;

const verify = (rangeSize?: number, concurrency = 3): Promise<VerifyReport> =>
  verifyTrail(hub.runtime.audit.knex, { trustedKeys: [key.publicKey], graceMs: 60_000, rangeSize, concurrency });

/** The report without its timing: what must not depend on how the months were cut. */
const essence = ({ ms: _ms, ...rest }: VerifyReport) => rest;

/** The same report for every range size as for one range per month (the default here: far fewer links than a range). */
async function sameForEveryRangeSize(): Promise<VerifyReport> {
  const whole = await verify();
  for (const size of [1, 2, 3, 4, 7]) expect(essence(await verify(size))).toEqual(essence(whole));
  expect(essence(await verify(3, 1))).toEqual(essence(whole));
  return whole;
}

async function withoutTriggers(sql: string, params: unknown[] = []): Promise<void> {
  await su.query('set session_replication_role = replica');
  try {
    await su.query(sql, params);
  } finally {
    await su.query('set session_replication_role = origin');
  }
}

async function chained(position: number): Promise<{ id: string; hash: Buffer }> {
  const { rows } = await su.query('select event_id::text as id, hash from audit_chain where position = $1', [position]);
  return rows[0];
}

beforeAll(async () => {
  db = await createScratchDb('audit_ranges');
  hub = await startHub({ DATABASE_URL: db.url, HUB_AUDIT_SEAL_INTERVAL_MS: '0', HUB_AUDIT_SIGNING_KEY: signingKeyPem });
  const user = await makeSectorUser(hub.db.orm, 'SOCIAL');
  const r = await makeReturnee(hub.db.orm, user.agency);
  for (let i = 0; i < 6; i++) await gql(hub, user.token, 'query($id: ID!) { returnee(id: $id) { id givenName } }', { id: r.id });
  su = new Client({ connectionString: db.url });
  await su.connect();
  // Values the byte form must leave to the string form, or copy exactly: written as the owner, triggers off (dated by hand).
  const awkward: [string, string | null, string | null, string | null, string | null][] = [
    // [fraction of a second, reason, correlation_id, basis (jsonb), basis_keys]
    ['0', 'a "quoted" reason', null, null, null],
    ['0.5', 'back\\slash and tab\there', 'corr-1', null, null],
    ['0.12', 'line\nbreak, carriage\rreturn, bell\u0007', null, '{"kind": "consent", "note": "say \\"yes\\""}', '{consent}'],
    ['0.123456', 'accents é and emoji 🧭', 'corr-2', null, '{"a\\"b",c}'],
    ['0.000001', null, null, '{"kind": "case"}', null],
    ['0.1', 'plain', null, null, null],
  ];
  for (const [i, [fraction, reason, correlation, basis, keys]] of awkward.entries()) {
    await withoutTriggers(
      `insert into audit_event (occurred_at, request_id, staff_id, agency_id, action, entity_type, entity_id, returnee_id,
         fields, denied_fields, purpose, outcome, reason, correlation_id, basis, basis_keys)
       values (date_trunc('second', clock_timestamp()) - make_interval(secs => $1::int) + make_interval(secs => $2::float8),
         gen_random_uuid(), $3, $4, 'READ', 'Returnee', $5::text, $5::uuid, $6, '{}', $7, 'SUCCESS', $8, $9, $10::jsonb, $11::text[])`,
      [
        awkward.length - i,
        Number(fraction),
        user.staff.id,
        user.agency.id,
        r.id,
        ['id', 'given "Name"', 'back\\slash'],
        `Housing ${i}`,
        reason,
        correlation,
        basis,
        keys,
      ],
    );
  }
  for (let i = 0; i < 6; i++) await gql(hub, user.token, 'query($id: ID!) { returnee(id: $id) { id region } }', { id: r.id });
  await sealAll(hub.runtime.audit.knex, { wait: true, key });
  await sealAll(hub.runtime.audit.knex, { wait: true, key });
}, 120_000);

afterAll(async () => {
  await su?.end();
  await hub?.stop();
  await db?.drop();
});

it('builds from the bytes of every link exactly the canonical text the string form builds', async () => {
  const link = new LinkBytes();
  let rows = 0;
  const differing: string[] = [];
  for (const month of await chainMonths(hub.runtime.audit.knex)) {
    await copyOut(hub.runtime.audit.knex, BULK_READ, monthLinksCopySql(month), (chunk) => {
      link.read(chunk);
      const expected = canonicalFromCopy(copyFields(chunk));
      rows++;
      if (link.canonical() !== expected) differing.push(`${link.canonical()} <> ${expected}`);
    });
  }
  expect(differing).toEqual([]);
  expect(rows).toBeGreaterThan(15);
});

it('reports an intact trail the same whatever the range size', async () => {
  const report = await sameForEveryRangeSize();
  expect(report).toMatchObject({ intact: true, problemCount: 0 });
  expect(report.eventsChecked).toBeGreaterThan(15);
});

it('finds an event changed at the first link of a range, checked against the last link of the range before', async () => {
  // With one position a range every link opens a range; with more, position 9 opens one whenever the cut falls there.
  const target = await chained(9);
  const [{ purpose }] = await db.query('select purpose from audit_event where id = $1', [target.id]);
  await withoutTriggers(`update audit_event set purpose = 'changed' where id = $1`, [target.id]);
  try {
    const report = await sameForEveryRangeSize();
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'HASH_MISMATCH', position: '9', eventId: target.id })]);
  } finally {
    await withoutTriggers(`update audit_event set purpose = $2 where id = $1`, [target.id, purpose]);
  }
  expect((await verify(3)).intact).toBe(true);
});

it('finds a link hash changed at the last link of a range, and the link after it that no longer follows', async () => {
  const target = await chained(8);
  await withoutTriggers(`update audit_chain set hash = sha256(hash) where position = 8`);
  try {
    const report = await sameForEveryRangeSize();
    expect(report.problems.map((p) => [p.kind, p.position])).toEqual(
      expect.arrayContaining([
        ['HASH_MISMATCH', '8'],
        ['HASH_MISMATCH', '9'],
      ]),
    );
  } finally {
    await withoutTriggers(`update audit_chain set hash = $1 where position = 8`, [target.hash]);
  }
  expect((await verify(3)).intact).toBe(true);
});

it('finds a link deleted at a range boundary', async () => {
  await withoutTriggers('create temp table saved_link as select * from audit_chain where position = 13');
  await withoutTriggers('delete from audit_chain where position = 13');
  try {
    const report = await sameForEveryRangeSize();
    expect(report.intact).toBe(false);
    expect(report.problems.map((p) => p.kind)).toContain('POSITION_GAP');
    expect(report.problems.find((p) => p.kind === 'POSITION_GAP')?.position).toBe('14');
  } finally {
    await withoutTriggers('insert into audit_chain select * from saved_link');
  }
  expect((await verify(3)).intact).toBe(true);
});
