import { declareSection } from './declaration';

/**
 * The record itself (the `returnee` table). REFERENCE is not in the DESIGN.md matrix: it is what
 * anyone whose policy lets them see a record at all may see (the id and case number an auditor
 * needs to name a record without reading it).
 */
export const REFERENCE = declareSection({ name: 'REFERENCE', fields: ['id', 'caseNumber', 'version'], derived: ['id', 'version'] });

export const IDENTITY = declareSection({
  name: 'IDENTITY',
  fields: [
    'caseNumber',
    'givenName',
    'familyName',
    'patronymic',
    'otherNames',
    'sex',
    'dateOfBirth',
    'dateOfBirthEstimated',
    'placeOfBirth',
    'citizenship',
    'returnedOn',
    'returnedFrom',
    'status',
    'isMinor',
    'country',
    'registeringAgency',
    'createdAt',
    'updatedAt',
  ],
  derived: ['isMinor', 'country', 'registeringAgency', 'createdAt', 'updatedAt'],
});

/** `household`: the guardian and wards in the caller's own scope, computed per read. */
export const CONTACT = declareSection({
  name: 'CONTACT',
  fields: ['region', 'district', 'address', 'phone', 'guardianReturneeId', 'guardianName', 'guardianRelation', 'household'],
  derived: ['household'],
});
