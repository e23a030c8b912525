import type { Returnee } from '../src/returnee/returnee.entity';
import type { HubServer } from '../src/server';
import { auditRowsFor } from './support/audit';
import { giveConsent, grantAccess, makeReturnee, makeSectorUser, makeStaff, type StaffFixture } from './support/factories';
import { errorCode, gql, sqlClient, startHub } from './support/hub';
import { WebhookReceiver } from './support/webhook-receiver';
import { fillAllStalePairs } from '../src/dedup/pair-store';
import { fillAllStaleKeys } from '../src/dedup/name-key-store';
import { FAST_WEBHOOKS, subscribe } from './support/webhooks';
import { unrelatedFamilyName } from './support/family-names';

/**
 * potentialDuplicates, markNotDuplicate / reopenDuplicatePair and the record.merged webhook over
 * HTTP: pairs only when both records are in the caller's scope (and their identity readable),
 * nothing about out-of-scope records in edges, cursors, page flags or audit rows; who may
 * decide (DENY / NOT_FOUND rows); merged records and decided pairs left out; a merge announced
 * to the agencies that see the survivor only.
 */
const LIST = `query($first: Int, $after: String, $min: Float) { potentialDuplicates(first: $first, after: $after, minScore: $min) {
  complete pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  edges { cursor node { score reasons { code fields } recordA { id givenName } recordB { id familyName } } } } }`;
const MARK = `mutation($a: ID!, $b: ID!, $note: String) { markNotDuplicate(aId: $a, bId: $b, note: $note) {
  notDuplicate decidedAt recordA { id } recordB { id } } }`;
const REOPEN = `mutation($a: ID!, $b: ID!) { reopenDuplicatePair(aId: $a, bId: $b) { notDuplicate recordA { id } recordB { id } } }`;
const MERGE = `mutation($input: MergeReturneesInput!) { mergeReturnees(input: $input) { mergeId survivor { id } } }`;

interface Edge {
  cursor: string;
  node: { score: number; reasons: { code: string; fields: string[] }[]; recordA: { id: string }; recordB: { id: string } };
}

let hub: HubServer;
const receivers: WebhookReceiver[] = [];
beforeAll(async () => {
  hub = await startHub(FAST_WEBHOOKS);
});
afterAll(async () => {
  for (const r of receivers) await r.close();
  await hub.stop();
});

/** A family name nobody else in the test database has (letters only), so pairs are the test's own. */
const uniqueFamily = unrelatedFamilyName;

/** Two records of one person in `agency` (Cyrillic-free variants of one name) and one unrelated record. */
async function people(sup: StaffFixture, family = uniqueFamily()) {
  const orm = hub.db.orm;
  const a = await makeReturnee(orm, sup.agency, { givenName: 'Aigerim', familyName: family, dateOfBirth: '1994-03-12' });
  const b = await makeReturnee(orm, sup.agency, { givenName: 'Ayğerim', familyName: family, dateOfBirth: '1994-03-12' });
  const other = await makeReturnee(orm, sup.agency, {
    givenName: 'Bakhyt',
    familyName: uniqueFamily(),
    sex: 'MALE',
    dateOfBirth: '1971-08-02',
  });
  return { a, b, other, family };
}

const pairOf = (x: string, y: string) => [x, y].sort().join('|');
const pairsIn = (edges: Edge[]) => edges.map((e) => pairOf(e.node.recordA.id, e.node.recordB.id));

async function list(token: string, vars: Record<string, unknown> = {}) {
  const res = await gql(hub, token, LIST, { first: 50, ...vars });
  expect(res.errors).toBeUndefined();
  return res.data.potentialDuplicates as { complete: boolean; pageInfo: Record<string, unknown>; edges: Edge[] };
}

