import { definePolicy } from '../src/access/policy';

/** Education: literacy classes, schools, boarding schools. */
export const educationPolicy = definePolicy({
  sector: 'EDUCATION',
  purpose:
    'Place children in literacy classes and school. Education staff see who the child is and ' +
    'whether they are fit for school, never contact details, health findings or documents.',
  recordScope: 'case',
  sections: {
    IDENTITY: 'read',
    HEALTH_FLAGS: 'read',
    EDUCATION: 'write',
    EDUCATION_SUMMARY: 'write',
    DOCUMENTS_STATUS: 'read',
  },
  // Children must be placed in school whether or not a guardian can be reached to consent:
  // while the agency works on the case it may see who the child is and whether they are fit
  // for school. Nothing else of a minor is shared without the guardian's consent.
  minorsWithoutConsent: {
    sections: ['IDENTITY', 'HEALTH_FLAGS'],
    legalBasis: 'Compulsory-education duty of the state towards every child (national education laws of KZ, KG, TJ, UZ)',
  },
  // No break-glass: schools call health or social protection in an emergency.
  readRoles: ['CASEWORKER', 'SUPERVISOR'],
  writeRoles: ['CASEWORKER', 'SUPERVISOR'],
  registersReturnees: false,
  grantRoles: ['SUPERVISOR'],
  // Education receives sections under consent; it does not record the consent that would open
  // them to itself, and it cannot see a child's guardian (CONTACT) to check who consents.
  // Teachers send the family to the social-protection or NGO caseworker on the case.
  consentRoles: [],
  adminRoles: [],
  auditRoles: [],
});
