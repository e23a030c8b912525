import type { HubServer } from '../src/server';
import { auditRowsFor } from './support/audit';
import { giveConsent, grantAccess, makeReturnee, makeSectorUser, type StaffFixture } from './support/factories';
import { errorCode, gql, startHub } from './support/hub';

/**
 * A consent's guardian fields are the record's CONTACT fields (issue 11, defect 2): each
 * sector sees them on `consents` exactly as it sees them on `returnee(id)` of the same record
 * (null and listed in redactedFields when hidden), and the READ event of each consent lists
 * exactly the fields returned, the withheld ones in denied_fields.
 */
const CONSENTS = `query($id: ID!) { consents(returneeId: $id) { id givenBy guardianName guardianReturneeId redactedFields } }`;
const RECORD = `query($id: ID!) { returnee(id: $id) { guardianName guardianReturneeId redactedFields } }`;
const GUARDIAN = ['guardianName', 'guardianReturneeId'];

let hub: HubServer;
const u = {} as Record<'HEALTH' | 'EDUCATION' | 'SOCIAL' | 'NGO', StaffFixture>;

beforeAll(async () => {
  hub = await startHub();
  for (const s of ['HEALTH', 'EDUCATION', 'SOCIAL', 'NGO'] as const) u[s] = await makeSectorUser(hub.db.orm, s);
});
afterAll(() => hub.stop());

/** What one sector sees of the guardian on the record and on its consent. */
async function views(sector: keyof typeof u, id: string) {
  const record = (await gql(hub, u[sector].token, RECORD, { id })).data.returnee;
  const [consent] = (await gql(hub, u[sector].token, CONSENTS, { id })).data.consents;
  return { record, consent };
}

it('shows each sector the guardian on a consent exactly as on the record, and audits what it returned', async () => {
  const orm = hub.db.orm;
  const child = await makeReturnee(orm, u.SOCIAL.agency, { dateOfBirth: '2016-05-01', guardianName: 'Gulnara Saidova' });
  for (const s of ['HEALTH', 'EDUCATION', 'NGO'] as const) await grantAccess(orm, child, u[s].agency);
  // The guardian shares identity with education and the NGO, nothing of the contact section.
  const consent = await giveConsent(orm, child, u.SOCIAL, ['EDUCATION', 'NGO'], ['IDENTITY']);

  const expected = { SOCIAL: 'Gulnara Saidova', HEALTH: 'Gulnara Saidova', EDUCATION: null, NGO: null } as const;
  for (const sector of ['SOCIAL', 'HEALTH', 'EDUCATION', 'NGO'] as const) {
    const { record, consent: c } = await views(sector, child.id);
    expect([sector, c.guardianName]).toEqual([sector, expected[sector]]);
    expect(c.guardianName).toBe(record.guardianName);
    expect(c.guardianReturneeId).toBeNull();
    expect(c.redactedFields).toEqual(['guardianReturneeId', 'guardianName'].filter((f) => record.redactedFields.includes(f)));
  }
  // EDUCATION's READ event of the consent: the fields it got, and the two it asked for and did not.
  const [event] = (await auditRowsFor(u.EDUCATION.staff.id)).filter((e) => e.entity_type === 'Consent');
  expect(event).toMatchObject({
    action: 'READ',
    entity_id: consent.id,
    returnee_id: child.id,
    fields: ['id', 'givenBy'],
    denied_fields: GUARDIAN,
    outcome: 'SUCCESS',
  });
  const [social] = (await auditRowsFor(u.SOCIAL.staff.id)).filter((e) => e.entity_type === 'Consent');
  expect(social).toMatchObject({ fields: ['id', 'givenBy', ...GUARDIAN], denied_fields: [] });

  // When the guardian shares the contact section with the NGO, both views open together.
  await giveConsent(orm, child, u.SOCIAL, ['NGO'], ['CONTACT']);
  const ngo = await gql(hub, u.NGO.token, CONSENTS, { id: child.id });
  expect(ngo.data.consents.map((c: { guardianName: string; redactedFields: string[] }) => [c.guardianName, c.redactedFields])).toEqual([
    ['Gulnara Saidova', []],
    ['Gulnara Saidova', []],
  ]);
  expect((await gql(hub, u.NGO.token, RECORD, { id: child.id })).data.returnee.guardianName).toBe('Gulnara Saidova');
});

it("answers NOT_FOUND outside the record's scope and FORBIDDEN to sectors without cases, audited", async () => {
  const r = await makeReturnee(hub.db.orm, u.SOCIAL.agency);
  const stranger = await makeSectorUser(hub.db.orm, 'EDUCATION');
  expect(errorCode(await gql(hub, stranger.token, CONSENTS, { id: r.id }))).toBe('NOT_FOUND');
  expect((await auditRowsFor(stranger.staff.id)).at(-1)).toMatchObject({
    action: 'READ',
    entity_type: 'Consent',
    outcome: 'NOT_FOUND',
    returnee_id: r.id,
  });
  const auditor = await makeSectorUser(hub.db.orm, 'OVERSIGHT', ['AUDITOR']);
  expect(errorCode(await gql(hub, auditor.token, CONSENTS, { id: r.id }))).toBe('FORBIDDEN');
  expect((await auditRowsFor(auditor.staff.id)).at(-1)).toMatchObject({ action: 'DENY', entity_type: 'Consent', returnee_id: r.id });
});
