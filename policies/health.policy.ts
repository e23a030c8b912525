import { definePolicy } from '../src/access/policy';

/** Health agencies: polyclinics, hospitals, the medical staff of rehabilitation centres. */
export const healthPolicy = definePolicy({
  sector: 'HEALTH',
  purpose:
    'Examine and treat returnees. Health staff keep the full health section and publish only ' +
    'derived flags (follow-up needed, fit for school, accommodations) to other sectors.',
  recordScope: 'case',
  sections: {
    IDENTITY: 'read',
    CONTACT: 'read',
    HEALTH: 'write',
    HEALTH_FLAGS: 'write',
    EDUCATION_SUMMARY: 'read',
    DOCUMENTS_STATUS: 'read',
    SOCIAL_SUPPORT: 'read',
    PSYCHOSOCIAL_SUMMARY: 'read',
  },
  // Benefits, housing and guardianship decisions help a clinic plan outreach and home visits, but
  // they are the social-protection agency's file: a clinic sees them only where it has signed a
  // data-sharing agreement (memorandum) with the agency that registered the person that covers
  // this section, AND the person (or guardian) consents. The agreement ending or being suspended
  // closes it on the next request.
  agreements: {
    SOCIAL_SUPPORT: { requiresAgreement: true, consent: 'also' },
  },
  // A child's health cannot wait for a guardian to be found: health staff working on the case
  // may identify and contact a minor without consent; other sections still need it.
  minorsWithoutConsent: {
    sections: ['IDENTITY', 'CONTACT'],
    legalBasis: 'Duty to provide medical care to children in need of protection (national health and child-rights laws)',
  },
  // Break-glass: when a child's health or a life is at stake and no consent or case access can be
  // had in time, a health caseworker or supervisor may open the record (even one no health agency
  // has case access to) for at most 4 hours: who the person is, where to find them and their
  // guardian, the health section and flags, guardianship decisions (who may consent to treatment)
  // and the psychosocial summary. Every opening names a reason and is reviewed afterwards by a
  // health supervisor and a supervisor of the agency that registered the person.
  breakGlass: {
    roles: ['CASEWORKER', 'SUPERVISOR'],
    maxHours: 4,
    // A clinician on an emergency shift may meet several unidentified children in a day; more than
    // six openings by one person in 24 hours is not emergencies but a way around consent.
    maxPerDay: 6,
    reasons: ['CHILD_HEALTH_EMERGENCY', 'RISK_TO_LIFE'],
    outsideScope: true,
    sections: ['IDENTITY', 'CONTACT', 'HEALTH', 'HEALTH_FLAGS', 'SOCIAL_SUPPORT', 'PSYCHOSOCIAL_SUMMARY'],
  },
  readRoles: ['CASEWORKER', 'SUPERVISOR'],
  writeRoles: ['CASEWORKER', 'SUPERVISOR'],
  registersReturnees: false,
  grantRoles: ['SUPERVISOR'],
  // Health reads other sectors' sections under consent; recording the consent that opens them
  // to itself would let a reader vouch for its own access. Clinicians send the person (or the
  // guardian) to the social-protection or NGO caseworker on the case, who records it.
  consentRoles: [],
  adminRoles: [],
  auditRoles: [],
});
