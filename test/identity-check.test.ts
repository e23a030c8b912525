import type { HubServer } from '../src/server';
import { auditRowsFor, type AuditRow } from './support/audit';
import { makeReturnee, makeSectorUser, makeStaff, type StaffFixture } from './support/factories';
import { errorCode, gql, startHub } from './support/hub';
import { unrelatedFamilyName } from './support/family-names';

/**
 * Identity check requests over HTTP (docs/matching.md): the requester's answer and audit rows
 * are the same whether no agency or several hold the person (no oracle); holders' supervisors
 * see the question with their own matching records and decide; SHARE gives the requester case
 * access; refusals are audited.
 */
const REQUEST = `mutation($input: RequestIdentityCheckInput!) { requestIdentityCheck(input: $input) { id status reason crossBorder createdAt expiresAt } }`;
const QUESTIONS = `query($status: IdentityQuestionStatus) { identityCheckRequests(status: $status) {
  id status requesterAgency { id } identity { givenName familyName dateOfBirth } matches { score reasons { code } returnee { id givenName } } } }`;
const ANSWER = `mutation($id: ID!, $answer: IdentityCheckAnswer!, $returneeId: ID) { answerIdentityCheck(questionId: $id, answer: $answer, returneeId: $returneeId) {
  id status matches { returnee { id } } } }`;
const READ = `query($id: ID!) { returnee(id: $id) { id givenName } }`;

let hub: HubServer;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(() => hub.stop());

const uniqueFamily = unrelatedFamilyName;

/** A requester (NGO caseworker) with its own record of a person of a fresh name. */
async function requester(family = uniqueFamily()) {
  const who = await makeSectorUser(hub.db.orm, 'NGO', ['CASEWORKER']);
  const own = await makeReturnee(hub.db.orm, who.agency, { givenName: 'Aigerim', familyName: family, dateOfBirth: '1994-03-12' });
  return { who, own, family };
}

/** What a requester could compare between two runs: the answer and its audit rows, ids and times aside. */
function shape(res: { data?: unknown; errors?: unknown }, rows: AuditRow[]) {
  const answer = JSON.parse(
    JSON.stringify(res)
      .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, 'ID')
      .replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g, 'TIME'),
  );
  return {
    answer,
    audit: rows.map((r) => [r.action, r.entity_type, r.outcome, r.reason, [...r.fields].sort(), r.denied_fields, r.operation]),
  };
}

