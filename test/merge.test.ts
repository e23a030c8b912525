import { randomUUID } from 'node:crypto';
import { childTablesOf } from '../src/merge/child-tables';
import type { HubServer } from '../src/server';
import { auditRowsFor } from './support/audit';
import { addAssessment, giveConsent, grantAccess, makeReturnee, makeSectorUser, makeStaff, type StaffFixture } from './support/factories';
import { errorCode, gql, sqlClient, startHub } from './support/hub';
import { fillSections, returneeRow, revisionsOf } from './support/section-factories';

/**
 * mergeReturnees / unmergeReturnees over HTTP: every child row moves (the tables come from the
 * ORM metadata, as the service's do) and comes back, history and audit on both ids, who may
 * merge, out-of-scope parity, consents kept where they were given, races.
 */
const MERGE = `mutation($input: MergeReturneesInput!) { mergeReturnees(input: $input) {
  mergeId fieldsTaken keptUnreadable keptWithMergedRecord { kind count } survivor { id version dateOfBirth household { id } } } }`;
const UNMERGE = `mutation($id: ID!) { unmergeReturnees(mergeId: $id) { survivor { id dateOfBirth } restored { id version } } }`;
const READ = `query($id: ID!) { returnee(id: $id) { id version givenName redactedFields } }`;

let hub: HubServer;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(() => hub.stop());

async function query<T>(text: string, params: unknown[]): Promise<T[]> {
  const client = await sqlClient();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Ids of the rows of every table a merge moves, per entity, belonging to `returneeId`. */
async function childIds(returneeId: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of childTablesOf(hub.db.orm.getMetadata())) {
    if (t.handling === 'DERIVED') continue;
    const rows = await query<{ id: string }>(`select id from ${t.table} where ${t.column} = $1 order by id`, [returneeId]);
    out[t.entity] = rows.map((r) => r.id);
  }
  return out;
}

/**
 * `probe` run while another connection holds the row `id` of `table` locked (another agency's
 * write in progress); the lock is held until the probe answers, or 20 s, and the probe must
 * answer before that: a request that waited for the lock fails the test.
 */
async function whileLocked<T>(table: 'returnee' | 'returnee_merge', id: string, probe: () => Promise<T>): Promise<T> {
  const writer = await sqlClient();
  await writer.query('begin');
  await writer.query(`select id from ${table} where id = $1 for update`, [id]);
  let released = false;
  const release = setTimeout(() => {
    released = true;
    void writer.query('rollback');
  }, 20_000);
  try {
    const answer = await probe();
    expect(released).toBe(false);
    return answer;
  } finally {
    clearTimeout(release);
    if (!released) await writer.query('rollback');
    await writer.end();
  }
}

const version = async (id: string) => (await returneeRow(id)).version as number;

/** A social supervisor's agency with two records of one person, the second with a row in every section. */
async function pair() {
  const orm = hub.db.orm;
  const sup = await makeSectorUser(orm, 'SOCIAL', ['SUPERVISOR']);
  const by: Record<'EDUCATION' | 'SOCIAL' | 'NGO', StaffFixture> = {
    EDUCATION: await makeSectorUser(orm, 'EDUCATION'),
    SOCIAL: sup,
    NGO: await makeSectorUser(orm, 'NGO'),
  };
  const survivor = await makeReturnee(orm, sup.agency, { dateOfBirth: '1994-01-01', dateOfBirthEstimated: true });
  const merged = await makeReturnee(orm, sup.agency, { givenName: 'Айгерим', familyName: 'Нурланова' });
  await fillSections(orm, merged, by);
  const health = await makeSectorUser(orm, 'HEALTH');
  await addAssessment(orm, merged, health);
  await grantAccess(orm, merged, health.agency);
  const child = await makeReturnee(orm, sup.agency, { givenName: 'Alikhan', dateOfBirth: '2016-05-05', guardianReturneeId: merged.id });
  return { orm, sup, survivor, merged, child, health, by };
}

function mergeInput(survivorId: string, mergedId: string, versions: { survivor: number; merged: number }, fieldChoices: unknown[] = []) {
  return { input: { survivorId, mergedId, expectedVersions: versions, fieldChoices } };
}

