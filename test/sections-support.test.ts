import type { HubServer } from '../src/server';
import { auditRowsFor } from './support/audit';
import { grantAccess, makeReturnee, makeSectorUser, type StaffFixture } from './support/factories';
import { errorCode, gql, startHub } from './support/hub';
import { returneeRow, revisionsOf, sectionRows } from './support/section-factories';

/**
 * The social-support and psychosocial sections over real HTTP: the owning sector records,
 * every other sector (including NGO, which reads social support) is refused whole with a
 * DENY event, and bad input is BAD_USER_INPUT with nothing written.
 */
const SOCIAL = `mutation Social($id: ID!, $input: RecordSocialSupportInput!) {
  recordSocialSupport(returneeId: $id, input: $input) { returnee { id version
    socialSupport { kind description startedOn endedOn provider decidingAuthority guardianName agency { id } } } } }`;
const SESSION = `mutation Session($id: ID!, $input: RecordSupportSessionInput!) {
  recordSupportSession(returneeId: $id, input: $input) { returnee { id version engagementStatus
    supportSessions { kind startedOn endedOn place notes riskNotes agency { id } } } } }`;

let hub: HubServer;
const u = {} as Record<'HEALTH' | 'EDUCATION' | 'SOCIAL' | 'NGO', StaffFixture>;

async function sharedRecord(overrides = {}) {
  const r = await makeReturnee(hub.db.orm, u.SOCIAL.agency, overrides);
  for (const s of ['HEALTH', 'EDUCATION', 'NGO'] as const) await grantAccess(hub.db.orm, r, u[s].agency);
  return r;
}

const lastEvent = async (who: StaffFixture) => (await auditRowsFor(who.staff.id)).at(-1);

beforeAll(async () => {
  hub = await startHub();
  for (const s of ['HEALTH', 'EDUCATION', 'SOCIAL', 'NGO'] as const) u[s] = await makeSectorUser(hub.db.orm, s);
});
afterAll(() => hub.stop());

describe('recordSocialSupport', () => {
  const guardianship = {
    kind: 'GUARDIANSHIP_DECISION', description: 'Grandmother appointed guardian', startedOn: '2020-02-14',
    decidingAuthority: 'Aqtobe guardianship and trusteeship authority', guardianName: 'Gulnara Saidova',
  };

  it('lets SOCIAL record a guardianship decision for an orphan, audited as one CREATE', async () => {
    const r = await sharedRecord({ dateOfBirth: '2014-09-01', guardianName: 'Gulnara Saidova' });
    const res = await gql(hub, u.SOCIAL.token, SOCIAL, { id: r.id, input: guardianship });
    expect(res.errors).toBeUndefined();
    expect(res.data.recordSocialSupport.returnee).toMatchObject({
      version: 1, socialSupport: [{ ...guardianship, endedOn: null, provider: null, agency: { id: u.SOCIAL.agency.id } }],
    });
    const [row] = await sectionRows('social_support_measure', r.id);
    expect(row).toMatchObject({ kind: 'GUARDIANSHIP_DECISION', guardian_name: 'Gulnara Saidova', recorded_by_id: u.SOCIAL.staff.id });
    const events = (await auditRowsFor(u.SOCIAL.staff.id)).filter((e) => e.returnee_id === r.id && e.action !== 'READ');
    expect(events.map((e) => [e.action, e.entity_type, e.entity_id, e.fields])).toEqual([
      ['CREATE', 'SocialSupportMeasure', row.id, ['kind', 'description', 'startedOn', 'decidingAuthority', 'guardianName']],
    ]);
  });

  it('lists measures newest first', async () => {
    const r = await sharedRecord();
    for (const [kind, startedOn] of [['BENEFIT', '2019-07-01'], ['RETRAINING', '2021-03-01'], ['EMPLOYMENT', '2020-01-10']]) {
      expect((await gql(hub, u.SOCIAL.token, SOCIAL, { id: r.id, input: { kind, startedOn, description: kind } })).errors).toBeUndefined();
    }
    const res = await gql(hub, u.SOCIAL.token, SOCIAL, { id: r.id, input: { kind: 'HOUSING', startedOn: '2019-08-01', endedOn: '2020-08-01', description: 'Rent subsidy', provider: 'Akimat of Aqtobe' } });
    expect(res.data.recordSocialSupport.returnee.socialSupport.map((m: { kind: string }) => m.kind)).toEqual(['RETRAINING', 'EMPLOYMENT', 'HOUSING', 'BENEFIT']);
  });

  it.each(['HEALTH', 'EDUCATION', 'NGO'] as const)('refuses %s with a DENY event, writing nothing', async (sector) => {
    const r = await sharedRecord();
    const res = await gql(hub, u[sector].token, SOCIAL, { id: r.id, input: { kind: 'BENEFIT', description: 'x', startedOn: '2020-01-01' } });
    expect(errorCode(res)).toBe('FORBIDDEN');
    expect(await lastEvent(u[sector])).toMatchObject({ action: 'DENY', entity_type: 'SocialSupportMeasure', returnee_id: r.id, denied_fields: ['socialSupport'] });
    expect(await sectionRows('social_support_measure', r.id)).toEqual([]);
  });

  it.each([
    ['a guardianship decision without a guardian', { ...guardianship, guardianName: undefined }, /needs guardianName/],
    ['a guardian on a benefit', { kind: 'BENEFIT', description: 'x', startedOn: '2020-01-01', guardianName: 'A' }, /GUARDIANSHIP_DECISION measures only/],
    ['an end before the start', { kind: 'BENEFIT', description: 'x', startedOn: '2020-01-01', endedOn: '2019-12-31' }, /endedOn .* before startedOn/],
    ['a start before the date of birth', { kind: 'BENEFIT', description: 'x', startedOn: '1990-01-01' }, /date of birth/],
    ['a start in the future', { kind: 'EMPLOYMENT', description: 'x', startedOn: '2999-01-01' }, /future/],
    ['an overlong description', { kind: 'BENEFIT', description: 'x'.repeat(2001), startedOn: '2020-01-01' }, /description/],
  ])('rejects %s as BAD_USER_INPUT, writing nothing', async (_, bad, message) => {
    const r = await sharedRecord();
    const res = await gql(hub, u.SOCIAL.token, SOCIAL, { id: r.id, input: bad });
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toMatch(message);
    expect(await sectionRows('social_support_measure', r.id)).toEqual([]);
  });
});

