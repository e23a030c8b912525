import { definePolicy } from '../src/access/policy';

/** NGOs: rehabilitation centres, psychologists, community reintegration programmes. */
export const ngoPolicy = definePolicy({
  sector: 'NGO',
  purpose:
    'Run psychosocial rehabilitation and community support. NGO staff may register returnees ' +
    'they meet first, keep the psychosocial section, and see support and status summaries.',
  recordScope: 'case',
  sections: {
    IDENTITY: 'write',
    CONTACT: 'read',
    HEALTH_FLAGS: 'read',
    EDUCATION_SUMMARY: 'read',
    DOCUMENTS_STATUS: 'read',
    SOCIAL_SUPPORT: 'read',
    PSYCHOSOCIAL: 'write',
    PSYCHOSOCIAL_SUMMARY: 'write',
  },
  // No break-glass: NGO staff ask a health or social-protection agency in an emergency.
  readRoles: ['CASEWORKER', 'SUPERVISOR'],
  writeRoles: ['CASEWORKER', 'SUPERVISOR'],
  registersReturnees: true,
  grantRoles: ['SUPERVISOR'],
  // Rehabilitation-centre psychologists and case managers meet the person first and work with
  // them for weeks: they take and record consent. A guardian's consent needs the guardian on
  // record to be visible to them (CONTACT is shared with NGO only under consent), see
  // src/consent/consent-giver.ts.
  consentRoles: ['CASEWORKER', 'SUPERVISOR'],
  adminRoles: [],
  auditRoles: [],
});
