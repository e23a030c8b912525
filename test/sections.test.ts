import type { HubServer } from '../src/server';
import { auditRowsFor } from './support/audit';
import { giveConsent, grantAccess, makeReturnee, makeSectorUser, type StaffFixture } from './support/factories';
import { errorCode, gql, sqlClient, startHub } from './support/hub';
import { fillSections, returneeRow, revisionsOf, sectionRows } from './support/section-factories';

/**
 * The education and documents sections over real HTTP: the owning sector writes them (values
 * stored, one audit event per row touched, history kept), every other sector is refused whole
 * with a DENY event, stale versions conflict, bad input is BAD_USER_INPUT, and status readers
 * never see document numbers. Social support and psychosocial: sections-support.test.ts.
 */
const EDUCATION = `mutation Edu($id: ID!, $v: Int!, $input: UpdateEducationInput!) {
  updateEducation(returneeId: $id, expectedVersion: $v, input: $input) { returnee {
    id version literacyLevel languages specialClasses enrolmentStatus school grade
    educationProgressNotes { notedOn note agency { id } } } } }`;
const DOCUMENT = `mutation Doc($id: ID!, $input: RecordCivilDocumentInput!) {
  recordCivilDocument(returneeId: $id, input: $input) { returnee {
    id civilDocuments { type status number issuedOn appliedOn issuingAuthority notes agency { id } }
    documentStatuses { type status lastChangedAt } } } }`;
const READ = `query Read($id: ID!) { returnee(id: $id) { id redactedFields
  literacyLevel languages specialClasses educationProgressNotes { note } enrolmentStatus school grade
  civilDocuments { type number } documentStatuses { type status lastChangedAt }
  socialSupport { kind } supportSessions { kind place } engagementStatus } }`;

let hub: HubServer;
const u = {} as Record<'HEALTH' | 'EDUCATION' | 'SOCIAL' | 'NGO', StaffFixture>;

/** A record registered by the SOCIAL fixture, shared with the other three agencies. */
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

