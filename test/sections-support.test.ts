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
    kind: 'GUARDIANSHIP_DECISION',
    description: 'Grandmother appointed guardian',
    startedOn: '2020-02-14',
    decidingAuthority: 'Aqtobe guardianship and trusteeship authority',
    guardianName: 'Gulnara Saidova',
  };

  it('lets SOCIAL record a guardianship decision for an orphan, audited as one CREATE', async () => {
    const r = await sharedRecord({ dateOfBirth: '2014-09-01', guardianName: 'Gulnara Saidova' });
    const res = await gql(hub, u.SOCIAL.token, SOCIAL, { id: r.id, input: guardianship });
    expect(res.errors).toBeUndefined();
    expect(res.data.recordSocialSupport.returnee).toMatchObject({
      version: 1,
      socialSupport: [{ ...guardianship, endedOn: null, provider: null, agency: { id: u.SOCIAL.agency.id } }],
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
    for (const [kind, startedOn] of [
      ['BENEFIT', '2019-07-01'],
      ['RETRAINING', '2021-03-01'],
      ['EMPLOYMENT', '2020-01-10'],
    ]) {
      expect((await gql(hub, u.SOCIAL.token, SOCIAL, { id: r.id, input: { kind, startedOn, description: kind } })).errors).toBeUndefined();
    }
    const res = await gql(hub, u.SOCIAL.token, SOCIAL, {
      id: r.id,
      input: { kind: 'HOUSING', startedOn: '2019-08-01', endedOn: '2020-08-01', description: 'Rent subsidy', provider: 'Akimat of Aqtobe' },
    });
    expect(res.data.recordSocialSupport.returnee.socialSupport.map((m: { kind: string }) => m.kind)).toEqual([
      'RETRAINING',
      'EMPLOYMENT',
      'HOUSING',
      'BENEFIT',
    ]);
  });

  it.each(['HEALTH', 'EDUCATION', 'NGO'] as const)('refuses %s with a DENY event, writing nothing', async (sector) => {
    const r = await sharedRecord();
    const res = await gql(hub, u[sector].token, SOCIAL, {
      id: r.id,
      input: { kind: 'BENEFIT', description: 'x', startedOn: '2020-01-01' },
    });
    expect(errorCode(res)).toBe('FORBIDDEN');
    expect(await lastEvent(u[sector])).toMatchObject({
      action: 'DENY',
      entity_type: 'SocialSupportMeasure',
      returnee_id: r.id,
      denied_fields: ['socialSupport'],
    });
    expect(await sectionRows('social_support_measure', r.id)).toEqual([]);
  });

  it.each([
    ['a guardianship decision without a guardian', { ...guardianship, guardianName: undefined }, /needs guardianName/],
    [
      'a guardian on a benefit',
      { kind: 'BENEFIT', description: 'x', startedOn: '2020-01-01', guardianName: 'A' },
      /GUARDIANSHIP_DECISION measures only/,
    ],
    [
      'an end before the start',
      { kind: 'BENEFIT', description: 'x', startedOn: '2020-01-01', endedOn: '2019-12-31' },
      /endedOn .* before startedOn/,
    ],
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

describe('endSocialSupport', () => {
  const END = `mutation End($id: ID!, $on: LocalDate!) {
    endSocialSupport(measureId: $id, endedOn: $on) { returnee { id socialSupport { id kind startedOn endedOn } } } }`;

  async function runningMeasure() {
    const r = await sharedRecord();
    const res = await gql(hub, u.SOCIAL.token, SOCIAL, {
      id: r.id,
      input: { kind: 'BENEFIT', description: 'Child allowance', startedOn: '2020-01-01' },
    });
    expect(res.errors).toBeUndefined();
    const [row] = await sectionRows('social_support_measure', r.id);
    return { r, measureId: row.id as string };
  }

  it('lets SOCIAL end a running measure once, audited as one UPDATE of endedOn', async () => {
    const { r, measureId } = await runningMeasure();
    const res = await gql(hub, u.SOCIAL.token, END, { id: measureId, on: '2021-06-30' });
    expect(res.errors).toBeUndefined();
    expect(res.data.endSocialSupport.returnee.socialSupport).toEqual([
      { id: measureId, kind: 'BENEFIT', startedOn: '2020-01-01', endedOn: '2021-06-30' },
    ]);
    const events = (await auditRowsFor(u.SOCIAL.staff.id)).filter((e) => e.entity_id === measureId && e.action === 'UPDATE');
    expect(events.map((e) => [e.entity_type, e.returnee_id, e.fields, e.outcome])).toEqual([
      ['SocialSupportMeasure', r.id, ['endedOn'], 'SUCCESS'],
    ]);

    const again = await gql(hub, u.SOCIAL.token, END, { id: measureId, on: '2021-07-31' });
    expect(errorCode(again)).toBe('CONFLICT');
    expect(again.errors![0].message).toMatch(/already ended on 2021-06-30/);
    expect((await sectionRows('social_support_measure', r.id))[0]).toMatchObject({ ended_on: new Date(2021, 5, 30) }); // pg parses a date as local midnight
  });

  it.each(['HEALTH', 'EDUCATION', 'NGO'] as const)('refuses %s with a DENY event, changing nothing', async (sector) => {
    const { r, measureId } = await runningMeasure();
    const res = await gql(hub, u[sector].token, END, { id: measureId, on: '2021-06-30' });
    expect(errorCode(res)).toBe('FORBIDDEN');
    expect(await lastEvent(u[sector])).toMatchObject({
      action: 'DENY',
      entity_type: 'SocialSupportMeasure',
      entity_id: measureId,
      denied_fields: ['socialSupport'],
    });
    expect((await sectionRows('social_support_measure', r.id))[0]).toMatchObject({ ended_on: null });
  });

  it('answers NOT_FOUND to a social agency without access to the record, without naming the returnee', async () => {
    const { r, measureId } = await runningMeasure();
    const stranger = await makeSectorUser(hub.db.orm, 'SOCIAL');
    const res = await gql(hub, stranger.token, END, { id: measureId, on: '2021-06-30' });
    expect(errorCode(res)).toBe('NOT_FOUND');
    expect(await lastEvent(stranger)).toMatchObject({ action: 'UPDATE', outcome: 'NOT_FOUND', entity_id: measureId, returnee_id: null });
    expect((await sectionRows('social_support_measure', r.id))[0]).toMatchObject({ ended_on: null });
  });

  it.each([
    ['an end before the start', '2019-12-31', /endedOn .* before startedOn/],
    ['an end in the future', '2999-01-01', /future/],
  ])('rejects %s as BAD_USER_INPUT, changing nothing', async (_, on, message) => {
    const { r, measureId } = await runningMeasure();
    const res = await gql(hub, u.SOCIAL.token, END, { id: measureId, on });
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toMatch(message);
    expect((await sectionRows('social_support_measure', r.id))[0]).toMatchObject({ ended_on: null });
  });

  it('rejects an id that is not a UUID as BAD_USER_INPUT', async () => {
    const res = await gql(hub, u.SOCIAL.token, END, { id: 'not-a-uuid', on: '2021-06-30' });
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
  });
});

describe('recordSupportSession', () => {
  const stay = {
    kind: 'REHABILITATION_CENTRE_STAY',
    startedOn: '2019-06-01',
    endedOn: '2019-07-13',
    place: 'Aqtobe rehabilitation centre',
    notes: 'Six weeks with psychologist and theologian',
    riskNotes: 'Harassed by neighbours',
    engagementStatus: 'ENGAGED',
  };

  it('lets NGO record a stay and set the engagement status, with history, one event per row', async () => {
    const r = await sharedRecord();
    const res = await gql(hub, u.NGO.token, SESSION, { id: r.id, input: stay });
    expect(res.errors).toBeUndefined();
    const { engagementStatus, ...session } = stay;
    expect(res.data.recordSupportSession.returnee).toMatchObject({
      version: 2,
      engagementStatus,
      supportSessions: [{ ...session, agency: { id: u.NGO.agency.id } }],
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
    await gql(hub, u.NGO.token, SESSION, {
      id: r.id,
      input: { kind: 'COUNSELLING', startedOn: '2020-01-10', engagementStatus: 'ENGAGED' },
    });
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
    const input =
      sector === 'HEALTH'
        ? { kind: 'COUNSELLING', startedOn: '2020-01-10' }
        : { kind: 'COUNSELLING', startedOn: '2020-01-10', engagementStatus: 'DISENGAGED' };
    const res = await gql(hub, u[sector].token, SESSION, { id: r.id, input });
    expect(errorCode(res)).toBe('FORBIDDEN');
    expect(res.errors![0].extensions!.fields).toEqual(fields);
    expect(await lastEvent(u[sector])).toMatchObject({
      action: 'DENY',
      entity_type: 'SupportSession',
      returnee_id: r.id,
      denied_fields: fields,
    });
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
    expect(await lastEvent(u.NGO)).toMatchObject({
      action: 'CREATE',
      entity_type: 'SupportSession',
      outcome: 'NOT_FOUND',
      returnee_id: r.id,
    });
  });
});
