import { generateKeyPairSync } from 'node:crypto';
import { canonicalEvent, EVENT_COLUMNS_SQL, GENESIS_HASH, linkHash, type CanonicalEventRow } from '../src/trail/audit-canonical';
import { canonicalInto, MAX_GROWTH, SEAL_COLUMNS } from '../src/trail/audit-seal-bytes';
import { sealAll } from '../src/trail/audit-sealer';
import { BULK_READ, copyOut } from '../src/trail/copy-out';
import { signingKeyFromText } from '../src/trail/audit-signing-key';
import { verifyTrail } from '../src/trail/audit-verifier';
import type { HubServer } from '../src/server';
import { createScratchDb, type ScratchDb } from './support/audit-scratch-db';
import { startHub } from './support/hub';

/**
 * The sealer hashes the canonical form PostgreSQL renders (audit-seal-read.ts); every verifier
 * rebuilds it with `canonicalEvent`. Events with every kind of value JSON escapes (quotes,
 * backslashes, each control character, DEL, non-ASCII, an emoji), in the text columns, the
 * arrays and the basis, and with the later columns set or not, are sealed in several batches
 * (a small batch size), and each link must equal `linkHash` over the row as `canonicalEvent`
 * reads it, and the trail verify intact.
 */
const signingKeyPem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const key = signingKeyFromText(signingKeyPem);

let db: ScratchDb;
let hub: HubServer;

beforeAll(async () => {
  db = await createScratchDb('audit_seal_read');
  hub = await startHub({ DATABASE_URL: db.url, HUB_AUDIT_SEAL_INTERVAL_MS: '0', HUB_AUDIT_SIGNING_KEY: signingKeyPem });
});

afterAll(async () => {
  await hub?.stop();
  await db?.drop();
});

const controls = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).slice(1); // NUL is no text in PostgreSQL
const hostile = [
  'plain',
  'a "quoted" \\ back\\slash',
  controls.join(''),
  'tab\tnew\nline\rcr\vvt\bbs\fff',
  'del\x7f é ü 中文 😀',
  '',
  '\\N',
];

it('seals hostile values exactly as canonicalEvent renders them', async () => {
  for (const [i, text] of hostile.entries()) {
    await db.query(
      `insert into audit_event (request_id, action, entity_type, entity_id, fields, denied_fields, purpose, operation, outcome, reason,
         correlation_id, basis, basis_keys)
       values (gen_random_uuid(), 'READ', 'Returnee', $1, $2, $3, $1, $1, 'SUCCESS', $1, $4, $5, $6)`,
      [
        text,
        [text, 'x'],
        i % 2 === 0 ? [] : [text],
        i % 3 === 0 ? null : text,
        i % 2 === 0 ? null : JSON.stringify({ note: text, ids: [text] }),
        i % 2 === 0 ? null : [text, 'k'],
      ],
    );
  }
  const before = Number((await db.query('select count(*)::int as n from audit_chain'))[0].n);
  await sealAll(hub.runtime.audit.knex, { batch: 3 });
  await sealAll(hub.runtime.audit.knex, { batch: 3 });
  const links = (await db.query(
    `select c.position::text as position, c.hash, ${EVENT_COLUMNS_SQL}
     from audit_chain c join audit_event e on e.id = c.event_id and e.occurred_at = c.occurred_at order by c.position`,
  )) as unknown as ({ position: string; hash: Buffer } & CanonicalEventRow)[];
  expect(links.length).toBeGreaterThanOrEqual(before + hostile.length);
  let previous: Buffer = GENESIS_HASH;
  for (const link of links) {
    expect(link.hash.toString('hex')).toBe(linkHash(previous, BigInt(link.position), link).toString('hex'));
    previous = link.hash;
  }
  const mine = links.filter((l) => l.entity_type === 'Returnee' && hostile.includes(l.entity_id ?? 'none'));
  expect(mine.map((l) => l.entity_id)).toEqual(hostile);
  const report = await verifyTrail(hub.runtime.audit.knex, { trustedKeys: [key.publicKey], graceMs: 60_000 });
  expect(report).toMatchObject({ intact: true, problemCount: 0, pendingEvents: 0 });
});

it('writes every row in the byte form, byte for byte what canonicalEvent makes', async () => {
  const rows = (await db.query(`select ${EVENT_COLUMNS_SQL} from audit_event e order by e.id`)) as unknown as CanonicalEventRow[];
  const built: (string | null)[] = [];
  await copyOut(hub.runtime.audit.knex, BULK_READ, `copy (select ${SEAL_COLUMNS} from audit_event e order by e.id) to stdout`, (row) => {
    const out = Buffer.alloc(40 + row.length * MAX_GROWTH + 64);
    const end = canonicalInto(row, out, 40);
    built.push(end < 0 ? null : out.toString('utf8', 40, end));
  });
  expect(rows.filter((r) => hostile.includes(r.entity_id ?? 'none'))).toHaveLength(hostile.length);
  expect(built).toEqual(rows.map(canonicalEvent)); // no row left to the string form
});