async function sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = await sqlClient();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('potentialDuplicates', () => {
  it('lists a pair of records in scope with score and reasons, audits each record shown, and never an out-of-scope record', async () => {
    const orm = hub.db.orm;
    const sup = await makeSectorUser(orm, 'SOCIAL', ['SUPERVISOR']);
    const { a, b, other, family } = await people(sup);
    // The same person at another agency: a pair with each of ours, outside the supervisor's scope.
    const elsewhere = await makeSectorUser(orm, 'NGO', ['SUPERVISOR']);
    const held = await makeReturnee(orm, elsewhere.agency, { givenName: 'Айгерим', familyName: family, dateOfBirth: '1994-03-12' });
    // Other suites share this database and keep adding records, so the listing's own bounded fill
    // (200 stale records) may not reach these: compute every stale key and pair first, as the
    // background task would. `complete` then depends on what the other suites add meanwhile.
    const knex = orm.em.getConnection().getKnex();
    await fillAllStaleKeys(knex);
    await fillAllStalePairs(knex);
    const page = await list(sup.token);
    expect(pairsIn(page.edges)).toEqual([pairOf(a.id, b.id)]);
    const [edge] = page.edges;
    expect(edge.node.score).toBeGreaterThan(0.9);
    expect(edge.node.reasons.map((r) => r.code)).toEqual(
      expect.arrayContaining(['GIVEN_NAME_EQUAL', 'FAMILY_NAME_EQUAL', 'DATE_OF_BIRTH_EQUAL']),
    );
    expect(JSON.stringify(page)).not.toContain(held.id);
    expect(JSON.stringify(page)).not.toContain(other.id);
    const rows = await auditRowsFor(sup.staff.id);
    const reads = rows.filter((r) => r.action === 'READ' && r.operation === 'potentialDuplicates');
    expect(reads.map((r) => r.returnee_id).sort()).toEqual([a.id, b.id].sort());
    for (const r of reads) expect(r.fields).toEqual(expect.arrayContaining(['id', 'givenName', 'familyName', 'dateOfBirth', 'sex']));
    expect(rows.some((r) => r.returnee_id === held.id || r.entity_id === held.id)).toBe(false);
    // The other agency sees none of ours: its record has no twin in its scope.
    expect(pairsIn((await list(elsewhere.token)).edges)).toEqual([]);
    // Once the holder shares its record with us (case access), its pairs with ours are listed.
    await grantAccess(orm, held as unknown as Returnee, sup.agency);
    const after = await list(sup.token);
    expect(pairsIn(after.edges).sort()).toEqual([pairOf(a.id, b.id), pairOf(a.id, held.id), pairOf(b.id, held.id)].sort());
  });

  it('pages with sealed cursors, and out-of-scope pairs change neither pages, flags nor order', async () => {
    const orm = hub.db.orm;
    const sup = await makeSectorUser(orm, 'SOCIAL', ['SUPERVISOR']);
    const families = [uniqueFamily(), uniqueFamily(), uniqueFamily()];
    for (const f of families) await people(sup, f);
    const walk = async () => {
      const seen: { pairs: string[]; flags: unknown[] }[] = [];
      let after: string | null = null;
      do {
        const page = await list(sup.token, { first: 1, after });
        seen.push({ pairs: pairsIn(page.edges), flags: [page.edges.length, page.pageInfo.hasPreviousPage, page.pageInfo.hasNextPage] });
        expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
        after = page.pageInfo.hasNextPage ? (page.pageInfo.endCursor as string) : null;
      } while (after && seen.length < 10);
      return seen;
    };
    const before = await walk();
    expect(before.flatMap((p) => p.pairs)).toHaveLength(3);
    expect(before.map((p) => p.flags)).toEqual([
      [1, false, true],
      [1, true, true],
      [1, true, false],
    ]);
    // Another agency registers twins of every one of them, scoring higher (same spelling, same date).
    const other = await makeSectorUser(orm, 'NGO', ['SUPERVISOR']);
    for (const f of families) {
      await makeReturnee(orm, other.agency, { givenName: 'Aigerim', familyName: f, dateOfBirth: '1994-03-12' });
      await makeReturnee(orm, other.agency, { givenName: 'Aigerim', familyName: f, dateOfBirth: '1994-03-12' });
    }
    expect(await walk()).toEqual(before);
    // A cursor is the caller's own: another supervisor's use of it is refused.
    const first = await list(sup.token, { first: 1 });
    const res = await gql(hub, other.token, LIST, { first: 1, after: first.pageInfo.endCursor });
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
  });

  it('lists a pair only where the caller reads identity on both records (consent, for a health supervisor)', async () => {
    const orm = hub.db.orm;
    const social = await makeSectorUser(orm, 'SOCIAL', ['SUPERVISOR']);
    const { a, b } = await people(social);
    const health = await makeSectorUser(orm, 'HEALTH', ['SUPERVISOR']);
    await grantAccess(orm, a, health.agency);
    await grantAccess(orm, b, health.agency);
    expect(pairsIn((await list(health.token)).edges)).toEqual([]);
    await giveConsent(orm, a, social, ['HEALTH']);
    expect(pairsIn((await list(health.token)).edges)).toEqual([]);
    await giveConsent(orm, b, social, ['HEALTH']);
    expect(pairsIn((await list(health.token)).edges)).toEqual([pairOf(a.id, b.id)]);
  });

  it('is refused to caseworkers and to sectors that may not read names, with a DENY event', async () => {
    const orm = hub.db.orm;
    for (const [sector, roles] of [
      ['SOCIAL', ['CASEWORKER']],
      ['OVERSIGHT', ['AUDITOR']],
    ] as const) {
      const who = await makeSectorUser(orm, sector, [...roles]);
      const res = await gql(hub, who.token, LIST, {});
      expect(errorCode(res)).toBe('FORBIDDEN');
      const deny = (await auditRowsFor(who.staff.id)).filter((r) => r.action === 'DENY');
      expect(deny.map((r) => [r.entity_type, r.outcome])).toEqual([['DuplicatePair', 'DENIED']]);
    }
  });

  it('leaves out merged records, and recomputes a pair when a record changes', async () => {
    const orm = hub.db.orm;
    const sup = await makeSectorUser(orm, 'SOCIAL', ['SUPERVISOR']);
    const { a, b } = await people(sup);
    const c = await makeReturnee(orm, sup.agency, { givenName: 'Aigerim', familyName: a.familyName, dateOfBirth: '1994-03-12' });
    expect((await list(sup.token)).edges).toHaveLength(3);
    const merged = await gql(hub, sup.token, MERGE, {
      input: { survivorId: a.id, mergedId: c.id, expectedVersions: { survivor: a.version, merged: c.version } },
    });
    expect(merged.errors).toBeUndefined();
    expect(pairsIn((await list(sup.token)).edges)).toEqual([pairOf(a.id, b.id)]);
    // Born twenty years later: no longer a likely duplicate.
    await sql('update returnee set date_of_birth = $2 where id = $1', [b.id, '2014-03-12']);
    expect(pairsIn((await list(sup.token)).edges)).toEqual([]);
  });
});

