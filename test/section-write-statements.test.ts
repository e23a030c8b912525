import type { HubServer } from '../src/server';
import { auditRowsFor } from './support/audit';
import { grantAccess, makeReturnee, makeSectorUser, type StaffFixture } from './support/factories';
import { errorCode, gql, sqlClient, startHub, type GqlResponse } from './support/hub';
import { returneeRow, revisionsOf, sectionRows } from './support/section-factories';

/**
 * Every section write is one SQL statement (issue 13, docs/bench.md "A section write in one
 * statement"): the statements a write request sends are counted, as the bench counts them
 * (the write, the read-back of its payload, that read's READ event), and the one that adds or
 * changes the section's row must also hold its audit events (and the revision, when the
 * record's columns change): one statement, so one transaction.
 */
let hub: HubServer;
const u = {} as Record<'HEALTH' | 'EDUCATION' | 'SOCIAL' | 'NGO', StaffFixture>;

beforeAll(async () => {
  // The sealer off: its timer's statements would be counted with the request's.
  hub = await startHub({ HUB_AUDIT_SEAL_INTERVAL_MS: '0' });
  for (const s of ['HEALTH', 'EDUCATION', 'SOCIAL', 'NGO'] as const) u[s] = await makeSectorUser(hub.db.orm, s);
});
afterAll(() => hub.stop());

async function sharedRecord() {
  const r = await makeReturnee(hub.db.orm, u.SOCIAL.agency, { dateOfBirth: '2012-05-01' });
  for (const s of ['HEALTH', 'EDUCATION', 'NGO'] as const) await grantAccess(hub.db.orm, r, u[s].agency);
  return r;
}

/** The statements one request sends, in order (the caller's first request also reads who they are: warm first). */
async function statementsOf(send: () => Promise<{ errors?: unknown }>): Promise<string[]> {
  const knex = hub.db.orm.em.getConnection().getKnex();
  const texts: string[] = [];
  // Not the actor lookup: the cache (auth/actor-cache.ts) is dropped whenever any staff member or
  // agency changes, which the other suites do all the time in the DATABASE_URL pass (one shared
  // database), so whether a request reads its actor depends on them, not on the write.
  const onQuery = (q: { sql: string }) => {
    const text = q.sql.replace(/\s+/g, ' ');
    if (!/^select s\.id, s\.username/.test(text)) texts.push(text);
  };
  knex.on('query', onQuery);
  try {
    const res = await send();
    expect(res.errors).toBeUndefined();
    await new Promise((r) => setTimeout(r, 50)); // work the response did not wait for still counts
  } finally {
    knex.off('query', onQuery);
  }
  return texts;
}

const payload = '{ returnee { id } }';
const writes: [string, keyof typeof u, string, (id: string) => Record<string, unknown>, RegExp][] = [
  [
    'recordHealthAssessment',
    'HEALTH',
    `mutation($id: ID!, $input: RecordHealthAssessmentInput!) { recordHealthAssessment(returneeId: $id, input: $input) ${payload} }`,
    (id) => ({ id, input: { assessedOn: '2024-02-01', findings: 'x', followUpNeeded: true, fitForSchool: true } }),
    /insert into "health_assessment"[\s\S]*insert into returnee_revision[\s\S]*insert into audit_event/,
  ],
  [
    'recordSupportSession',
    'NGO',
    `mutation($id: ID!, $input: RecordSupportSessionInput!) { recordSupportSession(returneeId: $id, input: $input) ${payload} }`,
    (id) => ({ id, input: { kind: 'COUNSELLING', startedOn: '2024-02-01', engagementStatus: 'ENGAGED' } }),
    /insert into "support_session"[\s\S]*insert into returnee_revision[\s\S]*insert into audit_event/,
  ],
  [
    'updateEducation',
    'EDUCATION',
    `mutation($id: ID!, $input: UpdateEducationInput!) { updateEducation(returneeId: $id, expectedVersion: 1, input: $input) ${payload} }`,
    (id) => ({ id, input: { grade: '3', school: 'School No. 1', progressNote: { notedOn: '2024-02-01', note: 'Reads' } } }),
    /insert into "education_progress_note"[\s\S]*insert into returnee_revision[\s\S]*update returnee[\s\S]*insert into audit_event/,
  ],
  [
    'recordCivilDocument',
    'SOCIAL',
    `mutation($id: ID!, $input: RecordCivilDocumentInput!) { recordCivilDocument(returneeId: $id, input: $input) ${payload} }`,
    (id) => ({ id, input: { type: 'PASSPORT', status: 'APPLIED', appliedOn: '2020-01-10' } }),
    /update civil_document[\s\S]*insert into "civil_document"[\s\S]*insert into audit_event/,
  ],
  [
    'recordSocialSupport',
    'SOCIAL',
    `mutation($id: ID!, $input: RecordSocialSupportInput!) { recordSocialSupport(returneeId: $id, input: $input) ${payload} }`,
    (id) => ({ id, input: { kind: 'BENEFIT', description: 'Child allowance', startedOn: '2020-01-01' } }),
    /insert into "social_support_measure"[\s\S]*insert into audit_event/,
  ],
];

