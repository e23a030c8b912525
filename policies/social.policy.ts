import { definePolicy } from '../src/access/policy';

/** Social protection: registration, civil documents, benefits, guardianship. */
export const socialPolicy = definePolicy({
  sector: 'SOCIAL',
  purpose:
    'Register returnees, restore civil documents, decide benefits, housing and guardianship. ' +
    'Social-protection staff own identity and contact data and the documents section.',
  recordScope: 'case',
  sections: {
    IDENTITY: 'write',
    CONTACT: 'write',
    HEALTH_FLAGS: 'read',
    EDUCATION_SUMMARY: 'read',
    DOCUMENTS: 'write',
    DOCUMENTS_STATUS: 'write',
    SOCIAL_SUPPORT: 'write',
    PSYCHOSOCIAL_SUMMARY: 'read',
  },
  readRoles: ['CASEWORKER', 'SUPERVISOR'],
  writeRoles: ['CASEWORKER', 'SUPERVISOR'],
  registersReturnees: true,
  grantRoles: ['SUPERVISOR'],
  // Social workers work with the person and the family over time, keep the contact section where
  // the guardian on record is, and decide guardianship: they take and record consent.
  consentRoles: ['CASEWORKER', 'SUPERVISOR'],
  adminRoles: [],
  auditRoles: [],
});