describe('markNotDuplicate / reopenDuplicatePair', () => {
  it('takes a pair off the list and puts it back, audited on both records', async () => {
    const orm = hub.db.orm;
    const sup = await makeSectorUser(orm, 'SOCIAL', ['SUPERVISOR']);
    const { a, b } = await people(sup);
    const marked = await gql(hub, sup.token, MARK, { a: b.id, b: a.id, note: 'Sisters, checked by phone' });
    expect(marked.errors).toBeUndefined();
    const [low, high] = [a.id, b.id].sort();
    expect(marked.data.markNotDuplicate).toMatchObject({ notDuplicate: true, recordA: { id: low }, recordB: { id: high } });
    expect((await list(sup.token)).edges).toEqual([]);
    const [decision] = await sql<{ note: string; staff_id: string }>(
      'select note, staff_id from duplicate_decision where low_id = $1 and high_id = $2',
      [low, high],
    );
    expect(decision).toEqual({ note: 'Sisters, checked by phone', staff_id: sup.staff.id });
    const reopened = await gql(hub, sup.token, REOPEN, { a: a.id, b: b.id });
    expect(reopened.data.reopenDuplicatePair.notDuplicate).toBe(false);
    expect(pairsIn((await list(sup.token)).edges)).toEqual([pairOf(a.id, b.id)]);
    const events = (await auditRowsFor(sup.staff.id)).filter((r) => r.entity_type === 'DuplicateDecision');
    expect(events.map((r) => [r.action, r.returnee_id]).sort()).toEqual(
      [
        ['CREATE', low],
        ['CREATE', high],
        ['DELETE', low],
        ['DELETE', high],
      ].sort(),
    );
  });

  it('is FORBIDDEN (DENY) for a caseworker and NOT_FOUND for a record out of update scope, nothing written', async () => {
    const orm = hub.db.orm;
    const sup = await makeSectorUser(orm, 'SOCIAL', ['SUPERVISOR']);
    const { a, b } = await people(sup);
    const worker = await makeStaff(orm, sup.agency, ['CASEWORKER']);
    expect(errorCode(await gql(hub, worker.token, MARK, { a: a.id, b: b.id }))).toBe('FORBIDDEN');
    expect((await auditRowsFor(worker.staff.id)).map((r) => [r.action, r.entity_type])).toEqual([['DENY', 'DuplicateDecision']]);
    const outsider = await makeSectorUser(orm, 'NGO', ['SUPERVISOR']);
    const own = await makeReturnee(orm, outsider.agency, { familyName: a.familyName });
    const res = await gql(hub, outsider.token, MARK, { a: own.id, b: a.id });
    expect(errorCode(res)).toBe('NOT_FOUND');
    const missing = await gql(hub, outsider.token, MARK, { a: own.id, b: '00000000-0000-4000-8000-000000000000' });
    expect(res.errors![0].message.replace(a.id, 'X')).toBe(missing.errors![0].message.replace('00000000-0000-4000-8000-000000000000', 'X'));
    const rows = await auditRowsFor(outsider.staff.id);
    expect(rows.filter((r) => r.outcome === 'NOT_FOUND').map((r) => r.returnee_id)).toEqual([a.id, '00000000-0000-4000-8000-000000000000']);
    expect(await sql('select 1 from duplicate_decision where low_id = any($1) or high_id = any($1)', [[a.id, own.id]])).toEqual([]);
    expect(pairsIn((await list(sup.token)).edges)).toEqual([pairOf(a.id, b.id)]);
  });
});