describe('child tables', () => {
  it('knows what a merge does with every entity that references Returnee (from the ORM metadata)', () => {
    const tables = childTablesOf(hub.db.orm.getMetadata());
    const referencing = Object.values(hub.db.orm.getMetadata().getAll())
      .filter((m) =>
        m.relations.some((p) => p.type === 'Returnee' && p.owner !== false && (p.kind === 'm:1' || (p.kind === '1:1' && p.owner))),
      )
      .map((m) => m.className)
      .sort();
    // Plus the tables that hold a returnee id without a relation (child-tables.ts BY_ID).
    expect(tables.map((t) => t.entity).sort()).toEqual([...referencing, 'DataSubjectRequest'].sort());
    expect(referencing).toEqual(expect.arrayContaining(['HealthAssessment', 'CivilDocument', 'Consent', 'CaseAccess', 'Referral']));
  });
});

describe('mergeReturnees', () => {
  it('moves every child row and the household link to the survivor, keeps history, and audits both ids', async () => {
    const { sup, survivor, merged, child } = await pair();
    const before = await childIds(merged.id);
    const survivorBefore = await childIds(survivor.id);
    const versions = { survivor: await version(survivor.id), merged: await version(merged.id) };
    const res = await gql(hub, sup.token, MERGE, mergeInput(survivor.id, merged.id, versions, [{ field: 'dateOfBirth', from: 'MERGED' }]));
    expect(res.errors).toBeUndefined();
    const out = res.data.mergeReturnees;
    expect(out.survivor.dateOfBirth).toBe('1994-03-12');
    expect(out.fieldsTaken).toEqual(['dateOfBirth']);
    expect(out.survivor.household.map((h: { id: string }) => h.id)).toContain(child.id);
    // Every MOVE table's rows are now the survivor's; consents stay with the merged record.
    const after = await childIds(survivor.id);
    const left = await childIds(merged.id);
    for (const t of childTablesOf(hub.db.orm.getMetadata())) {
      if (t.handling === 'MOVE') {
        expect([t.entity, left[t.entity]]).toEqual([t.entity, []]);
        expect([t.entity, [...after[t.entity]].sort()]).toEqual([t.entity, [...survivorBefore[t.entity], ...before[t.entity]].sort()]);
      }
    }
    expect(before.HealthAssessment.length + before.CivilDocument.length + before.SupportSession.length).toBeGreaterThanOrEqual(3);
    expect((await returneeRow(child.id)).guardian_returnee_id).toBe(survivor.id);
    expect((await returneeRow(merged.id)).merged_into_id).toBe(survivor.id);
    // History: the survivor's replaced date, the merged record's link, the child's guardian.
    expect((await revisionsOf(survivor.id)).at(-1).previous).toMatchObject({ dateOfBirth: '1994-01-01' });
    expect((await revisionsOf(merged.id)).at(-1).previous).toEqual({ mergedIntoId: null });
    expect((await revisionsOf(child.id)).at(-1).previous).toEqual({ guardianReturneeId: merged.id });
    const events = await auditRowsFor(sup.staff.id);
    const linking = events.filter((e) => e.entity_type === 'ReturneeMerge' && e.entity_id === out.mergeId);
    expect(linking.map((e) => [e.returnee_id, e.reason]).sort()).toEqual(
      [
        [survivor.id, 'MERGE_SURVIVOR'],
        [merged.id, 'MERGE_MERGED'],
      ].sort(),
    );
    const moved = events.filter((e) => e.reason === `MERGE:${out.mergeId}`);
    expect(moved.length).toBe(Object.values(before).flat().length - before.Consent.length + 1); // + the child's guardian link
    // The merged record is gone for everyone; its merger learns where it went.
    const gone = await gql(hub, sup.token, READ, { id: merged.id });
    expect(errorCode(gone)).toBe('NOT_FOUND');
    expect(gone.errors![0].extensions!.mergedInto).toBe(survivor.id);
  });

  it('answers a plain NOT_FOUND for a merged record to a caller who may not see the survivor, byte for byte a missing id', async () => {
    const { orm, sup, survivor, merged } = await pair();
    const ngo = await makeSectorUser(orm, 'NGO');
    await grantAccess(orm, merged, ngo.agency); // its access moves with the record: it then sees the survivor
    const outsider = await makeSectorUser(orm, 'SOCIAL', ['SUPERVISOR']);
    const versions = { survivor: await version(survivor.id), merged: await version(merged.id) };
    expect((await gql(hub, sup.token, MERGE, mergeInput(survivor.id, merged.id, versions))).errors).toBeUndefined();
    const gone = await gql(hub, outsider.token, READ, { id: merged.id });
    const missing = await gql(hub, outsider.token, READ, { id: randomUUID() });
    expect(errorCode(gone)).toBe('NOT_FOUND');
    expect(JSON.stringify(gone.errors)).toBe(JSON.stringify(missing.errors));
    expect(JSON.stringify(gone)).not.toContain(survivor.id);
    const [goneEvent, missingEvent] = (await auditRowsFor(outsider.staff.id)).map((e) => [e.action, e.outcome, e.reason]);
    expect(goneEvent).toEqual(missingEvent);
    const followed = await gql(hub, ngo.token, READ, { id: merged.id });
    expect(followed.errors![0].extensions).toEqual({ code: 'NOT_FOUND', mergedInto: survivor.id });
  });

  it('refuses a sector that may not write both records, a caseworker, and a field the caller may not write (DENY events)', async () => {
    const { orm, sup: owner, survivor, merged, health } = await pair();
    const healthSup = await makeStaff(orm, health.agency, ['SUPERVISOR']);
    await grantAccess(orm, survivor, health.agency);
    const versions = { survivor: await version(survivor.id), merged: await version(merged.id) };
    const refused = await gql(hub, healthSup.token, MERGE, mergeInput(survivor.id, merged.id, versions));
    expect(errorCode(refused)).toBe('FORBIDDEN');
    const deny = (await auditRowsFor(healthSup.staff.id)).filter((e) => e.action === 'DENY');
    expect(deny).toEqual([expect.objectContaining({ entity_type: 'ReturneeMerge', returnee_id: survivor.id, outcome: 'DENIED' })]);

    const caseworker = await makeStaff(orm, owner.agency, ['CASEWORKER']);
    expect(errorCode(await gql(hub, caseworker.token, MERGE, mergeInput(survivor.id, merged.id, versions)))).toBe('FORBIDDEN');
    expect((await auditRowsFor(caseworker.staff.id)).map((e) => e.action)).toEqual(['DENY']);

    const sup = await makeStaff(orm, owner.agency, ['SUPERVISOR']);
    const field = await gql(
      hub,
      sup.token,
      MERGE,
      mergeInput(survivor.id, merged.id, versions, [{ field: 'engagementStatus', from: 'MERGED' }]),
    );
    expect(errorCode(field)).toBe('FORBIDDEN');
    expect(field.errors![0].extensions!.fields).toEqual(['engagementStatus']);
    expect((await auditRowsFor(sup.staff.id)).filter((e) => e.action === 'DENY').map((e) => e.denied_fields)).toEqual([
      ['engagementStatus'],
    ]);
    expect((await returneeRow(merged.id)).merged_into_id).toBeNull();
    expect(await version(merged.id)).toBe(versions.merged);
  });

  it('cannot merge or probe a record outside the scope: NOT_FOUND, the same as a missing id', async () => {
    const { orm, sup, survivor } = await pair();
    const other = await makeSectorUser(orm, 'SOCIAL');
    const foreign = await makeReturnee(orm, other.agency);
    const v = { survivor: await version(survivor.id), merged: await version(foreign.id) };
    const probe = await gql(hub, sup.token, MERGE, mergeInput(survivor.id, foreign.id, v));
    const missing = await gql(hub, sup.token, MERGE, mergeInput(survivor.id, randomUUID(), v));
    expect(errorCode(probe)).toBe('NOT_FOUND');
    expect(JSON.stringify(probe.errors)).toBe(JSON.stringify(missing.errors));
    // Wrong version on the foreign record changes nothing either: scope is checked first.
    const wrongVersion = await gql(hub, sup.token, MERGE, mergeInput(survivor.id, foreign.id, { ...v, merged: v.merged + 7 }));
    expect(JSON.stringify(wrongVersion.errors)).toBe(JSON.stringify(missing.errors));
    expect((await returneeRow(foreign.id)).merged_into_id).toBeNull();
  });

  it('answers NOT_FOUND for a record outside the scope while another agency is writing it, without waiting for that write', async () => {
    const { orm, sup, survivor } = await pair();
    const other = await makeSectorUser(orm, 'SOCIAL');
    const foreign = await makeReturnee(orm, other.agency);
    const v = { survivor: await version(survivor.id), merged: await version(foreign.id) };
    // The other agency's write in progress: its row lock held until the probe has answered.
    const probe = await whileLocked('returnee', foreign.id, () => gql(hub, sup.token, MERGE, mergeInput(survivor.id, foreign.id, v)));
    expect(errorCode(probe)).toBe('NOT_FOUND');
    // The survivor was locked and released with the refused transaction: merging it works.
    expect((await returneeRow(survivor.id)).merged_into_id).toBeNull();
  });

  it('keeps consents with the record they were given on: a sector does not see the survivor through the merged record’s consent', async () => {
    const { orm, sup, survivor, merged, health } = await pair();
    await grantAccess(orm, survivor, health.agency);
    const consent = await giveConsent(orm, merged, sup, ['HEALTH'], ['IDENTITY']);
    expect((await gql(hub, health.token, READ, { id: merged.id })).data.returnee.givenName).toBe('Айгерим');
    expect((await gql(hub, health.token, READ, { id: survivor.id })).data.returnee.redactedFields).toContain('givenName');
    const versions = { survivor: await version(survivor.id), merged: await version(merged.id) };
    const res = await gql(hub, sup.token, MERGE, mergeInput(survivor.id, merged.id, versions));
    expect(res.errors).toBeUndefined();
    // The consent stays; so does the health agency's access to the merged record (it has its twin on the survivor).
    expect(res.data.mergeReturnees.keptWithMergedRecord).toEqual(
      expect.arrayContaining([
        { kind: 'Consent', count: 1 },
        { kind: 'CaseAccess', count: 1 },
      ]),
    );
    expect((await query<{ returnee_id: string }>('select returnee_id from consent where id = $1', [consent.id]))[0].returnee_id).toBe(
      merged.id,
    );
    const after = await gql(hub, health.token, READ, { id: survivor.id });
    expect(after.data.returnee.givenName).toBeNull();
    expect(after.data.returnee.redactedFields).toContain('givenName');
  });

  it('lets one of two concurrent merges of a pair win; the other is CONFLICT', async () => {
    const { sup, survivor, merged } = await pair();
    const versions = { survivor: await version(survivor.id), merged: await version(merged.id) };
    const [a, b] = await Promise.all([
      gql(hub, sup.token, MERGE, mergeInput(survivor.id, merged.id, versions)),
      gql(hub, sup.token, MERGE, mergeInput(merged.id, survivor.id, { survivor: versions.merged, merged: versions.survivor })),
    ]);
    const codes = [a, b].map((r) => errorCode(r) ?? 'OK').sort();
    expect(codes).toEqual(['CONFLICT', 'OK']);
    expect(
      (await query('select * from returnee_merge where survivor_id = any($1) and undone_at is null', [[survivor.id, merged.id]])).length,
    ).toBe(1);
  });

  it('is CONFLICT on a stale version, and writes nothing', async () => {
    const { sup, survivor, merged } = await pair();
    const versions = { survivor: await version(survivor.id), merged: (await version(merged.id)) + 1 };
    const res = await gql(hub, sup.token, MERGE, mergeInput(survivor.id, merged.id, versions));
    expect(errorCode(res)).toBe('CONFLICT');
    expect(res.errors![0].extensions).toMatchObject({ record: 'merged', currentVersion: versions.merged - 1 });
    expect((await returneeRow(merged.id)).merged_into_id).toBeNull();
    expect((await auditRowsFor(sup.staff.id)).map((e) => e.outcome)).toEqual(['CONFLICT']);
  });
});

