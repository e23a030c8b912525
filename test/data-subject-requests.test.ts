import type { HubServer } from '../src/server';
import { addDays } from '../src/common/calendar';
import { today } from '../src/common/calendar';
import { auditRowsFor } from './support/audit';
import { grantAccess, makeReturnee, makeSectorUser, makeStaff, type StaffFixture } from './support/factories';
import { errorCode, gql, startHub } from './support/hub';

/**
 * Data-subject requests (issue 14, item 4), over HTTP against PostgreSQL: recorded and completed
 * by the registering agency's caseworkers and supervisors, due HUB_DSR_DUE_DAYS after receipt,
 * listed for that agency's supervisors and the auditors of its country with overdue ones flagged,
 * the notes withheld from auditors; every other caller refused with a DENY row, or NOT_FOUND
 * exactly as a missing record when the record is out of scope.
 */
const FIELDS = `id person { id caseNumber } agencyName kind receivedOn dueOn status overdue outcome note outcomeNote completedAt redactedFields`;
const RECORD = `mutation($input: RecordDataSubjectRequestInput!) { recordDataSubjectRequest(input: $input) { ${FIELDS} } }`;
const COMPLETE = `mutation($id: ID!, $outcome: DataSubjectRequestOutcome!, $note: String) { completeDataSubjectRequest(id: $id, outcome: $outcome, note: $note) { ${FIELDS} } }`;
const LIST = `query($status: DataSubjectRequestStatus, $overdue: Boolean) { dataSubjectRequests(status: $status, overdue: $overdue) { ${FIELDS} } }`;

let hub: HubServer;
let social: StaffFixture;
let supervisor: StaffFixture;
let health: StaffFixture;
let personId: string;
const DAYS = 10;

beforeAll(async () => {
  hub = await startHub({ HUB_DSR_DUE_DAYS: String(DAYS) });
  const orm = hub.db.orm;
  social = await makeSectorUser(orm, 'SOCIAL');
  supervisor = await makeStaff(orm, social.agency, ['SUPERVISOR']);
  health = await makeSectorUser(orm, 'HEALTH');
  const person = await makeReturnee(orm, social.agency);
  personId = person.id;
  await grantAccess(orm, person, health.agency);
});
afterAll(() => hub.stop());

const lastRow = async (s: StaffFixture) => (await auditRowsFor(s.staff.id)).at(-1);

it('records requests due HUB_DSR_DUE_DAYS after receipt, flags the overdue ones, and lists them for supervisors', async () => {
  const late = addDays(today(), -(DAYS + 1));
  const inTime = addDays(today(), -(DAYS - 1));
  const a = await gql(hub, social.token, RECORD, {
    input: { returneeId: personId, kind: 'ACCESS', receivedOn: late, note: 'Asked in person' },
  });
  expect(a.errors).toBeUndefined();
  expect(a.data.recordDataSubjectRequest).toMatchObject({
    kind: 'ACCESS',
    receivedOn: late,
    dueOn: addDays(late, DAYS),
    status: 'OPEN',
    overdue: true,
    note: 'Asked in person',
    redactedFields: [],
    person: { id: personId },
  });
  const b = await gql(hub, social.token, RECORD, { input: { returneeId: personId, kind: 'OBJECTION', receivedOn: inTime } });
  expect(b.data.recordDataSubjectRequest).toMatchObject({ dueOn: addDays(inTime, DAYS), overdue: false, note: null });
  expect(await lastRow(social)).toMatchObject({ entity_type: 'DataSubjectRequest', returnee_id: personId });
  const created = (await auditRowsFor(social.staff.id)).filter((r) => r.action === 'CREATE' && r.entity_type === 'DataSubjectRequest');
  expect(created).toHaveLength(2);

  const all = await gql(hub, supervisor.token, LIST);
  expect(all.errors).toBeUndefined();
  const mine = (all.data.dataSubjectRequests as { id: string; overdue: boolean; note: string | null }[]).filter((r) =>
    [a.data.recordDataSubjectRequest.id, b.data.recordDataSubjectRequest.id].includes(r.id),
  );
  expect(mine.map((r) => r.overdue).sort()).toEqual([false, true]);
  expect(mine.find((r) => r.overdue)!.note).toBe('Asked in person');
  const overdue = await gql(hub, supervisor.token, LIST, { overdue: true });
  expect((overdue.data.dataSubjectRequests as { id: string }[]).map((r) => r.id)).toEqual([a.data.recordDataSubjectRequest.id]);
  const readRows = (await auditRowsFor(supervisor.staff.id)).filter((r) => r.entity_type === 'DataSubjectRequest' && r.action === 'READ');
  expect(readRows.length).toBe(3);

  const future = await gql(hub, social.token, RECORD, {
    input: { returneeId: personId, kind: 'ERASURE', receivedOn: addDays(today(), 1) },
  });
  expect(errorCode(future)).toBe('BAD_USER_INPUT');
});