describe('the requester', () => {
  it('gets the same answer and the same audit rows whether no agency or two agencies hold the person', async () => {
    const orm = hub.db.orm;
    const alone = await requester();
    const nobody = await gql(hub, alone.who.token, REQUEST, { input: { returneeId: alone.own.id, reason: 'Registered today' } });
    expect(nobody.errors).toBeUndefined();

    const known = await requester();
    const holders: StaffFixture[] = [await makeSectorUser(orm, 'SOCIAL', ['SUPERVISOR']), await makeSectorUser(orm, 'NGO', ['SUPERVISOR'])];
    const held = [];
    for (const h of holders)
      held.push(await makeReturnee(orm, h.agency, { givenName: 'Айгерим', familyName: known.family, dateOfBirth: '1994-03-12' }));
    const someone = await gql(hub, known.who.token, REQUEST, { input: { returneeId: known.own.id, reason: 'Registered today' } });
    expect(someone.errors).toBeUndefined();

    expect(shape(someone, await auditRowsFor(known.who.staff.id))).toEqual(shape(nobody, await auditRowsFor(alone.who.staff.id)));
    expect(someone.data.requestIdentityCheck.status).toBe('OPEN');
    const text = JSON.stringify([someone, await auditRowsFor(known.who.staff.id)]);
    for (const h of [...held, ...holders.map((x) => x.agency)]) expect(text).not.toContain(h.id);
    // …and both holders were asked, each about its own record.
    for (const [i, h] of holders.entries()) {
      const res = await gql(hub, h.token, QUESTIONS, {});
      expect(res.errors).toBeUndefined();
      const [q] = res.data.identityCheckRequests;
      expect(q.requesterAgency.id).toBe(known.who.agency.id);
      expect(q.identity).toEqual({ givenName: 'Aigerim', familyName: known.family, dateOfBirth: '1994-03-12' });
      expect(q.matches.map((m: { returnee: { id: string } }) => m.returnee.id)).toEqual([held[i].id]);
    }
  });

  it('sends the same statements whether no agency or two agencies hold the person (no timing oracle in their number)', async () => {
    const orm = hub.db.orm;
    const knex = orm.em.getConnection().getKnex();
    // The statements this process sends during one request, values aside. The key fill before
    // the search (records written elsewhere without keys) depends on other suites' writes, not
    // on the answer: left out.
    const statementsOf = async (token: string, returneeId: string) => {
      const sent: string[] = [];
      const listen = (q: { sql: string }) =>
        sent.push(
          q.sql
            .replace(/'(?:[^']|'')*'/g, "'?'")
            .replace(/\s+/g, ' ')
            .trim(),
        );
      knex.on('query', listen);
      try {
        const res = await gql(hub, token, REQUEST, { input: { returneeId, reason: 'Registered today' } });
        expect(res.errors).toBeUndefined();
      } finally {
        knex.off('query', listen);
      }
      const fill = /key_version|skip locked|returnee_name_key \(|name_key_term \(/;
      // Nor the actor look-up, cached per process and dropped whenever any staff member or agency changes.
      return sent.filter(
        (text) => !fill.test(text) && !/^(begin|commit|BEGIN|COMMIT)/.test(text) && !/^select s\.id, s\.username/.test(text),
      );
    };
    const alone = await requester();
    const nobody = await statementsOf(alone.who.token, alone.own.id);
    const known = await requester();
    for (const sector of ['SOCIAL', 'NGO'] as const) {
      const h = await makeSectorUser(orm, sector, ['SUPERVISOR']);
      await makeReturnee(orm, h.agency, { givenName: 'Айгерим', familyName: known.family, dateOfBirth: '1994-03-12' });
    }
    const someone = await statementsOf(known.who.token, known.own.id);
    expect(nobody.some((text) => text.includes('identity_check_question'))).toBe(true);
    expect(someone).toEqual(nobody);
    const [{ n }] = (
      await knex.raw(
        `select count(*)::int as n from identity_check_question q join identity_check_request r on r.id = q.request_id where r.returnee_id = ?`,
        [known.own.id],
      )
    ).rows as { n: number }[];
    expect(n).toBe(2);
  });

  it('finds holders whose records were written a moment ago around the hub, behind a backlog of older records without keys', async () => {
    const orm = hub.db.orm;
    const backlog = await makeSectorUser(orm, 'SOCIAL', ['CASEWORKER']);
    // More records without keys than one request fills (200), all older than the holder's.
    for (let i = 0; i < 5; i++)
      await Promise.all(Array.from({ length: 45 }, () => makeReturnee(orm, backlog.agency, { familyName: uniqueFamily() })));
    const req = await requester();
    const holder = await makeSectorUser(orm, 'SOCIAL', ['SUPERVISOR']);
    const held = await makeReturnee(orm, holder.agency, { givenName: 'Айгерим', familyName: req.family, dateOfBirth: '1994-03-12' });
    const res = await gql(hub, req.who.token, REQUEST, { input: { returneeId: req.own.id, reason: 'Registered today' } });
    expect(res.errors).toBeUndefined();
    const [q] = (await gql(hub, holder.token, QUESTIONS, {})).data.identityCheckRequests;
    expect(q?.matches.map((m: { returnee: { id: string } }) => m.returnee.id)).toEqual([held.id]);
  });

  it('NOT_FOUND for a record out of scope, exactly as for a missing one; FORBIDDEN (DENY) for a sector without names', async () => {
    const orm = hub.db.orm;
    const { who } = await requester();
    const other = await requester();
    const out = await gql(hub, who.token, REQUEST, { input: { returneeId: other.own.id, reason: 'Probing' } });
    const missing = await gql(hub, who.token, REQUEST, {
      input: { returneeId: '00000000-0000-4000-8000-000000000000', reason: 'Probing' },
    });
    expect(errorCode(out)).toBe('NOT_FOUND');
    expect(out.errors![0].message).toBe(missing.errors![0].message);
    const auditor = await makeSectorUser(orm, 'OVERSIGHT', ['AUDITOR']);
    expect(errorCode(await gql(hub, auditor.token, REQUEST, { input: { returneeId: other.own.id, reason: 'Probing' } }))).toBe('FORBIDDEN');
    expect((await auditRowsFor(auditor.staff.id)).map((r) => [r.action, r.entity_type])).toEqual([['DENY', 'IdentityCheckRequest']]);
  });
});

describe('the holder', () => {
  it('shares one of its records (the requester then sees it), or declines; others cannot answer', async () => {
    const orm = hub.db.orm;
    const req = await requester();
    const holder = await makeSectorUser(orm, 'SOCIAL', ['SUPERVISOR']);
    const mine = await makeReturnee(orm, holder.agency, { givenName: 'Aigerim', familyName: req.family, dateOfBirth: '1994-03-12' });
    expect(errorCode(await gql(hub, req.who.token, READ, { id: mine.id }))).toBe('NOT_FOUND');
    await gql(hub, req.who.token, REQUEST, { input: { returneeId: req.own.id, reason: 'Registered today' } });
    const [q] = (await gql(hub, holder.token, QUESTIONS, {})).data.identityCheckRequests;
    // A caseworker of the holder may not see or answer questions.
    const worker = await makeStaff(orm, holder.agency, ['CASEWORKER']);
    expect(errorCode(await gql(hub, worker.token, QUESTIONS, {}))).toBe('FORBIDDEN');
    expect((await auditRowsFor(worker.staff.id)).map((r) => [r.action, r.entity_type])).toEqual([['DENY', 'IdentityCheckQuestion']]);
    // Another agency's supervisor: the question does not exist for it.
    const stranger = await makeSectorUser(orm, 'SOCIAL', ['SUPERVISOR']);
    expect(errorCode(await gql(hub, stranger.token, ANSWER, { id: q.id, answer: 'DECLINE' }))).toBe('NOT_FOUND');
    expect((await gql(hub, stranger.token, QUESTIONS, {})).data.identityCheckRequests).toEqual([]);
    const shared = await gql(hub, holder.token, ANSWER, { id: q.id, answer: 'SHARE', returneeId: mine.id });
    expect(shared.errors).toBeUndefined();
    expect(shared.data.answerIdentityCheck).toMatchObject({ id: q.id, status: 'SHARE', matches: [{ returnee: { id: mine.id } }] });
    expect((await gql(hub, req.who.token, READ, { id: mine.id })).data.returnee).toEqual({ id: mine.id, givenName: 'Aigerim' });
    expect(errorCode(await gql(hub, holder.token, ANSWER, { id: q.id, answer: 'DECLINE' }))).toBe('CONFLICT');
    expect((await gql(hub, holder.token, QUESTIONS, {})).data.identityCheckRequests).toEqual([]);
    const audit = await auditRowsFor(holder.staff.id);
    expect(audit.filter((r) => r.entity_type === 'CaseAccess' && r.action === 'CREATE').map((r) => r.returnee_id)).toEqual([mine.id]);
  });

  it('is not asked across a border unless the request says so', async () => {
    const orm = hub.db.orm;
    const req = await requester();
    const abroad = await makeSectorUser(orm, 'SOCIAL', ['SUPERVISOR'], 'KG');
    await makeReturnee(orm, abroad.agency, { givenName: 'Aigerim', familyName: req.family, dateOfBirth: '1994-03-12' });
    await gql(hub, req.who.token, REQUEST, { input: { returneeId: req.own.id, reason: 'Registered today' } });
    expect((await gql(hub, abroad.token, QUESTIONS, {})).data.identityCheckRequests).toEqual([]);
    await gql(hub, req.who.token, REQUEST, { input: { returneeId: req.own.id, reason: 'Registered today', crossBorder: true } });
    expect((await gql(hub, abroad.token, QUESTIONS, {})).data.identityCheckRequests).toHaveLength(1);
  });
});