describe('updateEducation', () => {
  const input = {
    literacyLevel: 'BASIC',
    languages: ['Kazakh', 'Arabic'],
    specialClasses: ['State-language literacy class'],
    enrolmentStatus: 'LITERACY_CLASS',
    school: 'School-lyceum No. 12, Aqtobe',
    grade: '2',
    progressNote: { notedOn: '2024-03-01', note: 'Reads simple words; joins in class' },
  };

  it('lets EDUCATION set the fields and append a note, keeping history, one audit event per row', async () => {
    const r = await sharedRecord({ dateOfBirth: '2015-04-01' });
    const res = await gql(hub, u.EDUCATION.token, EDUCATION, { id: r.id, v: 1, input });
    expect(res.errors).toBeUndefined();
    expect(res.data.updateEducation.returnee).toMatchObject({
      version: 2,
      literacyLevel: 'BASIC',
      languages: ['Kazakh', 'Arabic'],
      enrolmentStatus: 'LITERACY_CLASS',
      grade: '2',
      educationProgressNotes: [{ notedOn: '2024-03-01', note: input.progressNote.note, agency: { id: u.EDUCATION.agency.id } }],
    });
    expect(await returneeRow(r.id)).toMatchObject({
      literacy_level: 'BASIC',
      special_classes: ['State-language literacy class'],
      school: input.school,
    });
    expect(await revisionsOf(r.id)).toEqual([
      {
        version: 1,
        fields: ['literacyLevel', 'languages', 'specialClasses', 'enrolmentStatus', 'school', 'grade'],
        previous: { literacyLevel: null, languages: null, specialClasses: null, enrolmentStatus: null, school: null, grade: null },
      },
    ]);
    const [note] = await sectionRows('education_progress_note', r.id);
    const events = (await auditRowsFor(u.EDUCATION.staff.id)).filter((e) => e.returnee_id === r.id);
    expect(events.map((e) => [e.action, e.entity_type, e.entity_id, e.outcome])).toEqual([
      ['UPDATE', 'Returnee', r.id, 'SUCCESS'],
      ['CREATE', 'EducationProgressNote', note.id, 'SUCCESS'],
      ['READ', 'Returnee', r.id, 'SUCCESS'],
    ]);
    expect(events[0].fields).toEqual(['literacyLevel', 'languages', 'specialClasses', 'enrolmentStatus', 'school', 'grade']);
    expect(JSON.stringify(events)).not.toContain('Arabic');
  });

  it.each(['HEALTH', 'SOCIAL', 'NGO'] as const)('refuses %s whole, naming the fields, writing nothing', async (sector) => {
    const r = await sharedRecord();
    const res = await gql(hub, u[sector].token, EDUCATION, {
      id: r.id,
      v: 1,
      input: { enrolmentStatus: 'ENROLLED', progressNote: input.progressNote },
    });
    expect(errorCode(res)).toBe('FORBIDDEN');
    expect(res.errors![0].extensions!.fields).toEqual(['enrolmentStatus', 'educationProgressNotes']);
    expect(await lastEvent(u[sector])).toMatchObject({
      action: 'DENY',
      outcome: 'DENIED',
      returnee_id: r.id,
      operation: 'updateEducation',
      denied_fields: ['enrolmentStatus', 'educationProgressNotes'],
    });
    expect(await returneeRow(r.id)).toMatchObject({ version: 1, enrolment_status: null });
    expect(await sectionRows('education_progress_note', r.id)).toEqual([]);
  });

  it('answers a stale version with CONFLICT and writes nothing, not even the note', async () => {
    const r = await sharedRecord();
    expect((await gql(hub, u.EDUCATION.token, EDUCATION, { id: r.id, v: 1, input: { grade: '3' } })).errors).toBeUndefined();
    const stale = await gql(hub, u.EDUCATION.token, EDUCATION, { id: r.id, v: 1, input: { grade: '4', progressNote: input.progressNote } });
    expect(errorCode(stale)).toBe('CONFLICT');
    expect(stale.errors![0].extensions!.currentVersion).toBe(2);
    expect(await returneeRow(r.id)).toMatchObject({ version: 2, grade: '3' });
    expect(await sectionRows('education_progress_note', r.id)).toEqual([]);
    expect(await lastEvent(u.EDUCATION)).toMatchObject({ action: 'UPDATE', outcome: 'CONFLICT', returnee_id: r.id });
  });

  it.each([
    ['too many languages', { languages: Array.from({ length: 11 }, (_, i) => `Language ${i}`) }, /languages/],
    ['an empty grade', { grade: '' }, /grade/],
    ['a note dated in the future', { progressNote: { notedOn: '2999-01-01', note: 'x' } }, /future/],
    ['a note before the date of birth', { progressNote: { notedOn: '2014-01-01', note: 'x' } }, /date of birth/],
    ['an empty note', { progressNote: { notedOn: '2024-01-01', note: '' } }, /note/],
    ['nothing to change', {}, /nothing to change/],
    ['an unknown literacy level', { literacyLevel: 'EXPERT' }, /EXPERT/],
  ])('rejects %s as BAD_USER_INPUT, writing nothing', async (_, bad, message) => {
    // A child: EDUCATION reads a minor's identity on its legal basis, so the date of birth is
    // checked (for an adult without consent it is not: the refusal would disclose the date).
    const r = await sharedRecord({ dateOfBirth: '2015-04-01' });
    const res = await gql(hub, u.EDUCATION.token, EDUCATION, { id: r.id, v: 1, input: bad });
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toMatch(message);
    expect((await returneeRow(r.id)).version).toBe(1);
    expect(await sectionRows('education_progress_note', r.id)).toEqual([]);
  });

  it('answers NOT_FOUND for a record the EDUCATION agency has no access to', async () => {
    const r = await makeReturnee(hub.db.orm, u.SOCIAL.agency);
    const res = await gql(hub, u.EDUCATION.token, EDUCATION, { id: r.id, v: 1, input: { grade: '1' } });
    expect(errorCode(res)).toBe('NOT_FOUND');
    expect(await lastEvent(u.EDUCATION)).toMatchObject({ action: 'UPDATE', outcome: 'NOT_FOUND', returnee_id: r.id });
  });
});