describe('record.merged webhook', () => {
  it('is delivered, ids only, to agencies that see the survivor and to no other', async () => {
    const orm = hub.db.orm;
    const sup = await makeSectorUser(orm, 'SOCIAL', ['SUPERVISOR']);
    const { a, b } = await people(sup);
    const partner = await makeSectorUser(orm, 'NGO', ['SUPERVISOR']);
    await grantAccess(orm, a, partner.agency);
    const stranger = await makeSectorUser(orm, 'NGO', ['SUPERVISOR']);
    const hooks = {
      sup: await new WebhookReceiver().open(),
      partner: await new WebhookReceiver().open(),
      stranger: await new WebhookReceiver().open(),
    };
    receivers.push(...Object.values(hooks));
    await subscribe(hub, sup.token, hooks.sup.url, ['RECORD_MERGED', 'RECORD_UNMERGED']);
    await subscribe(hub, partner.token, hooks.partner.url, ['RECORD_MERGED']);
    await subscribe(hub, stranger.token, hooks.stranger.url, ['RECORD_MERGED']);
    const res = await gql(hub, sup.token, MERGE, {
      input: { survivorId: a.id, mergedId: b.id, expectedVersions: { survivor: a.version, merged: b.version } },
    });
    expect(res.errors).toBeUndefined();
    const deadline = Date.now() + 10_000;
    while ((hooks.sup.received.length < 1 || hooks.partner.received.length < 1) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    for (const r of [hooks.sup, hooks.partner]) {
      expect(r.received).toHaveLength(1);
      const body = JSON.parse(r.received[0].body);
      expect(body.type).toBe('record.merged');
      expect(body.data).toMatchObject({ version: 1, returneeId: a.id, subject: { type: 'Returnee', id: b.id } });
      expect(Object.keys(body.data).sort()).toEqual(['eventId', 'link', 'returneeId', 'subject', 'version']);
      expect(r.received[0].body).not.toContain(a.familyName);
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(hooks.stranger.received).toEqual([]);
    // Undone: record.unmerged to the survivor's agencies that asked for it.
    const undo = await gql(hub, sup.token, `mutation($id: ID!) { unmergeReturnees(mergeId: $id) { survivor { id } } }`, {
      id: res.data.mergeReturnees.mergeId,
    });
    expect(undo.errors).toBeUndefined();
    while (hooks.sup.received.length < 2 && Date.now() < deadline + 5_000) await new Promise((r) => setTimeout(r, 50));
    expect(JSON.parse(hooks.sup.received[1].body)).toMatchObject({
      type: 'record.unmerged',
      data: { returneeId: a.id, subject: { id: b.id } },
    });
  });

  it('is not written when the merge is refused (one transaction)', async () => {
    const orm = hub.db.orm;
    const sup = await makeSectorUser(orm, 'SOCIAL', ['SUPERVISOR']);
    const { a, b } = await people(sup);
    const receiver = await new WebhookReceiver().open();
    receivers.push(receiver);
    await subscribe(hub, sup.token, receiver.url, ['RECORD_MERGED']);
    const res = await gql(hub, sup.token, MERGE, {
      input: { survivorId: a.id, mergedId: b.id, expectedVersions: { survivor: a.version + 5, merged: b.version } },
    });
    expect(errorCode(res)).toBe('CONFLICT');
    expect(await sql(`select 1 from webhook_event where type = 'record.merged' and returnee_id = $1`, [a.id])).toEqual([]);
  });
});