it('shows auditors of the country the requests without the notes, and counts the overdue ones on /metrics', async () => {
  const auditor = await makeSectorUser(hub.db.orm, 'OVERSIGHT', ['AUDITOR']);
  const res = await gql(hub, auditor.token, LIST, { status: 'OPEN' });
  expect(res.errors).toBeUndefined();
  const ofPerson = (res.data.dataSubjectRequests as { person: { id: string }; note: string | null; redactedFields: string[] }[]).filter(
    (r) => r.person.id === personId,
  );
  expect(ofPerson.length).toBeGreaterThanOrEqual(2);
  for (const r of ofPerson) expect(r).toMatchObject({ note: null, redactedFields: ['note', 'outcomeNote'] });
  const elsewhere = await makeSectorUser(hub.db.orm, 'OVERSIGHT', ['AUDITOR'], 'KG');
  const none = await gql(hub, elsewhere.token, LIST);
  expect((none.data.dataSubjectRequests as { person: { id: string } }[]).some((r) => r.person.id === personId)).toBe(false);

  const metrics = await (await fetch(`${hub.url}/metrics`)).text();
  const n = Number(/^hub_data_subject_requests_overdue (\d+)$/m.exec(metrics)?.[1]);
  expect(n).toBeGreaterThanOrEqual(1);
});

it('refuses caseworkers the list, other sectors and agencies the requests (DENY rows), and out-of-scope records as NOT_FOUND', async () => {
  const orm = hub.db.orm;
  expect(errorCode(await gql(hub, social.token, LIST))).toBe('FORBIDDEN');
  expect(await lastRow(social)).toMatchObject({ action: 'DENY', outcome: 'DENIED', entity_type: 'DataSubjectRequest' });

  const input = { returneeId: personId, kind: 'RECTIFICATION', receivedOn: today() };
  expect(errorCode(await gql(hub, health.token, RECORD, { input }))).toBe('FORBIDDEN');
  expect(await lastRow(health)).toMatchObject({ action: 'DENY', outcome: 'DENIED', returnee_id: personId });
  const auditor = await makeSectorUser(orm, 'OVERSIGHT', ['AUDITOR']);
  expect(errorCode(await gql(hub, auditor.token, RECORD, { input }))).toBe('FORBIDDEN');
  expect(await lastRow(auditor)).toMatchObject({ action: 'DENY', outcome: 'DENIED' });

  const stranger = await makeSectorUser(orm, 'SOCIAL');
  const out = await gql(hub, stranger.token, RECORD, { input });
  const missingId = '00000000-0000-4000-8000-000000000000';
  const missing = await gql(hub, stranger.token, RECORD, { input: { ...input, returneeId: missingId } });
  expect([errorCode(out), errorCode(missing)]).toEqual(['NOT_FOUND', 'NOT_FOUND']);
  expect(out.errors![0].message.replace(personId, 'X')).toBe(missing.errors![0].message.replace(missingId, 'X'));
  // A stranger's list holds nothing of this agency.
  const strangerSupervisor = await makeStaff(orm, stranger.agency, ['SUPERVISOR']);
  const theirs = await gql(hub, strangerSupervisor.token, LIST);
  expect(theirs.data.dataSubjectRequests).toEqual([]);
});