describe('recordCivilDocument', () => {
  it('lets SOCIAL record a passport, then its issue as a new version that keeps the old one', async () => {
    const r = await sharedRecord();
    const applied = await gql(hub, u.SOCIAL.token, DOCUMENT, {
      id: r.id,
      input: { type: 'PASSPORT', status: 'APPLIED', appliedOn: '2020-01-10', issuingAuthority: 'Migration Service, Aqtobe' },
    });
    expect(applied.errors).toBeUndefined();
    const issued = await gql(hub, u.SOCIAL.token, DOCUMENT, {
      id: r.id,
      input: { type: 'PASSPORT', status: 'ISSUED', number: 'N12345678', issuedOn: '2020-03-02' },
    });
    expect(issued.errors).toBeUndefined();
    const record = issued.data.recordCivilDocument.returnee;
    expect(record.civilDocuments).toEqual([
      {
        type: 'PASSPORT',
        status: 'ISSUED',
        number: 'N12345678',
        issuedOn: '2020-03-02',
        appliedOn: '2020-01-10',
        issuingAuthority: 'Migration Service, Aqtobe',
        notes: null,
        agency: { id: u.SOCIAL.agency.id },
      },
    ]);
    expect(record.documentStatuses.map((s: { type: string; status: string }) => [s.type, s.status])).toEqual([
      ['PASSPORT', 'ISSUED'],
      ['BIRTH_CERTIFICATE', 'MISSING'],
      ['ID_CARD', 'MISSING'],
    ]);
    expect(record.documentStatuses[0].lastChangedAt).toEqual(expect.any(String));
    expect(record.documentStatuses[1].lastChangedAt).toBeNull();

    const rows = await sectionRows('civil_document', r.id);
    expect(rows.map((d) => [d.status, d.number, d.superseded_at === null])).toEqual([
      ['APPLIED', null, false],
      ['ISSUED', 'N12345678', true],
    ]);
    const events = (await auditRowsFor(u.SOCIAL.staff.id)).filter((e) => e.returnee_id === r.id && e.action !== 'READ');
    expect(events.map((e) => [e.action, e.entity_type, e.entity_id, e.fields])).toEqual([
      ['CREATE', 'CivilDocument', rows[0].id, ['type', 'status', 'issuingAuthority', 'appliedOn']],
      ['UPDATE', 'CivilDocument', rows[0].id, ['supersededAt']],
      ['CREATE', 'CivilDocument', rows[1].id, ['type', 'status', 'number', 'issuedOn', 'issuingAuthority', 'appliedOn']],
    ]);
    expect(JSON.stringify(events)).not.toContain('N12345678');
  });

  it('lets the database refuse any change to a version but its one superseding, and any delete', async () => {
    const r = await sharedRecord();
    await gql(hub, u.SOCIAL.token, DOCUMENT, { id: r.id, input: { type: 'ID_CARD', status: 'ISSUED', number: '041234567' } });
    const client = await sqlClient();
    try {
      await expect(client.query(`update civil_document set number = 'X1' where returnee_id = $1`, [r.id])).rejects.toThrow(/append-only/);
      await expect(client.query('delete from civil_document where returnee_id = $1', [r.id])).rejects.toThrow(/append-only/);
    } finally {
      await client.end();
    }
  });

  it('keeps one current version per type when recordings of a type race', async () => {
    const r = await sharedRecord();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        gql(hub, u.SOCIAL.token, DOCUMENT, {
          id: r.id,
          input: { type: 'BIRTH_CERTIFICATE', status: 'ISSUED', number: `I-AB ${100000 + i}` },
        }),
      ),
    );
    const codes = results.map((x) => (x.errors ? errorCode(x) : 'OK'));
    expect(codes.every((c) => c === 'OK' || c === 'CONFLICT')).toBe(true);
    const rows = await sectionRows('civil_document', r.id);
    expect(rows).toHaveLength(codes.filter((c) => c === 'OK').length);
    expect(rows.filter((d) => d.superseded_at === null)).toHaveLength(1);
  });

  it.each(['HEALTH', 'EDUCATION', 'NGO'] as const)('refuses %s with a DENY event, writing nothing', async (sector) => {
    const r = await sharedRecord();
    const res = await gql(hub, u[sector].token, DOCUMENT, { id: r.id, input: { type: 'PASSPORT', status: 'MISSING' } });
    expect(errorCode(res)).toBe('FORBIDDEN');
    expect(res.errors![0].extensions!.fields).toEqual(['civilDocuments']);
    expect(await lastEvent(u[sector])).toMatchObject({
      action: 'DENY',
      entity_type: 'CivilDocument',
      returnee_id: r.id,
      denied_fields: ['civilDocuments'],
    });
    expect(await sectionRows('civil_document', r.id)).toEqual([]);
  });

  it.each([
    ['a number on a MISSING document', { status: 'MISSING', number: 'N1' }, /MISSING document has no number/],
    [
      'an issue date before the application',
      { status: 'ISSUED', appliedOn: '2021-05-01', issuedOn: '2021-04-01' },
      /issuedOn .* before appliedOn/,
    ],
    ['an issue date in the future', { status: 'ISSUED', issuedOn: '2999-01-01' }, /future/],
    ['an application before the date of birth', { status: 'APPLIED', appliedOn: '1980-01-01' }, /date of birth/],
    ['a malformed number', { status: 'ISSUED', number: '<script>' }, /number must be/],
    ['an unknown type', { type: 'DRIVING_LICENCE', status: 'ISSUED' }, /DRIVING_LICENCE/],
  ])('rejects %s as BAD_USER_INPUT, writing nothing', async (_, bad, message) => {
    // A child: EDUCATION reads a minor's identity on its legal basis, so the date of birth is
    // checked (for an adult without consent it is not: the refusal would disclose the date).
    const r = await sharedRecord({ dateOfBirth: '2015-04-01' });
    const res = await gql(hub, u.SOCIAL.token, DOCUMENT, { id: r.id, input: { type: 'PASSPORT', ...bad } });
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toMatch(message);
    expect(await sectionRows('civil_document', r.id)).toEqual([]);
  });
});

