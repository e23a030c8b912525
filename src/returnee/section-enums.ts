/**
 * Value lists of the education, documents, social-support and psychosocial sections. They
 * live apart from the entities (no imports here) so entity files, GraphQL enums and the seed
 * can all use them without import cycles. Each becomes a `text check (… in (…))` column.
 */
export const LITERACY_LEVELS = ['NONE', 'BASIC', 'FUNCTIONAL', 'FLUENT'] as const;
export type LiteracyLevel = (typeof LITERACY_LEVELS)[number];

export const ENROLMENT_STATUSES = ['NOT_ENROLLED', 'LITERACY_CLASS', 'ENROLLED', 'BOARDING_SCHOOL', 'COMPLETED'] as const;
export type EnrolmentStatus = (typeof ENROLMENT_STATUSES)[number];

export const CIVIL_DOCUMENT_TYPES = ['PASSPORT', 'BIRTH_CERTIFICATE', 'ID_CARD'] as const;
export type CivilDocumentKind = (typeof CIVIL_DOCUMENT_TYPES)[number];

export const CIVIL_DOCUMENT_STATUSES = ['MISSING', 'APPLIED', 'ISSUED'] as const;
export type CivilDocumentState = (typeof CIVIL_DOCUMENT_STATUSES)[number];

export const SOCIAL_SUPPORT_KINDS = ['BENEFIT', 'EMPLOYMENT', 'RETRAINING', 'HOUSING', 'GUARDIANSHIP_DECISION'] as const;
export type SocialSupportKind = (typeof SOCIAL_SUPPORT_KINDS)[number];

export const SUPPORT_SESSION_KINDS = [
  'COUNSELLING',
  'GROUP_SESSION',
  'REHABILITATION_CENTRE_STAY',
  'RELIGIOUS_COUNSELLING',
  'FAMILY_MEDIATION',
] as const;
export type SupportSessionKind = (typeof SUPPORT_SESSION_KINDS)[number];

export const ENGAGEMENT_STATUSES = ['NOT_STARTED', 'ENGAGED', 'IRREGULAR', 'COMPLETED', 'DISENGAGED'] as const;
export type EngagementStatus = (typeof ENGAGEMENT_STATUSES)[number];
