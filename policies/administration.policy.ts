import { definePolicy } from '../src/access/policy';

/** Operators who onboard agencies and staff. */
export const administrationPolicy = definePolicy({
  sector: 'ADMINISTRATION',
  purpose: 'Onboard agencies and staff and deactivate accounts. Administrators see no case contents ' + 'and no returnee records at all.',
  recordScope: 'none',
  sections: {},
  readRoles: [],
  writeRoles: [],
  registersReturnees: false,
  grantRoles: [],
  consentRoles: [],
  adminRoles: ['ADMIN'],
  auditRoles: [],
});
