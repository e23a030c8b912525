import { definePolicy } from '../src/access/policy';

/** Oversight bodies and data-protection officers. */
export const oversightPolicy = definePolicy({
  sector: 'OVERSIGHT',
  purpose:
    'Review who read or changed what, when and why. Auditors read the audit trail and see a ' +
    'returnee only as its id and case number, in their own country, never its contents.',
  recordScope: 'country',
  sections: {},
  readRoles: ['AUDITOR'],
  writeRoles: [],
  registersReturnees: false,
  grantRoles: [],
  consentRoles: [],
  adminRoles: [],
  auditRoles: ['AUDITOR'],
});