describe('reading the sections', () => {
  it('shows DOCUMENTS_STATUS readers (with consent) the statuses, never the numbers', async () => {
    const r = await sharedRecord();
    await fillSections(hub.db.orm, r, u);
    await giveConsent(hub.db.orm, r, u.SOCIAL);
    for (const sector of ['HEALTH', 'EDUCATION', 'NGO'] as const) {
      const res = await gql(hub, u[sector].token, READ, { id: r.id });
      expect(res.errors).toBeUndefined();
      const record = res.data.returnee;
      expect(record.documentStatuses.map((s: { status: string }) => s.status)).toEqual(['ISSUED', 'MISSING', 'MISSING']);
      expect(record.civilDocuments).toBeNull();
      expect(record.redactedFields).toContain('civilDocuments');
      expect(JSON.stringify(res.data)).not.toContain('N12345678');
    }
  });

  it('shows each owner its own sections', async () => {
    const r = await sharedRecord();
    await fillSections(hub.db.orm, r, u);
    const read = async (sector: keyof typeof u) => (await gql(hub, u[sector].token, READ, { id: r.id })).data.returnee;
    expect(await read('EDUCATION')).toMatchObject({
      literacyLevel: 'BASIC',
      languages: ['Kazakh'],
      educationProgressNotes: [{ note: 'Reads simple words in Kazakh' }],
      enrolmentStatus: 'LITERACY_CLASS',
    });
    expect(await read('SOCIAL')).toMatchObject({
      civilDocuments: [{ type: 'PASSPORT', number: 'N12345678' }],
      socialSupport: [{ kind: 'BENEFIT' }],
      documentStatuses: [{ type: 'PASSPORT', status: 'ISSUED' }, { status: 'MISSING' }, { status: 'MISSING' }],
    });
    expect(await read('NGO')).toMatchObject({
      supportSessions: [{ kind: 'REHABILITATION_CENTRE_STAY', place: 'Aqtobe rehabilitation centre' }],
      engagementStatus: 'ENGAGED',
    });
  });

  it('hides sections the matrix denies a sector entirely, whatever the consent', async () => {
    const r = await sharedRecord();
    await fillSections(hub.db.orm, r, u);
    await giveConsent(hub.db.orm, r, u.SOCIAL);
    const denied = {
      HEALTH: ['literacyLevel', 'educationProgressNotes', 'civilDocuments', 'socialSupport', 'supportSessions'],
      EDUCATION: ['civilDocuments', 'socialSupport', 'supportSessions', 'engagementStatus'],
      SOCIAL: ['literacyLevel', 'languages', 'educationProgressNotes', 'supportSessions'],
      NGO: ['literacyLevel', 'specialClasses', 'educationProgressNotes', 'civilDocuments'],
    };
    for (const [sector, fields] of Object.entries(denied)) {
      const record = (await gql(hub, u[sector as keyof typeof u].token, READ, { id: r.id })).data.returnee;
      for (const f of fields) expect({ sector, f, value: record[f] }).toEqual({ sector, f, value: null });
      expect(record.redactedFields).toEqual(expect.arrayContaining(fields));
    }
  });
});
