import type { HubServer } from '../src/server';
import { auditRowsFor } from './support/audit';
import { giveConsent, grantAccess, makeAgreement, makeReturnee, makeSectorUser, makeStaff, type StaffFixture } from './support/factories';
import { fillSections } from './support/section-factories';
import { gql, sqlClient, startHub } from './support/hub';

/**
 * Data-sharing agreements (issue 14, item 1) over HTTP against PostgreSQL. The health policy
 * shares SOCIAL_SUPPORT with a clinic only under an agreement with the registering agency AND
 * the person's consent (policies/health.policy.ts, `agreements`): no agreement, no section; an
 * agreement expiring or suspended cuts it on the next request; each read names the agreement
 * (id, version) and the consent it rested on.
 */
const RECORD = `query($id: ID!) { returnee(id: $id) { id socialSupport { kind } redactedFields } }`;

let hub: HubServer;
const u = {} as Record<'HEALTH' | 'EDUCATION' | 'SOCIAL' | 'NGO', StaffFixture>;

beforeAll(async () => {
  hub = await startHub();
  for (const s of ['HEALTH', 'EDUCATION', 'SOCIAL', 'NGO'] as const) u[s] = await makeSectorUser(hub.db.orm, s);
});
afterAll(() => hub.stop());

async function sql(text: string, params: unknown[]) {
  const client = await sqlClient();
  try {
    return (await client.query(text, params)).rows;
  } finally {
    await client.end();
  }
}

async function readSupport(clinic: StaffFixture, id: string) {
  const res = await gql(hub, clinic.token, RECORD, { id });
  expect(res.errors).toBeUndefined();
  return res.data.returnee as { socialSupport: { kind: string }[] | null; redactedFields: string[] };
}

async function lastRead(clinic: StaffFixture, id: string) {
  const reads = (await auditRowsFor(clinic.staff.id)).filter((e) => e.action === 'READ' && e.returnee_id === id);
  return reads.at(-1) as unknown as { basis: { section: string; kind: string; ref?: string; version?: number; consentRef?: string }[] };
}

async function sharedRecord(clinic: StaffFixture) {
  const r = await makeReturnee(hub.db.orm, u.SOCIAL.agency);
  await fillSections(hub.db.orm, r, u);
  await grantAccess(hub.db.orm, r, clinic.agency);
  return r;
}

it('opens a section that needs an agreement only under an agreement and a consent, and names both', async () => {
  const clinic = await makeSectorUser(hub.db.orm, 'HEALTH');
  const r = await sharedRecord(clinic);
  const consent = await giveConsent(hub.db.orm, r, u.SOCIAL, ['HEALTH']);
  // Consent alone: not enough for this section.
  expect(await readSupport(clinic, r.id)).toMatchObject({ socialSupport: null, redactedFields: expect.arrayContaining(['socialSupport']) });

  const agreement = await makeAgreement(hub.db.orm, u.SOCIAL.agency, clinic);
  const open = await readSupport(clinic, r.id);
  expect(open.socialSupport).toEqual([{ kind: 'BENEFIT' }]);
  expect(open.redactedFields).not.toContain('socialSupport');
  expect((await lastRead(clinic, r.id)).basis).toContainEqual({
    section: 'SOCIAL_SUPPORT',
    kind: 'AGREEMENT',
    ref: agreement.id,
    version: 1,
    consentRef: consent.id,
  });

  // The agreement without the consent: closed again.
  await sql('update consent set revoked_at = now() where id = $1', [consent.id]);
  expect((await readSupport(clinic, r.id)).socialSupport).toBeNull();
});

it('cuts the sharing on the next request when the agreement expires', async () => {
  const clinic = await makeSectorUser(hub.db.orm, 'HEALTH');
  const r = await sharedRecord(clinic);
  await giveConsent(hub.db.orm, r, u.SOCIAL, ['HEALTH']);
  const agreement = await makeAgreement(hub.db.orm, u.SOCIAL.agency, clinic);
  expect((await readSupport(clinic, r.id)).socialSupport).toHaveLength(1);
  // It ended yesterday.
  await sql(`update sharing_agreement set valid_until = current_date - 1 where id = $1`, [agreement.id]);
  const after = await readSupport(clinic, r.id);
  expect(after.socialSupport).toBeNull();
  expect(after.redactedFields).toContain('socialSupport');
  expect((await lastRead(clinic, r.id)).basis.map((b) => b.section)).not.toContain('SOCIAL_SUPPORT');
});

