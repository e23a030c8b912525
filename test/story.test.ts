import type { HubServer } from '../src/server';
import { auditRowsFor } from './support/audit';
import { makeAgency, makeStaff, type StaffFixture } from './support/factories';
import { errorCode, gql, startHub } from './support/hub';

/**
 * The story of issue 3, over HTTP only: a returnee registered by a social-protection agency
 * is referred to a health agency, accepted, assessed, and then seen by an education agency
 * only in the fields and under the consent the policy matrix says.
 */
let hub: HubServer;
const staff: Record<string, StaffFixture> = {};

beforeAll(async () => {
  hub = await startHub();
  const orm = hub.db.orm;
  for (const sector of ['SOCIAL', 'HEALTH', 'EDUCATION'] as const) {
    const agency = await makeAgency(orm, sector, 'KZ');
    staff[`${sector}-caseworker`] = await makeStaff(orm, agency, ['CASEWORKER']);
    staff[`${sector}-supervisor`] = await makeStaff(orm, agency, ['SUPERVISOR']);
  }
});
afterAll(() => hub.stop());

const as = (who: string, query: string, variables: Record<string, unknown> = {}) => gql(hub, staff[who].token, query, variables);

it('walks register -> consent -> refer -> accept -> assess -> share with education', async () => {
  // 1. Social protection registers a 9-year-old boy born in Al-Hol camp.
  const reg = await as(
    'SOCIAL-caseworker',
    `mutation($input: RegisterReturneeInput!) { registerReturnee(input: $input) { returnee { id caseNumber } } }`,
    {
      input: {
        givenName: 'Amir',
        familyName: 'Tulegenov',
        otherNames: ['Әмір Төлегенов'],
        sex: 'MALE',
        dateOfBirth: '2017-04-10',
        dateOfBirthEstimated: true,
        placeOfBirth: 'Al-Hol camp, Syria',
        returnedOn: '2023-06-01',
        returnedFrom: 'SY',
        region: 'Aqtobe',
        address: '7 Zhubanov street',
        guardianName: 'Gulnar Tulegenova',
        guardianRelation: 'grandmother (appointed guardian)',
      },
    },
  );
  expect(reg.errors).toBeUndefined();
  const id = reg.data.registerReturnee.returnee.id;

  // 2. The grandmother consents: health may see identity and contact; education identity and the health flags.
  const consent = `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id active } }`;
  expect(
    (
      await as('SOCIAL-caseworker', consent, {
        input: {
          returneeId: id,
          givenBy: 'GUARDIAN',
          guardianName: 'Gulnar Tulegenova',
          sectors: ['HEALTH'],
          sections: ['IDENTITY', 'CONTACT'],
          purpose: 'Health screening and treatment',
        },
      })
    ).data.recordConsent.active,
  ).toBe(true);

  // 3. Referred to health, accepted by the health supervisor.
  const healthAgencyId = staff['HEALTH-caseworker'].agency.id;
  const ref = await as('SOCIAL-caseworker', `mutation($input: ReferReturneeInput!) { referReturnee(input: $input) { id status } }`, {
    input: { returneeId: id, toAgencyId: healthAgencyId, service: 'health screening', reason: 'Arrival screening; estimated age' },
  });
  expect(ref.data.referReturnee.status).toBe('PENDING');
  expect(errorCode(await as('HEALTH-caseworker', `query($id: ID!) { returnee(id: $id) { id } }`, { id }))).toBe('NOT_FOUND');
  const accepted = await as('HEALTH-supervisor', `mutation($input: DecideReferralInput!) { acceptReferral(input: $input) { status } }`, {
    input: { id: ref.data.referReturnee.id },
  });
  expect(accepted.data.acceptReferral.status).toBe('ACCEPTED');

  // 4. Health assesses him; the shareable flags follow.
  const assessed = await as(
    'HEALTH-caseworker',
    `mutation($id: ID!, $input: RecordHealthAssessmentInput!) { recordHealthAssessment(returneeId: $id, input: $input) { returnee { givenName address followUpNeeded fitForSchool healthAssessments { findings } } } }`,
    {
      id,
      input: {
        assessedOn: '2023-06-05',
        findings: 'Underweight for age; latent TB screening negative',
        conditions: ['E44.1'],
        followUpNeeded: true,
        fitForSchool: true,
        accommodationsNeeded: 'Free school meals',
      },
    },
  );
  expect(assessed.errors).toBeUndefined();
  expect(assessed.data.recordHealthAssessment.returnee).toMatchObject({
    givenName: 'Amir',
    address: '7 Zhubanov street',
    fitForSchool: true,
  });

  // 5. Education: the social supervisor grants access for school placement.
  const eduAgencyId = staff['EDUCATION-caseworker'].agency.id;
  const grant = await as('SOCIAL-supervisor', `mutation($input: GrantCaseAccessInput!) { grantCaseAccess(input: $input) { id } }`, {
    input: { returneeId: id, agencyId: eduAgencyId, reason: 'School placement' },
  });
  expect(grant.errors).toBeUndefined();
  const READ = `query($id: ID!) { returnee(id: $id) { caseNumber givenName familyName isMinor address region followUpNeeded fitForSchool accommodationsNeeded healthAssessments { findings } redactedFields } }`;

  // Without the guardian's consent for education, only the legal basis for minors applies: identity and fitness for school.
  const before = (await as('EDUCATION-caseworker', READ, { id })).data.returnee;
  expect(before).toMatchObject({
    givenName: 'Amir',
    isMinor: true,
    fitForSchool: true,
    accommodationsNeeded: 'Free school meals',
    address: null,
    region: null,
    healthAssessments: null,
  });
  expect(before.redactedFields).toEqual(expect.arrayContaining(['address', 'region', 'healthAssessments']));

  // Never the health findings or contact details, whatever the consent says: the matrix gives education neither.
  await as('SOCIAL-caseworker', consent, {
    input: {
      returneeId: id,
      givenBy: 'GUARDIAN',
      guardianName: 'Gulnar Tulegenova',
      sectors: ['EDUCATION'],
      sections: ['IDENTITY', 'CONTACT', 'HEALTH', 'HEALTH_FLAGS'],
      purpose: 'School placement',
    },
  });
  const after = (await as('EDUCATION-caseworker', READ, { id })).data.returnee;
  expect(after).toMatchObject({ givenName: 'Amir', fitForSchool: true, address: null, healthAssessments: null });

  // Every step is in the trail, with field names and no values.
  const eduEvents = await auditRowsFor(staff['EDUCATION-caseworker'].staff.id);
  expect(eduEvents.map((e) => [e.action, e.outcome])).toEqual([
    ['READ', 'SUCCESS'],
    ['READ', 'SUCCESS'],
  ]);
  expect(eduEvents[0].denied_fields).toEqual(expect.arrayContaining(['address', 'region', 'healthAssessments']));
  expect(eduEvents[0].fields).toEqual(expect.arrayContaining(['givenName', 'fitForSchool']));
  expect(JSON.stringify(eduEvents)).not.toMatch(/Amir|Zhubanov|Underweight/);
  const healthEvents = await auditRowsFor(staff['HEALTH-caseworker'].staff.id);
  expect(healthEvents.map((e) => [e.action, e.entity_type, e.outcome])).toEqual([
    ['READ', 'Returnee', 'NOT_FOUND'],
    ['CREATE', 'HealthAssessment', 'SUCCESS'],
    ['UPDATE', 'Returnee', 'SUCCESS'],
    ['READ', 'Returnee', 'SUCCESS'],
  ]);
});