it("lists one person's requests by returneeId, past the list's cap; another agency's person lists nothing, exactly like a missing id", async () => {
  const BY_PERSON = `query($returneeId: ID) { dataSubjectRequests(returneeId: $returneeId) { ${FIELDS} } }`;
  const other = await makeReturnee(hub.db.orm, social.agency);
  const r = await gql(hub, social.token, RECORD, { input: { returneeId: other.id, kind: 'ACCESS', receivedOn: today() } });
  expect(r.errors).toBeUndefined();
  const theirs = await gql(hub, supervisor.token, BY_PERSON, { returneeId: other.id });
  expect(theirs.errors).toBeUndefined();
  expect(theirs.data.dataSubjectRequests.map((d: { id: string }) => d.id)).toEqual([r.data.recordDataSubjectRequest.id]);
  const first = await gql(hub, supervisor.token, BY_PERSON, { returneeId: personId });
  expect(first.data.dataSubjectRequests.length).toBeGreaterThan(0);
  expect(first.data.dataSubjectRequests.every((d: { person: { id: string } }) => d.person.id === personId)).toBe(true);

  const strangerSupervisor = await makeStaff(hub.db.orm, (await makeSectorUser(hub.db.orm, 'SOCIAL')).agency, ['SUPERVISOR']);
  const outOfScope = await gql(hub, strangerSupervisor.token, BY_PERSON, { returneeId: other.id });
  const missing = await gql(hub, strangerSupervisor.token, BY_PERSON, { returneeId: '00000000-0000-4000-8000-000000000000' });
  expect([outOfScope.data.dataSubjectRequests, missing.data.dataSubjectRequests]).toEqual([[], []]);
  expect(errorCode(await gql(hub, supervisor.token, BY_PERSON, { returneeId: 'not-a-uuid' }))).toBe('BAD_USER_INPUT');
});

it('completes a request once; others cannot complete it', async () => {
  const made = await gql(hub, social.token, RECORD, {
    input: { returneeId: personId, kind: 'ERASURE', receivedOn: today(), note: 'Old address' },
  });
  const id = made.data.recordDataSubjectRequest.id as string;
  const stranger = await makeSectorUser(hub.db.orm, 'SOCIAL');
  expect(errorCode(await gql(hub, stranger.token, COMPLETE, { id, outcome: 'FULFILLED' }))).toBe('NOT_FOUND');
  expect(errorCode(await gql(hub, health.token, COMPLETE, { id, outcome: 'FULFILLED' }))).toBe('NOT_FOUND');
  const auditor = await makeSectorUser(hub.db.orm, 'OVERSIGHT', ['AUDITOR']);
  expect(errorCode(await gql(hub, auditor.token, COMPLETE, { id, outcome: 'FULFILLED' }))).toBe('FORBIDDEN');
  expect(await lastRow(auditor)).toMatchObject({ action: 'DENY', outcome: 'DENIED', entity_id: id });

  const done = await gql(hub, social.token, COMPLETE, { id, outcome: 'PARTLY_FULFILLED', note: 'Address erased; case number kept by law' });
  expect(done.errors).toBeUndefined();
  expect(done.data.completeDataSubjectRequest).toMatchObject({
    status: 'COMPLETED',
    outcome: 'PARTLY_FULFILLED',
    overdue: false,
    outcomeNote: 'Address erased; case number kept by law',
  });
  expect(errorCode(await gql(hub, social.token, COMPLETE, { id, outcome: 'REFUSED' }))).toBe('CONFLICT');
  const completed = await gql(hub, supervisor.token, LIST, { status: 'COMPLETED' });
  expect((completed.data.dataSubjectRequests as { id: string }[]).map((r) => r.id)).toEqual([id]);
});
