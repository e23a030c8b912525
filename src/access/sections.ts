/**
 * The shared returnee record is split into sections; policies grant sections, never
 * single columns, so a data-protection officer reviews a matrix rather than a field list.
 * Each section names the GraphQL/entity fields of `Returnee` it covers and the sector that
 * owns it (whose caseworkers produce it).
 */
export enum Section {
  REFERENCE = 'REFERENCE',
  IDENTITY = 'IDENTITY',
  CONTACT = 'CONTACT',
  HEALTH = 'HEALTH',
  HEALTH_FLAGS = 'HEALTH_FLAGS',
  EDUCATION = 'EDUCATION',
  EDUCATION_SUMMARY = 'EDUCATION_SUMMARY',
  DOCUMENTS = 'DOCUMENTS',
  DOCUMENTS_STATUS = 'DOCUMENTS_STATUS',
  SOCIAL_SUPPORT = 'SOCIAL_SUPPORT',
  PSYCHOSOCIAL = 'PSYCHOSOCIAL',
  PSYCHOSOCIAL_SUMMARY = 'PSYCHOSOCIAL_SUMMARY',
}

/**
 * Fields per section. REFERENCE is not in the DESIGN.md matrix: it is what anyone whose
 * policy lets them see a record at all may see (the id and case number an auditor needs
 * to name a record without reading it).
 */
export const SECTION_FIELDS: Readonly<Record<Section, readonly string[]>> = {
  REFERENCE: ['id', 'caseNumber', 'version'],
  IDENTITY: [
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
  CONTACT: ['region', 'district', 'address', 'phone', 'guardianReturneeId', 'guardianName', 'guardianRelation', 'household'],
  HEALTH: ['healthAssessments'],
  HEALTH_FLAGS: ['followUpNeeded', 'fitForSchool', 'accommodationsNeeded'],
  EDUCATION: ['literacyLevel', 'languages', 'specialClasses', 'educationProgressNotes'],
  EDUCATION_SUMMARY: ['enrolmentStatus', 'school', 'grade'],
  DOCUMENTS: ['civilDocuments'],
  DOCUMENTS_STATUS: ['documentStatuses'],
  SOCIAL_SUPPORT: ['socialSupport'],
  PSYCHOSOCIAL: ['supportSessions'],
  PSYCHOSOCIAL_SUMMARY: ['engagementStatus'],
};

/**
 * Fields the hub derives or sets itself; readable, never written through an input.
 * `documentStatuses` follows the civil documents (recordCivilDocument needs `civilDocuments`).
 */
export const DERIVED_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'version',
  'isMinor',
  'country',
  'registeringAgency',
  'createdAt',
  'updatedAt',
  'documentStatuses',
  'household',
]);

/** Every readable field of a returnee, in declaration order (used for redactedFields). */
export const ALL_RETURNEE_FIELDS: readonly string[] = [...new Set(Object.values(SECTION_FIELDS).flat())];

export function fieldsOfSections(sections: Iterable<Section>): string[] {
  const out = new Set<string>();
  for (const s of sections) for (const f of SECTION_FIELDS[s]) out.add(f);
  return [...out];
}

/** The section(s) a field belongs to (a field may appear in REFERENCE and IDENTITY). */
export function sectionsOfField(field: string): Section[] {
  return (Object.keys(SECTION_FIELDS) as Section[]).filter((s) => SECTION_FIELDS[s].includes(field));
}
