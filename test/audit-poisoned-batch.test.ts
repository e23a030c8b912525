import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import pino from 'pino';
import { AuditRecorder, type AuditEntry } from '../src/trail/audit-recorder';
import { migrate, openOrm } from '../src/db/orm';
import type { HubServer } from '../src/server';
import { createScratchDb } from './support/audit-scratch-db';
import { makeReturnee, makeSectorUser, type StaffFixture } from './support/factories';
import { gql, sqlClient, startHub, testDatabaseUrl } from './support/hub';

/**
 * Defect 1 of the outside review: one request could fail everyone's reads and leave no audit
 * row. A refusal stored the requested id cut to 64 UTF-16 units, so 63 ASCII characters and an
 * emoji were cut inside the surrogate pair; the shared group-commit batch was then invalid JSON
 * for PostgreSQL, its INSERT failed, every read in the batch failed closed with
 * INTERNAL_SERVER_ERROR and the attacker's DENY event was lost.
 */
const POISON = `${'a'.repeat(63)}😀`;
const HONEST = 12;
const HOSTILE = 6;
const ROUNDS = 4;

let orm: MikroORM;

beforeAll(async () => {
  orm = await openOrm(testDatabaseUrl(), { pool: { min: 0, max: 4 } });
});

afterAll(async () => {
  await orm?.close(true);
});

async function rowsOfRequests(
  requestIds: string[],
): Promise<{ request_id: string; action: string; outcome: string; entity_id: string | null; reason: string | null }[]> {
  const client = await sqlClient();
  try {
    const { rows } = await client.query(
      'select request_id, action, outcome, entity_id, reason from audit_event where request_id = any($1::uuid[]) order by id',
      [requestIds],
    );
    return rows;
  } finally {
    await client.end();
  }
}

describe('the recorder, given events that share one group-commit batch', () => {
  it('stores honest and hostile events of the same batch; a hostile id is kept as clean text, cut by code point', async () => {
    const recorder = new AuditRecorder(orm.em.fork(), pino({ level: 'silent' }));
    const honest = Array.from({ length: 4 }, () => randomUUID());
    const hostile = randomUUID();
    const entry = (entityId: string): AuditEntry => ({
      action: 'DENY',
      entityType: 'AuditEvent',
      entityId,
      outcome: 'DENIED',
      reason: 'FORBIDDEN',
      operation: 'disclosureReport',
    });
    // Queued in one tick: they are one batch, one INSERT.
    const results = await Promise.allSettled([
      ...honest.map((requestId) =>
        recorder.durably({ requestId }, [
          {
            action: 'READ',
            entityType: 'Returnee',
            returneeId: randomUUID(),
            fields: ['givenName'],
            outcome: 'SUCCESS',
            operation: 'returnee',
          },
        ]),
      ),
      recorder.durably({ requestId: hostile, purpose: `p\u0000\ud800${'é'.repeat(300)}` }, [
        entry(POISON),
        entry('\ud83d'),
        entry(`x\u0000y\u001b[31m\ud800`),
      ]),
    ]);
    expect(results.map((r) => r.status)).toEqual(Array(5).fill('fulfilled'));
    const rows = await rowsOfRequests([...honest, hostile]);
    expect(new Set(rows.map((r) => r.request_id))).toEqual(new Set([...honest, hostile]));
    const stored = rows.filter((r) => r.request_id === hostile);
    // 63 + 1 code points fit the 64-character column whole; the rest lose only what cannot be stored.
    expect(stored.map((r) => r.entity_id)).toEqual([POISON, '', 'xy[31m']);
    expect(stored.every((r) => r.action === 'DENY' && r.outcome === 'DENIED')).toBe(true);
  });

  it("fails only the request whose rows the database refuses, and stores everyone else's", async () => {
    // A poison the sanitiser cannot know about: a constraint this scratch database adds (as a
    // future migration might). The recorder must isolate it, whatever it is.
    const db = await createScratchDb('audit_poison');
    const scratch = await openOrm(db.url, { pool: { min: 0, max: 2 } });
    try {
      await migrate(scratch);
      await db.query(`alter table audit_event add constraint no_poison check (entity_id is distinct from 'poison')`);
      const recorder = new AuditRecorder(scratch.em.fork(), pino({ level: 'silent' }));
      const honest = Array.from({ length: 4 }, () => randomUUID());
      const poisoned = randomUUID();
      const results = await Promise.allSettled([
        ...honest.map((requestId) =>
          recorder.durably({ requestId }, [
            { action: 'READ', entityType: 'Agency', entityId: randomUUID(), outcome: 'SUCCESS', operation: 'agencies' },
          ]),
        ),
        recorder.durably({ requestId: poisoned }, [
          { action: 'DENY', entityType: 'Agency', entityId: 'poison', outcome: 'DENIED', operation: 'agencies' },
        ]),
      ]);
      expect(results.map((r) => r.status)).toEqual([...Array(4).fill('fulfilled'), 'rejected']);
      const rows = await db.query<{ request_id: string }>('select request_id from audit_event where request_id = any($1::uuid[])', [
        [...honest, poisoned],
      ]);
      expect(rows.map((r) => r.request_id).sort()).toEqual([...honest].sort());
    } finally {
      await scratch.close(true);
      await db.drop();
    }
  }, 60_000);
});