describe('recordSupportSession', () => {
  const stay = {
    kind: 'REHABILITATION_CENTRE_STAY', startedOn: '2019-06-01', endedOn: '2019-07-13', place: 'Aqtobe rehabilitation centre',
    notes: 'Six weeks with psychologist and theologian', riskNotes: 'Harassed by neighbours', engagementStatus: 'ENGAGED',
  };

  it('lets NGO record a stay and set the engagement status, with history, one event per row', async () => {
    const r = await sharedRecord();
    const res = await gql(hub, u.NGO.token, SESSION, { id: r.id, input: stay });
    expect(res.errors).toBeUndefined();
    const { engagementStatus, ...session } = stay;
    expect(res.data.recordSupportSession.returnee).toMatchObject({
      version: 2, engagementStatus, supportSessions: [{ ...session, agency: { id: u.NGO.agency.id } }],
    });
    expect(await revisionsOf(r.id)).toEqual([{ version: 1, fields: ['engagementStatus'], previous: { engagementStatus: null } }]);
    const [row] = await sectionRows('support_session', r.id);
    const events = (await auditRowsFor(u.NGO.staff.id)).filter((e) => e.returnee_id === r.id && e.action !== 'READ');
    expect(events.map((e) => [e.action, e.entity_type, e.entity_id, e.fields])).toEqual([
      ['UPDATE', 'Returnee', r.id, ['engagementStatus']],
      ['CREATE', 'SupportSession', row.id, ['kind', 'startedOn', 'endedOn', 'place', 'notes', 'riskNotes']],
    ]);
    expect(JSON.stringify(events)).not.toContain('Harassed');
  });

  it('leaves the record alone when the engagement status is unchanged or not sent', async () => {
    const r = await sharedRecord({ engagementStatus: 'ENGAGED' });
    await gql(hub, u.NGO.token, SESSION, { id: r.id, input: { kind: 'COUNSELLING', startedOn: '2020-01-10', engagementStatus: 'ENGAGED' } });
    await gql(hub, u.NGO.token, SESSION, { id: r.id, input: { kind: 'GROUP_SESSION', startedOn: '2020-01-17' } });
    expect(await sectionRows('support_session', r.id)).toHaveLength(2);
    expect(await returneeRow(r.id)).toMatchObject({ version: 1, engagement_status: 'ENGAGED' });
    expect(await revisionsOf(r.id)).toEqual([]);
  });

  it.each([
    ['HEALTH', ['supportSessions']],
    ['EDUCATION', ['supportSessions', 'engagementStatus']],
    ['SOCIAL', ['supportSessions', 'engagementStatus']],
  ] as const)('refuses %s whole, naming %j, writing nothing', async (sector, fields) => {
    const r = await sharedRecord();
    const input = sector === 'HEALTH' ? { kind: 'COUNSELLING', startedOn: '2020-01-10' } : { kind: 'COUNSELLING', startedOn: '2020-01-10', engagementStatus: 'DISENGAGED' };
    const res = await gql(hub, u[sector].token, SESSION, { id: r.id, input });
    expect(errorCode(res)).toBe('FORBIDDEN');
    expect(res.errors![0].extensions!.fields).toEqual(fields);
    expect(await lastEvent(u[sector])).toMatchObject({ action: 'DENY', entity_type: 'SupportSession', returnee_id: r.id, denied_fields: fields });
    expect(await sectionRows('support_session', r.id)).toEqual([]);
    expect(await returneeRow(r.id)).toMatchObject({ version: 1, engagement_status: null });
  });

  it.each([
    ['a stay without its centre', { ...stay, place: undefined }, /needs place/],
    ['an end in the future', { ...stay, endedOn: '2999-01-01' }, /future/],
    ['an end before the start', { ...stay, endedOn: '2019-05-01' }, /endedOn .* before startedOn/],
    ['an unknown engagement status', { ...stay, engagementStatus: 'GONE' }, /GONE/],
    ['overlong risk notes', { ...stay, riskNotes: 'x'.repeat(5001) }, /riskNotes/],
  ])('rejects %s as BAD_USER_INPUT, writing nothing', async (_, bad, message) => {
    const r = await sharedRecord();
    const res = await gql(hub, u.NGO.token, SESSION, { id: r.id, input: bad });
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toMatch(message);
    expect(await sectionRows('support_session', r.id)).toEqual([]);
    expect((await returneeRow(r.id)).version).toBe(1);
  });

  it('answers NOT_FOUND for a record the NGO has no access to', async () => {
    const r = await makeReturnee(hub.db.orm, u.SOCIAL.agency);
    const res = await gql(hub, u.NGO.token, SESSION, { id: r.id, input: { kind: 'COUNSELLING', startedOn: '2020-01-10' } });
    expect(errorCode(res)).toBe('NOT_FOUND');
    expect(await lastEvent(u.NGO)).toMatchObject({ action: 'CREATE', entity_type: 'SupportSession', outcome: 'NOT_FOUND', returnee_id: r.id });
  });
});
