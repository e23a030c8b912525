import type { AppMeQuery, ReturneeRecordFragment, Section } from '../api/generated';

/**
 * How the client lays out the shared record: which fields it shows under each section. The
 * sections themselves, and which of them this caller may read or write, come from the API
 * (`me`); this table is only the screen layout, and test/web-app.test.ts checks it against the
 * hub's own section list so that every field appears under the section that governs it.
 */
export const SECTION_LAYOUT: Record<Exclude<Section, 'REFERENCE'>, readonly string[]> = {
  IDENTITY: [
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

export type RecordSection = keyof typeof SECTION_LAYOUT;
export const RECORD_SECTIONS = Object.keys(SECTION_LAYOUT) as RecordSection[];
export type Me = AppMeQuery['me'];

/**
 * Why a field is hidden, derived only from what the API returned: the caller's policy (`me`:
 * readable and consent-required sections) and, when the caller may read it on this record,
 * whether the person is a minor. The hub says *that* a field is withheld (redactedFields), not
 * why; a reason that needed a value the caller may not read would leak it, so when `isMinor` is
 * itself hidden the reason names both kinds of consent.
 */
export type HiddenReason = 'notYourSector' | 'needsConsent' | 'needsGuardianConsent' | 'needsConsentOrGuardian' | 'policy';

export function hiddenReason(
  section: RecordSection,
  me: Me,
  record: Pick<ReturneeRecordFragment, 'redactedFields' | 'isMinor'>,
): HiddenReason {
  if (!me.readableSections.includes(section)) return 'notYourSector';
  if (me.consentRequiredSections.includes(section)) {
    if (record.redactedFields.includes('isMinor')) return 'needsConsentOrGuardian';
    return record.isMinor ? 'needsGuardianConsent' : 'needsConsent';
  }
  return 'policy';
}

export function sectionOf(field: string): RecordSection | undefined {
  return RECORD_SECTIONS.find((s) => SECTION_LAYOUT[s].includes(field));
}

/** The sections to show, in the order the caller's policy lists them (as `me` returns them). */
export function readableInOrder(me: Me): RecordSection[] {
  return me.readableSections.filter((s): s is RecordSection => s !== 'REFERENCE');
}

/** Enum types of scalar fields, for their translated labels (common.enum.<Type>.<VALUE>). */
export const FIELD_ENUMS: Record<string, string> = {
  sex: 'Sex',
  status: 'ReturneeStatus',
  literacyLevel: 'LiteracyLevel',
  enrolmentStatus: 'EnrolmentStatus',
  engagementStatus: 'EngagementStatus',
};
export const LOCAL_DATE_FIELDS = new Set(['dateOfBirth', 'returnedOn']);
export const INSTANT_FIELDS = new Set(['createdAt', 'updatedAt']);
export const COUNTRY_FIELDS = new Set(['citizenship', 'returnedFrom', 'country']);