describe('63 ASCII characters and an emoji as an id, sent while other people read', () => {
  let hub: HubServer;
  let readers: StaffFixture[];
  let attacker: StaffFixture;
  let returneeIds: string[];

  beforeAll(async () => {
    // A batch delay makes concurrent requests share group-commit batches, as under load.
    hub = await startHub({ HUB_AUDIT_BATCH_DELAY_MS: '100' });
    readers = [await makeSectorUser(orm, 'SOCIAL'), await makeSectorUser(orm, 'SOCIAL'), await makeSectorUser(orm, 'NGO')];
    attacker = await makeSectorUser(orm, 'EDUCATION');
    returneeIds = [];
    for (const r of readers) returneeIds.push((await makeReturnee(orm, r.agency)).id);
  }, 60_000);

  afterAll(async () => {
    await hub?.stop();
  });

  const read = (i: number) =>
    gql(hub, readers[i % readers.length].token, 'query($id: ID!) { returnee(id: $id) { id givenName } }', {
      id: returneeIds[i % readers.length],
    });
  const attack = (i: number) =>
    gql(
      hub,
      attacker.token,
      i % 2 === 0 ? 'query($id: ID!) { disclosureReport(returneeId: $id) { eventCount } }' : 'query($id: ID!) { returnee(id: $id) { id } }',
      { id: POISON },
    );

  it("fails none of the honest reads and stores the attacker's refusals", async () => {
    // Warm (abilities, statements) so that the requests of a round reach the recorder together.
    await Promise.all([read(0), read(1), read(2), attack(0), attack(1)]);
    const h: Awaited<ReturnType<typeof read>>[] = [];
    const x: Awaited<ReturnType<typeof read>>[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const [honest, hostile] = await Promise.all([
        Promise.all(Array.from({ length: HONEST }, (_, i) => read(i))),
        Promise.all(Array.from({ length: HOSTILE }, (_, i) => attack(i))),
      ]);
      h.push(...honest);
      x.push(...hostile);
    }

    expect(h.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK')).toEqual(Array(HONEST * ROUNDS).fill('OK'));
    h.forEach((r, i) => expect(r.data.returnee.id).toBe(returneeIds[(i % HONEST) % readers.length]));

    const codes = x.map((r) => r.errors?.[0]?.extensions?.code);
    expect(codes.filter((c) => c === undefined || c === 'INTERNAL_SERVER_ERROR')).toEqual([]);
    const requestIds = x.map((r) => r.headers.get('x-request-id')!);
    const rows = await rowsOfRequests(requestIds);
    // Every refused request left its own refusal event, under its own request id.
    for (const id of requestIds) {
      const own = rows.filter((r) => r.request_id === id);
      expect(own.length).toBeGreaterThan(0);
      expect(own.every((r) => r.outcome !== 'SUCCESS')).toBe(true);
    }
    // The id is named as sent (63 + 1 code points fit the column whole), refused as invalid
    // input before it reached any authorization or lookup.
    expect(rows.map((r) => [r.action, r.outcome, r.entity_id, r.reason])).toEqual(
      rows.map(() => ['DENY', 'INVALID', POISON, 'BAD_USER_INPUT']),
    );
  });
});