it('does not open the section to an agency the agreement does not name, nor for records of another holder', async () => {
  const clinic = await makeSectorUser(hub.db.orm, 'HEALTH');
  const other = await makeSectorUser(hub.db.orm, 'HEALTH');
  const r = await sharedRecord(clinic);
  await grantAccess(hub.db.orm, r, other.agency);
  await giveConsent(hub.db.orm, r, u.SOCIAL, ['HEALTH']);
  // An agreement of another holder with the clinic, and one of the holder with another clinic.
  const elsewhere = await makeSectorUser(hub.db.orm, 'SOCIAL');
  await makeAgreement(hub.db.orm, elsewhere.agency, clinic);
  expect((await readSupport(clinic, r.id)).socialSupport).toBeNull();
  await makeAgreement(hub.db.orm, u.SOCIAL.agency, other);
  expect((await readSupport(clinic, r.id)).socialSupport).toBeNull();
  expect((await readSupport(other, r.id)).socialSupport).toHaveLength(1);
});

const AGREEMENT = `id version active sections suspendedAt versions { version sections }`;
const CREATE = `mutation($input: CreateSharingAgreementInput!) { createSharingAgreement(input: $input) { ${AGREEMENT} } }`;
const AMEND = `mutation($id: ID!, $v: Int!, $terms: AgreementTermsInput!) { amendSharingAgreement(id: $id, expectedVersion: $v, terms: $terms) { ${AGREEMENT} } }`;
const SUSPEND = `mutation($input: SuspendSharingAgreementInput!) { suspendSharingAgreement(input: $input) { ${AGREEMENT} } }`;

it('is recorded, amended (versions kept) and suspended through GraphQL by an administrator, audited, and suspension cuts sharing', async () => {
  const orm = hub.db.orm;
  const admin = await makeSectorUser(orm, 'ADMINISTRATION', ['ADMIN']);
  const clinic = await makeSectorUser(orm, 'HEALTH');
  const holderChief = await makeStaff(orm, u.SOCIAL.agency, ['SUPERVISOR']);
  const clinicChief = await makeStaff(orm, clinic.agency, ['SUPERVISOR']);
  const r = await sharedRecord(clinic);
  await giveConsent(orm, r, u.SOCIAL, ['HEALTH']);
  const terms = {
    purposes: ['Outreach and home visits'],
    sections: ['SOCIAL_SUPPORT'],
    validFrom: '2024-01-01',
    documentRef: 'MoU 2024/17',
    signatories: [
      { staffId: holderChief.staff.id, signedOn: '2023-12-20' },
      { staffId: clinicChief.staff.id, signedOn: '2023-12-21' },
    ],
  };
  const input = { ...terms, holderAgencyId: u.SOCIAL.agency.id, recipientAgencyId: clinic.agency.id };

  // A caseworker may not record one: refused and audited.
  const refused = await gql(hub, clinic.token, CREATE, { input });
  expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  expect((await auditRowsFor(clinic.staff.id)).map((e) => [e.action, e.entity_type])).toContainEqual(['DENY', 'SharingAgreement']);
  // One side alone has not signed it.
  const oneSide = await gql(hub, admin.token, CREATE, { input: { ...input, signatories: [terms.signatories[0], terms.signatories[0]] } });
  expect(oneSide.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

  const created = await gql(hub, admin.token, CREATE, { input });
  expect(created.errors).toBeUndefined();
  const a = created.data.createSharingAgreement;
  expect(a).toMatchObject({ version: 1, active: true, sections: ['SOCIAL_SUPPORT'], versions: [{ version: 1 }] });
  expect((await readSupport(clinic, r.id)).socialSupport).toHaveLength(1);

  const amended = await gql(hub, admin.token, AMEND, { id: a.id, v: 1, terms: { ...terms, sections: ['SOCIAL_SUPPORT', 'CONTACT'] } });
  expect(amended.errors).toBeUndefined();
  expect(amended.data.amendSharingAgreement.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
  const stale = await gql(hub, admin.token, AMEND, { id: a.id, v: 1, terms });
  expect(stale.errors?.[0].extensions?.code).toBe('CONFLICT');
  await readSupport(clinic, r.id);
  expect((await lastRead(clinic, r.id)).basis).toContainEqual(
    expect.objectContaining({ section: 'SOCIAL_SUPPORT', ref: a.id, version: 2 }),
  );

  const suspended = await gql(hub, admin.token, SUSPEND, { input: { id: a.id, reason: 'Memorandum under review' } });
  expect(suspended.data.suspendSharingAgreement).toMatchObject({ active: false });
  expect((await readSupport(clinic, r.id)).socialSupport).toBeNull();
  // The changes, and the two refusals (one side only, stale version), are in the trail.
  const events = (await auditRowsFor(admin.staff.id)).filter((e) => e.entity_type === 'SharingAgreement' && e.action !== 'READ');
  expect(events.map((e) => [e.action, e.outcome])).toEqual([
    ['DENY', 'INVALID'],
    ['CREATE', 'SUCCESS'],
    ['UPDATE', 'SUCCESS'],
    ['DENY', 'CONFLICT'],
    ['UPDATE', 'SUCCESS'],
  ]);
});
