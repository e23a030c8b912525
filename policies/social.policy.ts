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
  // Break-glass: to protect a child or a life (a child left without a guardian, a risk of harm),
  // a social-protection SUPERVISOR (not a caseworker) may open a record of the country outside
  // the agency's scope for at most 2 hours: identity, contact, support and guardianship decisions,
  // health flags and the psychosocial summary. Not civil-document numbers, not health details.
  // Reviewed afterwards like every opening.
  breakGlass: {
    roles: ['SUPERVISOR'],
    maxHours: 2,
    // Safeguarding emergencies are rarer than a clinic's: three openings by one supervisor in 24
    // hours is the most the policy allows before the next one is refused (and audited).
    maxPerDay: 3,
    reasons: ['SAFEGUARDING', 'RISK_TO_LIFE'],
    outsideScope: true,
    sections: ['IDENTITY', 'CONTACT', 'SOCIAL_SUPPORT', 'HEALTH_FLAGS', 'PSYCHOSOCIAL_SUMMARY'],
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