describe('unmergeReturnees', () => {
  it('restores both records and moves back exactly the rows that moved', async () => {
    const { orm, sup, survivor, merged, child, health } = await pair();
    const before = { survivor: await childIds(survivor.id), merged: await childIds(merged.id) };
    const versions = { survivor: await version(survivor.id), merged: await version(merged.id) };
    const res = await gql(hub, sup.token, MERGE, mergeInput(survivor.id, merged.id, versions, [{ field: 'dateOfBirth', from: 'MERGED' }]));
    const mergeId = res.data.mergeReturnees.mergeId;
    await addAssessment(orm, survivor, health); // added after the merge: stays with the survivor
    const undone = await gql(hub, sup.token, UNMERGE, { id: mergeId });
    expect(undone.errors).toBeUndefined();
    expect(undone.data.unmergeReturnees.survivor.dateOfBirth).toBe('1994-01-01');
    expect(undone.data.unmergeReturnees.restored.id).toBe(merged.id);
    expect(await childIds(merged.id)).toEqual(before.merged);
    const survivorNow = await childIds(survivor.id);
    expect(survivorNow.HealthAssessment.length).toBe(before.survivor.HealthAssessment.length + 1);
    expect((await returneeRow(child.id)).guardian_returnee_id).toBe(merged.id);
    expect((await revisionsOf(child.id)).at(-1).previous).toEqual({ guardianReturneeId: survivor.id });
    expect((await gql(hub, sup.token, READ, { id: merged.id })).data.returnee.id).toBe(merged.id);
    const events = await auditRowsFor(sup.staff.id);
    expect(
      events
        .filter((e) => e.entity_id === mergeId && e.reason?.startsWith('UNMERGE_'))
        .map((e) => e.returnee_id)
        .sort(),
    ).toEqual([survivor.id, merged.id].sort());
    // Once only.
    const again = await gql(hub, sup.token, UNMERGE, { id: mergeId });
    expect(errorCode(again)).toBe('CONFLICT');
  });

  it('is refused after the period and after the survivor changed, saying which', async () => {
    const { sup, survivor, merged } = await pair();
    const v = { survivor: await version(survivor.id), merged: await version(merged.id) };
    const mergeId = (await gql(hub, sup.token, MERGE, mergeInput(survivor.id, merged.id, v))).data.mergeReturnees.mergeId;
    const update = `mutation($id: ID!, $v: Int!) { updateReturnee(id: $id, expectedVersion: $v, input: { phone: "+7 701 000 0000" }) { returnee { version } } }`;
    expect((await gql(hub, sup.token, update, { id: survivor.id, v: await version(survivor.id) })).errors).toBeUndefined();
    const changed = await gql(hub, sup.token, UNMERGE, { id: mergeId });
    expect(errorCode(changed)).toBe('CONFLICT');
    expect(changed.errors![0].extensions!.reason).toBe('SURVIVOR_CHANGED');
    await query("update returnee_merge set merged_at = now() - interval '31 days' where id = $1", [mergeId]);
    const late = await gql(hub, sup.token, UNMERGE, { id: mergeId });
    expect(late.errors![0].extensions!.reason).toBe('PERIOD_OVER');
    expect((await returneeRow(merged.id)).merged_into_id).toBe(survivor.id);
  });

  it('is NOT_FOUND for a caller who cannot see the survivor', async () => {
    const { orm, sup, survivor, merged } = await pair();
    const v = { survivor: await version(survivor.id), merged: await version(merged.id) };
    const mergeId = (await gql(hub, sup.token, MERGE, mergeInput(survivor.id, merged.id, v))).data.mergeReturnees.mergeId;
    const other = await makeSectorUser(orm, 'SOCIAL', ['SUPERVISOR']);
    const probe = await gql(hub, other.token, UNMERGE, { id: mergeId });
    const missing = await gql(hub, other.token, UNMERGE, { id: randomUUID() });
    expect(errorCode(probe)).toBe('NOT_FOUND');
    expect(JSON.stringify(probe.errors)).toBe(JSON.stringify(missing.errors));
    // …also while the merging agency holds the merge's row (an unmerge of its own in progress):
    // the probe does not wait for it, as a missing id would not.
    const busy = await whileLocked('returnee_merge', mergeId, () => gql(hub, other.token, UNMERGE, { id: mergeId }));
    expect(JSON.stringify(busy.errors)).toBe(JSON.stringify(missing.errors));
  });
});

