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
  readRoles: ['CASEWORKER', 'SUPERVISOR'],
  writeRoles: ['CASEWORKER', 'SUPERVISOR'],
  registersReturnees: false,
  grantRoles: ['SUPERVISOR'],
  adminRoles: [],
  auditRoles: [],
});