/** The statements of `mutation` on a fresh record, after one on another record warmed the caller (actor, ability). */
async function measured(sector: keyof typeof u, mutation: string, vars: (id: string) => Record<string, unknown>, before?: boolean) {
  await gql(hub, u[sector].token, mutation, vars((await sharedRecord()).id));
  const r = await sharedRecord();
  if (before) expect((await gql(hub, u[sector].token, mutation, vars(r.id))).errors).toBeUndefined();
  return { r, texts: await statementsOf(() => gql(hub, u[sector].token, mutation, vars(r.id))) };
}

function oneStatementWrite(texts: string[], oneStatement: RegExp): void {
  expect(texts.length).toBeGreaterThan(0);
  expect(texts.length).toBeLessThanOrEqual(3);
  expect(texts.filter((t) => oneStatement.test(t))).toHaveLength(1);
  expect(texts.filter((t) => /^(begin|commit|rollback)/i.test(t))).toEqual([]);
}

it.each(writes)('%s sends at most 3 statements, its row, revision and events in one', async (_, sector, mutation, vars, oneStatement) => {
  oneStatementWrite((await measured(sector, mutation, vars)).texts, oneStatement);
});

it('recordCivilDocument superseding the current version: at most 3 statements, both versions and both events in one', async () => {
  const [, sector, mutation] = writes[3];
  const vars = (id: string) => ({ id, input: { type: 'PASSPORT', status: 'ISSUED', number: 'N1234567', issuedOn: '2020-03-02' } });
  const { r, texts } = await measured(sector, mutation, vars, true);
  oneStatementWrite(texts, /update civil_document[\s\S]*insert into "civil_document"[\s\S]*insert into audit_event/);
  const rows = await sectionRows('civil_document', r.id);
  expect(rows.map((d) => d.superseded_at === null)).toEqual([false, true]);
});

it('endSocialSupport sends at most 3 statements, the end and its event in one', async () => {
  const [, sector, record, recordVars] = writes[4];
  const end = `mutation($id: ID!) { endSocialSupport(measureId: $id, endedOn: "2021-06-30") ${payload} }`;
  const endOf = async () => {
    const r = await sharedRecord();
    expect((await gql(hub, u[sector].token, record, recordVars(r.id))).errors).toBeUndefined();
    return (await sectionRows('social_support_measure', r.id))[0].id as string;
  };
  await gql(hub, u[sector].token, end, { id: await endOf() });
  const id = await endOf();
  const texts = await statementsOf(() => gql(hub, u[sector].token, end, { id }));
  oneStatementWrite(texts, /update social_support_measure[\s\S]*insert into audit_event/);
});

/**
 * A lost race, made certain: another session changes the row the statement will update and holds
 * it until the hub's statement waits for its lock (seen in pg_stat_activity), then commits; the
 * statement finds the row changed, refuses itself whole (hub_write_check), and the hub answers
 * CONFLICT with nothing written.
 */
async function racedBy(change: string, params: unknown[], send: () => Promise<GqlResponse>): Promise<GqlResponse> {
  const other = await sqlClient();
  try {
    await other.query('begin');
    await other.query(change, params);
    const sent = send();
    for (let waiting = 0; waiting === 0;) {
      await new Promise((r) => setTimeout(r, 20));
      const { rows } = await other.query(
        `select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query like 'with target as%'`,
      );
      waiting = rows[0].n;
    }
    await other.query('commit');
    return await sent;
  } finally {
    await other.end();
  }
}

describe('lost races', () => {
  it('recordCivilDocument: a current version superseded first is CONFLICT, no second current version, nothing written', async () => {
    const [, sector, mutation] = writes[3];
    const r = await sharedRecord();
    const applied = { id: r.id, input: { type: 'PASSPORT', status: 'APPLIED', appliedOn: '2020-01-10' } };
    expect((await gql(hub, u[sector].token, mutation, applied)).errors).toBeUndefined();
    const res = await racedBy(
      `update civil_document set superseded_at = now() where returnee_id = $1 and superseded_at is null`,
      [r.id],
      () => gql(hub, u[sector].token, mutation, { id: r.id, input: { type: 'PASSPORT', status: 'ISSUED', number: 'N7654321' } }),
    );
    expect(errorCode(res)).toBe('CONFLICT');
    expect(res.errors![0].message).toMatch(/recorded at the same moment/);
    const rows = await sectionRows('civil_document', r.id);
    expect(rows.map((d) => [d.status, d.superseded_at === null])).toEqual([['APPLIED', false]]);
    const events = (await auditRowsFor(u[sector].staff.id)).filter((e) => e.returnee_id === r.id && e.action !== 'READ');
    expect(events.map((e) => [e.action, e.outcome])).toEqual([
      ['CREATE', 'SUCCESS'],
      ['CREATE', 'CONFLICT'],
    ]);
  });

  it('updateEducation: the record changed after the statement read it is CONFLICT with the current version, nothing written', async () => {
    const [, sector, mutation, vars] = writes[2];
    const r = await sharedRecord();
    const res = await racedBy(`update returnee set version = version + 1, grade = '9' where id = $1`, [r.id], () =>
      gql(hub, u[sector].token, mutation, vars(r.id)),
    );
    expect(errorCode(res)).toBe('CONFLICT');
    expect(res.errors![0].extensions!.currentVersion).toBe(2);
    expect(await returneeRow(r.id)).toMatchObject({ version: 2, grade: '9', school: null });
    expect(await sectionRows('education_progress_note', r.id)).toEqual([]);
    expect(await revisionsOf(r.id)).toEqual([]);
  });
});