describe('data-subject requests', () => {
  const DSR = `id person { id } status agencyName`;
  const RECORD = `mutation($input: RecordDataSubjectRequestInput!) { recordDataSubjectRequest(input: $input) { ${DSR} } }`;
  const COMPLETE = `mutation($id: ID!) { completeDataSubjectRequest(id: $id, outcome: FULFILLED) { ${DSR} } }`;
  const LIST = `{ dataSubjectRequests { ${DSR} } }`;

  it('move to the survivor, answered by its registering agency, and back on unmerge', async () => {
    const orm = hub.db.orm;
    // The merged record's agency merges; the survivor was registered by another agency and shared with it.
    const sup = await makeSectorUser(orm, 'SOCIAL', ['SUPERVISOR']);
    const owner = await makeSectorUser(orm, 'SOCIAL');
    const ownerChief = await makeStaff(orm, owner.agency, ['SUPERVISOR']);
    const survivor = await makeReturnee(orm, owner.agency);
    const merged = await makeReturnee(orm, sup.agency);
    await grantAccess(orm, survivor, sup.agency);
    const made = await gql(hub, sup.token, RECORD, { input: { returneeId: merged.id, kind: 'ACCESS', receivedOn: '2026-01-05' } });
    expect(made.errors).toBeUndefined();
    const id = made.data.recordDataSubjectRequest.id as string;
    const versions = { survivor: await version(survivor.id), merged: await version(merged.id) };
    const res = await gql(hub, sup.token, MERGE, mergeInput(survivor.id, merged.id, versions));
    expect(res.errors).toBeUndefined();

    // The survivor's registering agency lists it, on the survivor; the merged record's agency no longer does.
    const listed = (await gql(hub, ownerChief.token, LIST)).data.dataSubjectRequests as { id: string; person: { id: string } }[];
    expect(listed.find((r) => r.id === id)).toMatchObject({ person: { id: survivor.id }, status: 'OPEN', agencyName: owner.agency.name });
    const theirs = (await gql(hub, sup.token, LIST)).data.dataSubjectRequests as { id: string }[];
    expect(theirs.map((r) => r.id)).not.toContain(id);
    expect(errorCode(await gql(hub, sup.token, COMPLETE, { id }))).toBe('NOT_FOUND');
    expect(await query(`select id from data_subject_request where returnee_id = $1`, [merged.id])).toEqual([]);

    // Unmerge: back on its record and its agency, still open.
    const undone = await gql(hub, sup.token, UNMERGE, { id: res.data.mergeReturnees.mergeId });
    expect(undone.errors).toBeUndefined();
    const back = (await gql(hub, sup.token, LIST)).data.dataSubjectRequests as { id: string; person: { id: string } }[];
    expect(back.find((r) => r.id === id)).toMatchObject({ person: { id: merged.id }, status: 'OPEN' });
    expect(((await gql(hub, ownerChief.token, LIST)).data.dataSubjectRequests as { id: string }[]).map((r) => r.id)).not.toContain(id);

    // Merged again, the survivor's agency completes it.
    const again = { survivor: await version(survivor.id), merged: await version(merged.id) };
    expect((await gql(hub, sup.token, MERGE, mergeInput(survivor.id, merged.id, again))).errors).toBeUndefined();
    const done = await gql(hub, owner.token, COMPLETE, { id });
    expect(done.errors).toBeUndefined();
    expect(done.data.completeDataSubjectRequest).toMatchObject({ status: 'COMPLETED', person: { id: survivor.id } });
  });
});
