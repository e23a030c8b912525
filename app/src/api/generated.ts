/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type AuditAction =
  | 'CREATE'
  | 'DELETE'
  | 'DENY'
  | 'READ'
  | 'UPDATE';

/** All given conditions must hold. Time range: from inclusive, to exclusive. */
export type AuditEventFilter = {
  actions?: Array<AuditAction> | null | undefined;
  agencyId?: string | number | null | undefined;
  from?: string | null | undefined;
  outcomes?: Array<AuditOutcome> | null | undefined;
  returneeId?: string | number | null | undefined;
  staffId?: string | number | null | undefined;
  to?: string | null | undefined;
};

export type AuditOutcome =
  | 'CONFLICT'
  | 'DENIED'
  | 'ERROR'
  | 'INVALID'
  | 'NOT_FOUND'
  | 'REPLAYED'
  | 'SUCCESS';

export type CaseAccessBasis =
  | 'GRANT'
  | 'REFERRAL';

/** MISSING also when nothing was ever recorded */
export type CivilDocumentStatus =
  | 'APPLIED'
  | 'ISSUED'
  | 'MISSING';

export type CivilDocumentType =
  | 'BIRTH_CERTIFICATE'
  | 'ID_CARD'
  | 'PASSPORT';

/** SELF: the person, while an adult; GUARDIAN: the guardian on record, while the person is a minor. Judged by the person's status today */
export type ConsentGiver =
  | 'GUARDIAN'
  | 'SELF';

export type DecideReferralInput = {
  id: string | number;
  note?: string | null | undefined;
};

export type EducationProgressNoteInput = {
  note: string;
  notedOn: string;
};

export type EngagementStatus =
  | 'COMPLETED'
  | 'DISENGAGED'
  | 'ENGAGED'
  | 'IRREGULAR'
  | 'NOT_STARTED';

export type EnrolmentStatus =
  | 'BOARDING_SCHOOL'
  | 'COMPLETED'
  | 'ENROLLED'
  | 'LITERACY_CLASS'
  | 'NOT_ENROLLED';

export type GrantCaseAccessInput = {
  agencyId: string | number;
  /** Must be true to share with an agency in another country */
  crossBorder?: boolean;
  /** Why the agency needs the record (kept with the access and audited) */
  reason: string;
  returneeId: string | number;
};

export type HouseholdRelation =
  | 'GUARDIAN'
  | 'WARD';

export type LiteracyLevel =
  | 'BASIC'
  | 'FLUENT'
  | 'FUNCTIONAL'
  | 'NONE';

/** Records the document of this type. If one exists it becomes a new version: fields not sent are kept from the previous version where the new status allows them (null clears one). A MISSING document has no number, dates or authority; an APPLIED one no number or issue date. */
export type RecordCivilDocumentInput = {
  appliedOn?: string | null | undefined;
  issuedOn?: string | null | undefined;
  issuingAuthority?: string | null | undefined;
  notes?: string | null | undefined;
  /** Only for ISSUED documents */
  number?: string | null | undefined;
  status: CivilDocumentStatus;
  type: CivilDocumentType;
};

export type RecordConsentInput = {
  givenBy: ConsentGiver;
  /** GUARDIAN: the guardian on record (the record's guardianName, or a guardianship decision in force) */
  guardianName?: string | null | undefined;
  /** GUARDIAN: the guardian on record, when a returnee */
  guardianReturneeId?: string | number | null | undefined;
  purpose: string;
  returneeId: string | number;
  sections: Array<Section>;
  sectors: Array<Sector>;
  /** Default: today */
  validFrom?: string | null | undefined;
  /** Open-ended when omitted */
  validUntil?: string | null | undefined;
};

export type RecordHealthAssessmentInput = {
  /** Becomes the shareable accommodationsNeeded flag */
  accommodationsNeeded?: string | null | undefined;
  assessedOn: string;
  conditions?: Array<string> | null | undefined;
  disability?: string | null | undefined;
  findings: string;
  /** Becomes the shareable fitForSchool flag */
  fitForSchool?: boolean | null | undefined;
  /** Becomes the returnee's shareable followUpNeeded flag */
  followUpNeeded: boolean;
  mentalHealthNotes?: string | null | undefined;
  treatmentPlan?: string | null | undefined;
  vaccination?: string | null | undefined;
};

/** decidingAuthority and guardianName are required for, and only for, a GUARDIANSHIP_DECISION */
export type RecordSocialSupportInput = {
  decidingAuthority?: string | null | undefined;
  description: string;
  endedOn?: string | null | undefined;
  guardianName?: string | null | undefined;
  kind: SocialSupportKind;
  provider?: string | null | undefined;
  startedOn: string;
};

/** A REHABILITATION_CENTRE_STAY needs its place. engagementStatus, when sent, becomes the record's PSYCHOSOCIAL_SUMMARY. */
export type RecordSupportSessionInput = {
  endedOn?: string | null | undefined;
  engagementStatus?: EngagementStatus | null | undefined;
  kind: SupportSessionKind;
  notes?: string | null | undefined;
  place?: string | null | undefined;
  riskNotes?: string | null | undefined;
  startedOn: string;
};

export type ReferReturneeInput = {
  /** Must be true to refer to an agency in another country */
  crossBorder?: boolean;
  reason: string;
  returneeId: string | number;
  /** The service asked for, e.g. "health screening", "school placement" */
  service: string;
  toAgencyId: string | number;
};

/** Relative to your agency */
export type ReferralDirection =
  | 'ANY'
  | 'INCOMING'
  | 'OUTGOING';

export type ReferralFilter = {
  direction?: ReferralDirection;
  returneeId?: string | number | null | undefined;
  status?: ReferralStatus | null | undefined;
};

export type ReferralStatus =
  | 'ACCEPTED'
  | 'CLOSED'
  | 'DECLINED'
  | 'PENDING';

/** Every filter needs read access to the fields it looks at */
export type ReturneeFilter = {
  /** Only records needing a health follow-up */
  followUpNeeded?: boolean | null | undefined;
  isMinor?: boolean | null | undefined;
  region?: string | null | undefined;
  /** Matches given, family or other names (any spelling), case-insensitive */
  search?: string | null | undefined;
  status?: ReturneeStatus | null | undefined;
};

export type ReturneeStatus =
  | 'CLOSED'
  | 'IN_CARE'
  | 'IN_REHABILITATION'
  | 'RESETTLED'
  | 'TRANSFERRED';

export type RevokeCaseAccessInput = {
  /** The CaseAccess to end (see the caseAccesses query) */
  id: string | number;
  /** Why it ends (kept with the access and audited) */
  reason: string;
};

export type RevokeConsentInput = {
  id: string | number;
  reason: string;
};

export type Role =
  | 'ADMIN'
  | 'AUDITOR'
  | 'CASEWORKER'
  | 'SUPERVISOR';

/** A named set of returnee fields that policies grant as a unit. */
export type Section =
  | 'CONTACT'
  | 'DOCUMENTS'
  | 'DOCUMENTS_STATUS'
  | 'EDUCATION'
  | 'EDUCATION_SUMMARY'
  | 'HEALTH'
  | 'HEALTH_FLAGS'
  | 'IDENTITY'
  | 'PSYCHOSOCIAL'
  | 'PSYCHOSOCIAL_SUMMARY'
  | 'REFERENCE'
  | 'SOCIAL_SUPPORT';

/** The kind of agency; policies are written per sector. */
export type Sector =
  | 'ADMINISTRATION'
  | 'EDUCATION'
  | 'HEALTH'
  | 'NGO'
  | 'OVERSIGHT'
  | 'SOCIAL';

export type Sex =
  | 'FEMALE'
  | 'MALE';

export type SocialSupportKind =
  | 'BENEFIT'
  | 'EMPLOYMENT'
  | 'GUARDIANSHIP_DECISION'
  | 'HOUSING'
  | 'RETRAINING';

export type SupportSessionKind =
  | 'COUNSELLING'
  | 'FAMILY_MEDIATION'
  | 'GROUP_SESSION'
  | 'REHABILITATION_CENTRE_STAY'
  | 'RELIGIOUS_COUNSELLING';

/** Only the fields present change (null clears one); progressNote appends a note. */
export type UpdateEducationInput = {
  enrolmentStatus?: EnrolmentStatus | null | undefined;
  /** E.g. 3, 3A, preparatory */
  grade?: string | null | undefined;
  /** Languages the child speaks or reads, e.g. Kazakh, Russian, Arabic */
  languages?: Array<string> | null | undefined;
  literacyLevel?: LiteracyLevel | null | undefined;
  /** Appends a progress note (EDUCATION) */
  progressNote?: EducationProgressNoteInput | null | undefined;
  school?: string | null | undefined;
  /** E.g. state-language literacy class, catch-up mathematics */
  specialClasses?: Array<string> | null | undefined;
};

/** Only the fields present are changed; every one must be writable by your sector. */
export type UpdateReturneeInput = {
  accommodationsNeeded?: string | null | undefined;
  address?: string | null | undefined;
  citizenship?: string | null | undefined;
  dateOfBirth?: string | null | undefined;
  dateOfBirthEstimated?: boolean | null | undefined;
  district?: string | null | undefined;
  familyName?: string | null | undefined;
  fitForSchool?: boolean | null | undefined;
  followUpNeeded?: boolean | null | undefined;
  givenName?: string | null | undefined;
  guardianName?: string | null | undefined;
  guardianRelation?: string | null | undefined;
  guardianReturneeId?: string | number | null | undefined;
  otherNames?: Array<string> | null | undefined;
  patronymic?: string | null | undefined;
  phone?: string | null | undefined;
  placeOfBirth?: string | null | undefined;
  region?: string | null | undefined;
  returnedFrom?: string | null | undefined;
  returnedOn?: string | null | undefined;
  sex?: Sex | null | undefined;
  status?: ReturneeStatus | null | undefined;
};

export type AuditAgencyFragment = { id: string, code: string, name: string, sector: Sector, country: string };

export type ConsoleMeQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleMeQuery = { me: { canReadAuditTrail: boolean, staff: { id: string, username: string, displayName: string, roles: Array<Role>, agency: { code: string, name: string, sector: Sector, country: string } } } };

export type ConsoleAgenciesQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleAgenciesQuery = { agencies: Array<{ id: string, code: string, name: string, sector: Sector, country: string }> };

export type ConsoleEventsQueryVariables = Exact<{
  filter?: AuditEventFilter | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type ConsoleEventsQuery = { auditEvents: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, occurredAt: string, requestId: string, action: AuditAction, outcome: AuditOutcome, reason: string | null, entityType: string, entityId: string | null, fields: Array<string>, deniedFields: Array<string>, sections: Array<Section>, purpose: string | null, operation: string | null, chainPosition: string | null, returnee: { id: string, caseNumber: string | null } | null, staff: { id: string, username: string | null, displayName: string | null } | null, agency: { id: string, code: string, name: string, sector: Sector, country: string } | null } }> } };

export type ConsoleCountQueryVariables = Exact<{
  filter?: AuditEventFilter | null | undefined;
}>;


export type ConsoleCountQuery = { auditEvents: { totalCount: number } };

export type ConsoleReportQueryVariables = Exact<{
  id: string | number;
}>;


export type ConsoleReportQuery = { disclosureReport: { generatedAt: string, eventCount: number, returnee: { id: string, caseNumber: string | null }, agencies: Array<{ sectionsRead: Array<Section>, sectionsChanged: Array<Section>, firstAt: string, lastAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } | null, entries: Array<{ action: AuditAction, outcome: AuditOutcome, purpose: string | null, sections: Array<Section>, records: Array<string>, fields: Array<string>, times: number, firstAt: string, lastAt: string, staff: { id: string, username: string | null, displayName: string | null } | null }> }> } };

export type ConsoleIntegrityQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleIntegrityQuery = { auditIntegrity: { verified: boolean, eventsChecked: number, headPosition: string, headHash: string, pendingEvents: number, problemCount: number, checkedAt: string, durationMs: number, firstBadEvent: { kind: string, eventId: string | null, position: string | null, checkpointId: string | null, detail: string } | null, problems: Array<{ kind: string, eventId: string | null, position: string | null, checkpointId: string | null, detail: string }>, latestCheckpoint: { id: string, position: string, hash: string, signedAt: string, keyId: string, signatureValid: boolean, trustedKey: boolean, chainMatches: boolean } | null } };

export type AgencyBriefFragment = { id: string, code: string, name: string, sector: Sector, country: string };

export type AppMeQueryVariables = Exact<{ [key: string]: never; }>;


export type AppMeQuery = { me: { readableSections: Array<Section>, writableSections: Array<Section>, consentRequiredSections: Array<Section>, canRegisterReturnees: boolean, canGrantCaseAccess: boolean, canRecordConsent: boolean, canReadAuditTrail: boolean, staff: { id: string, username: string, displayName: string, roles: Array<Role>, agency: { id: string, code: string, name: string, sector: Sector, country: string } } } };

export type FindReturneesQueryVariables = Exact<{
  filter?: ReturneeFilter | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type FindReturneesQuery = { returnees: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, caseNumber: string, redactedFields: Array<string>, givenName: string | null, familyName: string | null, patronymic: string | null, otherNames: Array<string> | null, dateOfBirth: string | null, dateOfBirthEstimated: boolean | null, isMinor: boolean | null, status: ReturneeStatus | null, region: string | null, followUpNeeded: boolean | null }> } };

export type ReturneeRecordFragment = { id: string, caseNumber: string, version: number, redactedFields: Array<string>, givenName: string | null, familyName: string | null, patronymic: string | null, otherNames: Array<string> | null, sex: Sex | null, dateOfBirth: string | null, dateOfBirthEstimated: boolean | null, placeOfBirth: string | null, citizenship: string | null, returnedOn: string | null, returnedFrom: string | null, status: ReturneeStatus | null, isMinor: boolean | null, country: string | null, createdAt: string | null, updatedAt: string | null, region: string | null, district: string | null, address: string | null, phone: string | null, guardianReturneeId: string | null, guardianName: string | null, guardianRelation: string | null, followUpNeeded: boolean | null, fitForSchool: boolean | null, accommodationsNeeded: string | null, literacyLevel: LiteracyLevel | null, languages: Array<string> | null, specialClasses: Array<string> | null, enrolmentStatus: EnrolmentStatus | null, school: string | null, grade: string | null, engagementStatus: EngagementStatus | null, registeringAgency: { id: string, code: string, name: string, sector: Sector, country: string } | null, household: Array<{ id: string, caseNumber: string, relation: HouseholdRelation }> | null, healthAssessments: Array<{ id: string, assessedOn: string, findings: string, conditions: Array<string>, treatmentPlan: string | null, vaccination: string | null, disability: string | null, mentalHealthNotes: string | null, followUpNeeded: boolean, fitForSchool: boolean | null, accommodationsNeeded: string | null, createdAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null, educationProgressNotes: Array<{ id: string, notedOn: string, note: string, recordedAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null, civilDocuments: Array<{ id: string, type: CivilDocumentType, status: CivilDocumentStatus, number: string | null, issuedOn: string | null, issuingAuthority: string | null, appliedOn: string | null, notes: string | null, recordedAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null, documentStatuses: Array<{ type: CivilDocumentType, status: CivilDocumentStatus, lastChangedAt: string | null }> | null, socialSupport: Array<{ id: string, kind: SocialSupportKind, description: string, startedOn: string, endedOn: string | null, provider: string | null, decidingAuthority: string | null, guardianName: string | null, recordedAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null, supportSessions: Array<{ id: string, kind: SupportSessionKind, startedOn: string, endedOn: string | null, place: string | null, notes: string | null, riskNotes: string | null, recordedAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null };

export type ReturneeRecordQueryVariables = Exact<{
  id: string | number;
}>;


export type ReturneeRecordQuery = { returnee: { id: string, caseNumber: string, version: number, redactedFields: Array<string>, givenName: string | null, familyName: string | null, patronymic: string | null, otherNames: Array<string> | null, sex: Sex | null, dateOfBirth: string | null, dateOfBirthEstimated: boolean | null, placeOfBirth: string | null, citizenship: string | null, returnedOn: string | null, returnedFrom: string | null, status: ReturneeStatus | null, isMinor: boolean | null, country: string | null, createdAt: string | null, updatedAt: string | null, region: string | null, district: string | null, address: string | null, phone: string | null, guardianReturneeId: string | null, guardianName: string | null, guardianRelation: string | null, followUpNeeded: boolean | null, fitForSchool: boolean | null, accommodationsNeeded: string | null, literacyLevel: LiteracyLevel | null, languages: Array<string> | null, specialClasses: Array<string> | null, enrolmentStatus: EnrolmentStatus | null, school: string | null, grade: string | null, engagementStatus: EngagementStatus | null, registeringAgency: { id: string, code: string, name: string, sector: Sector, country: string } | null, household: Array<{ id: string, caseNumber: string, relation: HouseholdRelation }> | null, healthAssessments: Array<{ id: string, assessedOn: string, findings: string, conditions: Array<string>, treatmentPlan: string | null, vaccination: string | null, disability: string | null, mentalHealthNotes: string | null, followUpNeeded: boolean, fitForSchool: boolean | null, accommodationsNeeded: string | null, createdAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null, educationProgressNotes: Array<{ id: string, notedOn: string, note: string, recordedAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null, civilDocuments: Array<{ id: string, type: CivilDocumentType, status: CivilDocumentStatus, number: string | null, issuedOn: string | null, issuingAuthority: string | null, appliedOn: string | null, notes: string | null, recordedAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null, documentStatuses: Array<{ type: CivilDocumentType, status: CivilDocumentStatus, lastChangedAt: string | null }> | null, socialSupport: Array<{ id: string, kind: SocialSupportKind, description: string, startedOn: string, endedOn: string | null, provider: string | null, decidingAuthority: string | null, guardianName: string | null, recordedAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null, supportSessions: Array<{ id: string, kind: SupportSessionKind, startedOn: string, endedOn: string | null, place: string | null, notes: string | null, riskNotes: string | null, recordedAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null } };

export type ReturneeHistoryQueryVariables = Exact<{
  id: string | number;
  first: number;
}>;


export type ReturneeHistoryQuery = { returneeHistory: Array<{ id: string, version: number, changedAt: string, agencyId: string, fields: Array<string>, previous: Record<string, unknown> }> };

export type ReturneeSharingQueryVariables = Exact<{
  id: string | number;
}>;


export type ReturneeSharingQuery = { consents: Array<{ id: string, givenBy: ConsentGiver, guardianReturneeId: string | null, guardianName: string | null, sectors: Array<Sector>, sections: Array<Section>, purpose: string, validFrom: string, validUntil: string | null, recordedAt: string, revokedAt: string | null, active: boolean, redactedFields: Array<string>, agency: { id: string, code: string, name: string, sector: Sector, country: string } }>, caseAccesses: Array<{ id: string, basis: CaseAccessBasis, crossBorder: boolean, reason: string, grantedAt: string, revokedAt: string | null, revocationReason: string | null, active: boolean, agency: { id: string, code: string, name: string, sector: Sector, country: string } }>, referrals: { totalCount: number, nodes: Array<{ id: string, service: string, reason: string, crossBorder: boolean, status: ReferralStatus, createdAt: string, decidedAt: string | null, decisionNote: string | null, closedAt: string | null, returnee: { id: string, caseNumber: string }, fromAgency: { id: string, code: string, name: string, sector: Sector, country: string }, toAgency: { id: string, code: string, name: string, sector: Sector, country: string } }> } };

export type ReferralItemFragment = { id: string, service: string, reason: string, crossBorder: boolean, status: ReferralStatus, createdAt: string, decidedAt: string | null, decisionNote: string | null, closedAt: string | null, returnee: { id: string, caseNumber: string }, fromAgency: { id: string, code: string, name: string, sector: Sector, country: string }, toAgency: { id: string, code: string, name: string, sector: Sector, country: string } };

export type ReferralsQueryVariables = Exact<{
  filter?: ReferralFilter | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type ReferralsQuery = { referrals: { totalCount: number, hasNextPage: boolean, endCursor: string | null, nodes: Array<{ id: string, service: string, reason: string, crossBorder: boolean, status: ReferralStatus, createdAt: string, decidedAt: string | null, decisionNote: string | null, closedAt: string | null, returnee: { id: string, caseNumber: string }, fromAgency: { id: string, code: string, name: string, sector: Sector, country: string }, toAgency: { id: string, code: string, name: string, sector: Sector, country: string } }> } };

export type AgencyDirectoryQueryVariables = Exact<{ [key: string]: never; }>;


export type AgencyDirectoryQuery = { agencies: Array<{ id: string, code: string, name: string, sector: Sector, country: string }> };

export type AcceptReferralMutationVariables = Exact<{
  input: DecideReferralInput;
}>;


export type AcceptReferralMutation = { acceptReferral: { id: string, service: string, reason: string, crossBorder: boolean, status: ReferralStatus, createdAt: string, decidedAt: string | null, decisionNote: string | null, closedAt: string | null, returnee: { id: string, caseNumber: string }, fromAgency: { id: string, code: string, name: string, sector: Sector, country: string }, toAgency: { id: string, code: string, name: string, sector: Sector, country: string } } };

export type DeclineReferralMutationVariables = Exact<{
  input: DecideReferralInput;
}>;


export type DeclineReferralMutation = { declineReferral: { id: string, service: string, reason: string, crossBorder: boolean, status: ReferralStatus, createdAt: string, decidedAt: string | null, decisionNote: string | null, closedAt: string | null, returnee: { id: string, caseNumber: string }, fromAgency: { id: string, code: string, name: string, sector: Sector, country: string }, toAgency: { id: string, code: string, name: string, sector: Sector, country: string } } };

export type ReferReturneeMutationVariables = Exact<{
  input: ReferReturneeInput;
}>;


export type ReferReturneeMutation = { referReturnee: { id: string, service: string, reason: string, crossBorder: boolean, status: ReferralStatus, createdAt: string, decidedAt: string | null, decisionNote: string | null, closedAt: string | null, returnee: { id: string, caseNumber: string }, fromAgency: { id: string, code: string, name: string, sector: Sector, country: string }, toAgency: { id: string, code: string, name: string, sector: Sector, country: string } } };

export type RecordConsentMutationVariables = Exact<{
  input: RecordConsentInput;
}>;


export type RecordConsentMutation = { recordConsent: { id: string } };

export type RevokeConsentMutationVariables = Exact<{
  input: RevokeConsentInput;
}>;


export type RevokeConsentMutation = { revokeConsent: { id: string } };

export type GrantCaseAccessMutationVariables = Exact<{
  input: GrantCaseAccessInput;
}>;


export type GrantCaseAccessMutation = { grantCaseAccess: { id: string } };

export type RevokeCaseAccessMutationVariables = Exact<{
  input: RevokeCaseAccessInput;
}>;


export type RevokeCaseAccessMutation = { revokeCaseAccess: { id: string } };

export type UpdateReturneeMutationVariables = Exact<{
  id: string | number;
  expectedVersion: number;
  input: UpdateReturneeInput;
}>;


export type UpdateReturneeMutation = { updateReturnee: { returnee: { id: string, caseNumber: string, version: number, redactedFields: Array<string>, givenName: string | null, familyName: string | null, patronymic: string | null, otherNames: Array<string> | null, sex: Sex | null, dateOfBirth: string | null, dateOfBirthEstimated: boolean | null, placeOfBirth: string | null, citizenship: string | null, returnedOn: string | null, returnedFrom: string | null, status: ReturneeStatus | null, isMinor: boolean | null, country: string | null, createdAt: string | null, updatedAt: string | null, region: string | null, district: string | null, address: string | null, phone: string | null, guardianReturneeId: string | null, guardianName: string | null, guardianRelation: string | null, followUpNeeded: boolean | null, fitForSchool: boolean | null, accommodationsNeeded: string | null, literacyLevel: LiteracyLevel | null, languages: Array<string> | null, specialClasses: Array<string> | null, enrolmentStatus: EnrolmentStatus | null, school: string | null, grade: string | null, engagementStatus: EngagementStatus | null, registeringAgency: { id: string, code: string, name: string, sector: Sector, country: string } | null, household: Array<{ id: string, caseNumber: string, relation: HouseholdRelation }> | null, healthAssessments: Array<{ id: string, assessedOn: string, findings: string, conditions: Array<string>, treatmentPlan: string | null, vaccination: string | null, disability: string | null, mentalHealthNotes: string | null, followUpNeeded: boolean, fitForSchool: boolean | null, accommodationsNeeded: string | null, createdAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null, educationProgressNotes: Array<{ id: string, notedOn: string, note: string, recordedAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null, civilDocuments: Array<{ id: string, type: CivilDocumentType, status: CivilDocumentStatus, number: string | null, issuedOn: string | null, issuingAuthority: string | null, appliedOn: string | null, notes: string | null, recordedAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null, documentStatuses: Array<{ type: CivilDocumentType, status: CivilDocumentStatus, lastChangedAt: string | null }> | null, socialSupport: Array<{ id: string, kind: SocialSupportKind, description: string, startedOn: string, endedOn: string | null, provider: string | null, decidingAuthority: string | null, guardianName: string | null, recordedAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null, supportSessions: Array<{ id: string, kind: SupportSessionKind, startedOn: string, endedOn: string | null, place: string | null, notes: string | null, riskNotes: string | null, recordedAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null } } };

export type RecordHealthAssessmentMutationVariables = Exact<{
  id: string | number;
  input: RecordHealthAssessmentInput;
}>;


export type RecordHealthAssessmentMutation = { recordHealthAssessment: { returnee: { id: string, caseNumber: string, version: number, redactedFields: Array<string>, givenName: string | null, familyName: string | null, patronymic: string | null, otherNames: Array<string> | null, sex: Sex | null, dateOfBirth: string | null, dateOfBirthEstimated: boolean | null, placeOfBirth: string | null, citizenship: string | null, returnedOn: string | null, returnedFrom: string | null, status: ReturneeStatus | null, isMinor: boolean | null, country: string | null, createdAt: string | null, updatedAt: string | null, region: string | null, district: string | null, address: string | null, phone: string | null, guardianReturneeId: string | null, guardianName: string | null, guardianRelation: string | null, followUpNeeded: boolean | null, fitForSchool: boolean | null, accommodationsNeeded: string | null, literacyLevel: LiteracyLevel | null, languages: Array<string> | null, specialClasses: Array<string> | null, enrolmentStatus: EnrolmentStatus | null, school: string | null, grade: string | null, engagementStatus: EngagementStatus | null, registeringAgency: { id: string, code: string, name: string, sector: Sector, country: string } | null, household: Array<{ id: string, caseNumber: string, relation: HouseholdRelation }> | null, healthAssessments: Array<{ id: string, assessedOn: string, findings: string, conditions: Array<string>, treatmentPlan: string | null, vaccination: string | null, disability: string | null, mentalHealthNotes: string | null, followUpNeeded: boolean, fitForSchool: boolean | null, accommodationsNeeded: string | null, createdAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null, educationProgressNotes: Array<{ id: string, notedOn: string, note: string, recordedAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null, civilDocuments: Array<{ id: string, type: CivilDocumentType, status: CivilDocumentStatus, number: string | null, issuedOn: string | null, issuingAuthority: string | null, appliedOn: string | null, notes: string | null, recordedAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null, documentStatuses: Array<{ type: CivilDocumentType, status: CivilDocumentStatus, lastChangedAt: string | null }> | null, socialSupport: Array<{ id: string, kind: SocialSupportKind, description: string, startedOn: string, endedOn: string | null, provider: string | null, decidingAuthority: string | null, guardianName: string | null, recordedAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null, supportSessions: Array<{ id: string, kind: SupportSessionKind, startedOn: string, endedOn: string | null, place: string | null, notes: string | null, riskNotes: string | null, recordedAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null } } };

export type UpdateEducationMutationVariables = Exact<{
  id: string | number;
  expectedVersion: number;
  input: UpdateEducationInput;
}>;


export type UpdateEducationMutation = { updateEducation: { returnee: { id: string, caseNumber: string, version: number, redactedFields: Array<string>, givenName: string | null, familyName: string | null, patronymic: string | null, otherNames: Array<string> | null, sex: Sex | null, dateOfBirth: string | null, dateOfBirthEstimated: boolean | null, placeOfBirth: string | null, citizenship: string | null, returnedOn: string | null, returnedFrom: string | null, status: ReturneeStatus | null, isMinor: boolean | null, country: string | null, createdAt: string | null, updatedAt: string | null, region: string | null, district: string | null, address: string | null, phone: string | null, guardianReturneeId: string | null, guardianName: string | null, guardianRelation: string | null, followUpNeeded: boolean | null, fitForSchool: boolean | null, accommodationsNeeded: string | null, literacyLevel: LiteracyLevel | null, languages: Array<string> | null, specialClasses: Array<string> | null, enrolmentStatus: EnrolmentStatus | null, school: string | null, grade: string | null, engagementStatus: EngagementStatus | null, registeringAgency: { id: string, code: string, name: string, sector: Sector, country: string } | null, household: Array<{ id: string, caseNumber: string, relation: HouseholdRelation }> | null, healthAssessments: Array<{ id: string, assessedOn: string, findings: string, conditions: Array<string>, treatmentPlan: string | null, vaccination: string | null, disability: string | null, mentalHealthNotes: string | null, followUpNeeded: boolean, fitForSchool: boolean | null, accommodationsNeeded: string | null, createdAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null, educationProgressNotes: Array<{ id: string, notedOn: string, note: string, recordedAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null, civilDocuments: Array<{ id: string, type: CivilDocumentType, status: CivilDocumentStatus, number: string | null, issuedOn: string | null, issuingAuthority: string | null, appliedOn: string | null, notes: string | null, recordedAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null, documentStatuses: Array<{ type: CivilDocumentType, status: CivilDocumentStatus, lastChangedAt: string | null }> | null, socialSupport: Array<{ id: string, kind: SocialSupportKind, description: string, startedOn: string, endedOn: string | null, provider: string | null, decidingAuthority: string | null, guardianName: string | null, recordedAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null, supportSessions: Array<{ id: string, kind: SupportSessionKind, startedOn: string, endedOn: string | null, place: string | null, notes: string | null, riskNotes: string | null, recordedAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null } } };

export type RecordCivilDocumentMutationVariables = Exact<{
  id: string | number;
  input: RecordCivilDocumentInput;
}>;


export type RecordCivilDocumentMutation = { recordCivilDocument: { returnee: { id: string, caseNumber: string, version: number, redactedFields: Array<string>, givenName: string | null, familyName: string | null, patronymic: string | null, otherNames: Array<string> | null, sex: Sex | null, dateOfBirth: string | null, dateOfBirthEstimated: boolean | null, placeOfBirth: string | null, citizenship: string | null, returnedOn: string | null, returnedFrom: string | null, status: ReturneeStatus | null, isMinor: boolean | null, country: string | null, createdAt: string | null, updatedAt: string | null, region: string | null, district: string | null, address: string | null, phone: string | null, guardianReturneeId: string | null, guardianName: string | null, guardianRelation: string | null, followUpNeeded: boolean | null, fitForSchool: boolean | null, accommodationsNeeded: string | null, literacyLevel: LiteracyLevel | null, languages: Array<string> | null, specialClasses: Array<string> | null, enrolmentStatus: EnrolmentStatus | null, school: string | null, grade: string | null, engagementStatus: EngagementStatus | null, registeringAgency: { id: string, code: string, name: string, sector: Sector, country: string } | null, household: Array<{ id: string, caseNumber: string, relation: HouseholdRelation }> | null, healthAssessments: Array<{ id: string, assessedOn: string, findings: string, conditions: Array<string>, treatmentPlan: string | null, vaccination: string | null, disability: string | null, mentalHealthNotes: string | null, followUpNeeded: boolean, fitForSchool: boolean | null, accommodationsNeeded: string | null, createdAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null, educationProgressNotes: Array<{ id: string, notedOn: string, note: string, recordedAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null, civilDocuments: Array<{ id: string, type: CivilDocumentType, status: CivilDocumentStatus, number: string | null, issuedOn: string | null, issuingAuthority: string | null, appliedOn: string | null, notes: string | null, recordedAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null, documentStatuses: Array<{ type: CivilDocumentType, status: CivilDocumentStatus, lastChangedAt: string | null }> | null, socialSupport: Array<{ id: string, kind: SocialSupportKind, description: string, startedOn: string, endedOn: string | null, provider: string | null, decidingAuthority: string | null, guardianName: string | null, recordedAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null, supportSessions: Array<{ id: string, kind: SupportSessionKind, startedOn: string, endedOn: string | null, place: string | null, notes: string | null, riskNotes: string | null, recordedAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null } } };

export type RecordSocialSupportMutationVariables = Exact<{
  id: string | number;
  input: RecordSocialSupportInput;
}>;


export type RecordSocialSupportMutation = { recordSocialSupport: { returnee: { id: string, caseNumber: string, version: number, redactedFields: Array<string>, givenName: string | null, familyName: string | null, patronymic: string | null, otherNames: Array<string> | null, sex: Sex | null, dateOfBirth: string | null, dateOfBirthEstimated: boolean | null, placeOfBirth: string | null, citizenship: string | null, returnedOn: string | null, returnedFrom: string | null, status: ReturneeStatus | null, isMinor: boolean | null, country: string | null, createdAt: string | null, updatedAt: string | null, region: string | null, district: string | null, address: string | null, phone: string | null, guardianReturneeId: string | null, guardianName: string | null, guardianRelation: string | null, followUpNeeded: boolean | null, fitForSchool: boolean | null, accommodationsNeeded: string | null, literacyLevel: LiteracyLevel | null, languages: Array<string> | null, specialClasses: Array<string> | null, enrolmentStatus: EnrolmentStatus | null, school: string | null, grade: string | null, engagementStatus: EngagementStatus | null, registeringAgency: { id: string, code: string, name: string, sector: Sector, country: string } | null, household: Array<{ id: string, caseNumber: string, relation: HouseholdRelation }> | null, healthAssessments: Array<{ id: string, assessedOn: string, findings: string, conditions: Array<string>, treatmentPlan: string | null, vaccination: string | null, disability: string | null, mentalHealthNotes: string | null, followUpNeeded: boolean, fitForSchool: boolean | null, accommodationsNeeded: string | null, createdAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null, educationProgressNotes: Array<{ id: string, notedOn: string, note: string, recordedAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null, civilDocuments: Array<{ id: string, type: CivilDocumentType, status: CivilDocumentStatus, number: string | null, issuedOn: string | null, issuingAuthority: string | null, appliedOn: string | null, notes: string | null, recordedAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null, documentStatuses: Array<{ type: CivilDocumentType, status: CivilDocumentStatus, lastChangedAt: string | null }> | null, socialSupport: Array<{ id: string, kind: SocialSupportKind, description: string, startedOn: string, endedOn: string | null, provider: string | null, decidingAuthority: string | null, guardianName: string | null, recordedAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null, supportSessions: Array<{ id: string, kind: SupportSessionKind, startedOn: string, endedOn: string | null, place: string | null, notes: string | null, riskNotes: string | null, recordedAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null } } };

export type RecordSupportSessionMutationVariables = Exact<{
  id: string | number;
  input: RecordSupportSessionInput;
}>;


export type RecordSupportSessionMutation = { recordSupportSession: { returnee: { id: string, caseNumber: string, version: number, redactedFields: Array<string>, givenName: string | null, familyName: string | null, patronymic: string | null, otherNames: Array<string> | null, sex: Sex | null, dateOfBirth: string | null, dateOfBirthEstimated: boolean | null, placeOfBirth: string | null, citizenship: string | null, returnedOn: string | null, returnedFrom: string | null, status: ReturneeStatus | null, isMinor: boolean | null, country: string | null, createdAt: string | null, updatedAt: string | null, region: string | null, district: string | null, address: string | null, phone: string | null, guardianReturneeId: string | null, guardianName: string | null, guardianRelation: string | null, followUpNeeded: boolean | null, fitForSchool: boolean | null, accommodationsNeeded: string | null, literacyLevel: LiteracyLevel | null, languages: Array<string> | null, specialClasses: Array<string> | null, enrolmentStatus: EnrolmentStatus | null, school: string | null, grade: string | null, engagementStatus: EngagementStatus | null, registeringAgency: { id: string, code: string, name: string, sector: Sector, country: string } | null, household: Array<{ id: string, caseNumber: string, relation: HouseholdRelation }> | null, healthAssessments: Array<{ id: string, assessedOn: string, findings: string, conditions: Array<string>, treatmentPlan: string | null, vaccination: string | null, disability: string | null, mentalHealthNotes: string | null, followUpNeeded: boolean, fitForSchool: boolean | null, accommodationsNeeded: string | null, createdAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null, educationProgressNotes: Array<{ id: string, notedOn: string, note: string, recordedAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null, civilDocuments: Array<{ id: string, type: CivilDocumentType, status: CivilDocumentStatus, number: string | null, issuedOn: string | null, issuingAuthority: string | null, appliedOn: string | null, notes: string | null, recordedAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null, documentStatuses: Array<{ type: CivilDocumentType, status: CivilDocumentStatus, lastChangedAt: string | null }> | null, socialSupport: Array<{ id: string, kind: SocialSupportKind, description: string, startedOn: string, endedOn: string | null, provider: string | null, decidingAuthority: string | null, guardianName: string | null, recordedAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null, supportSessions: Array<{ id: string, kind: SupportSessionKind, startedOn: string, endedOn: string | null, place: string | null, notes: string | null, riskNotes: string | null, recordedAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } }> | null } } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const AuditAgencyFragmentDoc = new TypedDocumentString(`
    fragment AuditAgency on Agency {
  id
  code
  name
  sector
  country
}
    `, {"fragmentName":"AuditAgency"}) as unknown as TypedDocumentString<AuditAgencyFragment, unknown>;
export const AgencyBriefFragmentDoc = new TypedDocumentString(`
    fragment AgencyBrief on Agency {
  id
  code
  name
  sector
  country
}
    `, {"fragmentName":"AgencyBrief"}) as unknown as TypedDocumentString<AgencyBriefFragment, unknown>;
export const ReturneeRecordFragmentDoc = new TypedDocumentString(`
    fragment ReturneeRecord on Returnee {
  id
  caseNumber
  version
  redactedFields
  givenName
  familyName
  patronymic
  otherNames
  sex
  dateOfBirth
  dateOfBirthEstimated
  placeOfBirth
  citizenship
  returnedOn
  returnedFrom
  status
  isMinor
  country
  registeringAgency {
    ...AgencyBrief
  }
  createdAt
  updatedAt
  region
  district
  address
  phone
  guardianReturneeId
  guardianName
  guardianRelation
  household {
    id
    caseNumber
    relation
  }
  healthAssessments {
    id
    assessedOn
    findings
    conditions
    treatmentPlan
    vaccination
    disability
    mentalHealthNotes
    followUpNeeded
    fitForSchool
    accommodationsNeeded
    agency {
      ...AgencyBrief
    }
    createdAt
  }
  followUpNeeded
  fitForSchool
  accommodationsNeeded
  literacyLevel
  languages
  specialClasses
  educationProgressNotes {
    id
    notedOn
    note
    agency {
      ...AgencyBrief
    }
    recordedAt
  }
  enrolmentStatus
  school
  grade
  civilDocuments {
    id
    type
    status
    number
    issuedOn
    issuingAuthority
    appliedOn
    notes
    agency {
      ...AgencyBrief
    }
    recordedAt
  }
  documentStatuses {
    type
    status
    lastChangedAt
  }
  socialSupport {
    id
    kind
    description
    startedOn
    endedOn
    provider
    decidingAuthority
    guardianName
    agency {
      ...AgencyBrief
    }
    recordedAt
  }
  supportSessions {
    id
    kind
    startedOn
    endedOn
    place
    notes
    riskNotes
    agency {
      ...AgencyBrief
    }
    recordedAt
  }
  engagementStatus
}
    fragment AgencyBrief on Agency {
  id
  code
  name
  sector
  country
}`, {"fragmentName":"ReturneeRecord"}) as unknown as TypedDocumentString<ReturneeRecordFragment, unknown>;
export const ReferralItemFragmentDoc = new TypedDocumentString(`
    fragment ReferralItem on Referral {
  id
  returnee {
    id
    caseNumber
  }
  fromAgency {
    ...AgencyBrief
  }
  toAgency {
    ...AgencyBrief
  }
  service
  reason
  crossBorder
  status
  createdAt
  decidedAt
  decisionNote
  closedAt
}
    fragment AgencyBrief on Agency {
  id
  code
  name
  sector
  country
}`, {"fragmentName":"ReferralItem"}) as unknown as TypedDocumentString<ReferralItemFragment, unknown>;
export const ConsoleMeDocument = new TypedDocumentString(`
    query ConsoleMe {
  me {
    staff {
      id
      username
      displayName
      roles
      agency {
        code
        name
        sector
        country
      }
    }
    canReadAuditTrail
  }
}
    `) as unknown as TypedDocumentString<ConsoleMeQuery, ConsoleMeQueryVariables>;
export const ConsoleAgenciesDocument = new TypedDocumentString(`
    query ConsoleAgencies {
  agencies {
    ...AuditAgency
  }
}
    fragment AuditAgency on Agency {
  id
  code
  name
  sector
  country
}`) as unknown as TypedDocumentString<ConsoleAgenciesQuery, ConsoleAgenciesQueryVariables>;
export const ConsoleEventsDocument = new TypedDocumentString(`
    query ConsoleEvents($filter: AuditEventFilter, $first: Int!, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      cursor
      node {
        id
        occurredAt
        requestId
        action
        outcome
        reason
        entityType
        entityId
        returnee {
          id
          caseNumber
        }
        staff {
          id
          username
          displayName
        }
        agency {
          ...AuditAgency
        }
        fields
        deniedFields
        sections
        purpose
        operation
        chainPosition
      }
    }
  }
}
    fragment AuditAgency on Agency {
  id
  code
  name
  sector
  country
}`) as unknown as TypedDocumentString<ConsoleEventsQuery, ConsoleEventsQueryVariables>;
export const ConsoleCountDocument = new TypedDocumentString(`
    query ConsoleCount($filter: AuditEventFilter) {
  auditEvents(filter: $filter, first: 1) {
    totalCount
  }
}
    `) as unknown as TypedDocumentString<ConsoleCountQuery, ConsoleCountQueryVariables>;
export const ConsoleReportDocument = new TypedDocumentString(`
    query ConsoleReport($id: ID!) {
  disclosureReport(returneeId: $id) {
    returnee {
      id
      caseNumber
    }
    generatedAt
    eventCount
    agencies {
      agency {
        ...AuditAgency
      }
      sectionsRead
      sectionsChanged
      firstAt
      lastAt
      entries {
        staff {
          id
          username
          displayName
        }
        action
        outcome
        purpose
        sections
        records
        fields
        times
        firstAt
        lastAt
      }
    }
  }
}
    fragment AuditAgency on Agency {
  id
  code
  name
  sector
  country
}`) as unknown as TypedDocumentString<ConsoleReportQuery, ConsoleReportQueryVariables>;
export const ConsoleIntegrityDocument = new TypedDocumentString(`
    query ConsoleIntegrity {
  auditIntegrity {
    verified
    eventsChecked
    headPosition
    headHash
    pendingEvents
    problemCount
    checkedAt
    durationMs
    firstBadEvent {
      kind
      eventId
      position
      checkpointId
      detail
    }
    problems {
      kind
      eventId
      position
      checkpointId
      detail
    }
    latestCheckpoint {
      id
      position
      hash
      signedAt
      keyId
      signatureValid
      trustedKey
      chainMatches
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleIntegrityQuery, ConsoleIntegrityQueryVariables>;
export const AppMeDocument = new TypedDocumentString(`
    query AppMe {
  me {
    staff {
      id
      username
      displayName
      roles
      agency {
        ...AgencyBrief
      }
    }
    readableSections
    writableSections
    consentRequiredSections
    canRegisterReturnees
    canGrantCaseAccess
    canRecordConsent
    canReadAuditTrail
  }
}
    fragment AgencyBrief on Agency {
  id
  code
  name
  sector
  country
}`) as unknown as TypedDocumentString<AppMeQuery, AppMeQueryVariables>;
export const FindReturneesDocument = new TypedDocumentString(`
    query FindReturnees($filter: ReturneeFilter, $first: Int!, $after: String) {
  returnees(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      caseNumber
      redactedFields
      givenName
      familyName
      patronymic
      otherNames
      dateOfBirth
      dateOfBirthEstimated
      isMinor
      status
      region
      followUpNeeded
    }
  }
}
    `) as unknown as TypedDocumentString<FindReturneesQuery, FindReturneesQueryVariables>;
export const ReturneeRecordDocument = new TypedDocumentString(`
    query ReturneeRecord($id: ID!) {
  returnee(id: $id) {
    ...ReturneeRecord
  }
}
    fragment AgencyBrief on Agency {
  id
  code
  name
  sector
  country
}
fragment ReturneeRecord on Returnee {
  id
  caseNumber
  version
  redactedFields
  givenName
  familyName
  patronymic
  otherNames
  sex
  dateOfBirth
  dateOfBirthEstimated
  placeOfBirth
  citizenship
  returnedOn
  returnedFrom
  status
  isMinor
  country
  registeringAgency {
    ...AgencyBrief
  }
  createdAt
  updatedAt
  region
  district
  address
  phone
  guardianReturneeId
  guardianName
  guardianRelation
  household {
    id
    caseNumber
    relation
  }
  healthAssessments {
    id
    assessedOn
    findings
    conditions
    treatmentPlan
    vaccination
    disability
    mentalHealthNotes
    followUpNeeded
    fitForSchool
    accommodationsNeeded
    agency {
      ...AgencyBrief
    }
    createdAt
  }
  followUpNeeded
  fitForSchool
  accommodationsNeeded
  literacyLevel
  languages
  specialClasses
  educationProgressNotes {
    id
    notedOn
    note
    agency {
      ...AgencyBrief
    }
    recordedAt
  }
  enrolmentStatus
  school
  grade
  civilDocuments {
    id
    type
    status
    number
    issuedOn
    issuingAuthority
    appliedOn
    notes
    agency {
      ...AgencyBrief
    }
    recordedAt
  }
  documentStatuses {
    type
    status
    lastChangedAt
  }
  socialSupport {
    id
    kind
    description
    startedOn
    endedOn
    provider
    decidingAuthority
    guardianName
    agency {
      ...AgencyBrief
    }
    recordedAt
  }
  supportSessions {
    id
    kind
    startedOn
    endedOn
    place
    notes
    riskNotes
    agency {
      ...AgencyBrief
    }
    recordedAt
  }
  engagementStatus
}`) as unknown as TypedDocumentString<ReturneeRecordQuery, ReturneeRecordQueryVariables>;
export const ReturneeHistoryDocument = new TypedDocumentString(`
    query ReturneeHistory($id: ID!, $first: Int!) {
  returneeHistory(returneeId: $id, first: $first) {
    id
    version
    changedAt
    agencyId
    fields
    previous
  }
}
    `) as unknown as TypedDocumentString<ReturneeHistoryQuery, ReturneeHistoryQueryVariables>;
export const ReturneeSharingDocument = new TypedDocumentString(`
    query ReturneeSharing($id: ID!) {
  consents(returneeId: $id) {
    id
    givenBy
    guardianReturneeId
    guardianName
    sectors
    sections
    purpose
    validFrom
    validUntil
    agency {
      ...AgencyBrief
    }
    recordedAt
    revokedAt
    active
    redactedFields
  }
  caseAccesses(returneeId: $id, includeEnded: true) {
    id
    agency {
      ...AgencyBrief
    }
    basis
    crossBorder
    reason
    grantedAt
    revokedAt
    revocationReason
    active
  }
  referrals(filter: {returneeId: $id}, first: 50) {
    totalCount
    nodes {
      ...ReferralItem
    }
  }
}
    fragment AgencyBrief on Agency {
  id
  code
  name
  sector
  country
}
fragment ReferralItem on Referral {
  id
  returnee {
    id
    caseNumber
  }
  fromAgency {
    ...AgencyBrief
  }
  toAgency {
    ...AgencyBrief
  }
  service
  reason
  crossBorder
  status
  createdAt
  decidedAt
  decisionNote
  closedAt
}`) as unknown as TypedDocumentString<ReturneeSharingQuery, ReturneeSharingQueryVariables>;
export const ReferralsDocument = new TypedDocumentString(`
    query Referrals($filter: ReferralFilter, $first: Int!, $after: String) {
  referrals(filter: $filter, first: $first, after: $after) {
    totalCount
    hasNextPage
    endCursor
    nodes {
      ...ReferralItem
    }
  }
}
    fragment AgencyBrief on Agency {
  id
  code
  name
  sector
  country
}
fragment ReferralItem on Referral {
  id
  returnee {
    id
    caseNumber
  }
  fromAgency {
    ...AgencyBrief
  }
  toAgency {
    ...AgencyBrief
  }
  service
  reason
  crossBorder
  status
  createdAt
  decidedAt
  decisionNote
  closedAt
}`) as unknown as TypedDocumentString<ReferralsQuery, ReferralsQueryVariables>;
export const AgencyDirectoryDocument = new TypedDocumentString(`
    query AgencyDirectory {
  agencies {
    ...AgencyBrief
  }
}
    fragment AgencyBrief on Agency {
  id
  code
  name
  sector
  country
}`) as unknown as TypedDocumentString<AgencyDirectoryQuery, AgencyDirectoryQueryVariables>;
export const AcceptReferralDocument = new TypedDocumentString(`
    mutation AcceptReferral($input: DecideReferralInput!) {
  acceptReferral(input: $input) {
    ...ReferralItem
  }
}
    fragment AgencyBrief on Agency {
  id
  code
  name
  sector
  country
}
fragment ReferralItem on Referral {
  id
  returnee {
    id
    caseNumber
  }
  fromAgency {
    ...AgencyBrief
  }
  toAgency {
    ...AgencyBrief
  }
  service
  reason
  crossBorder
  status
  createdAt
  decidedAt
  decisionNote
  closedAt
}`) as unknown as TypedDocumentString<AcceptReferralMutation, AcceptReferralMutationVariables>;
export const DeclineReferralDocument = new TypedDocumentString(`
    mutation DeclineReferral($input: DecideReferralInput!) {
  declineReferral(input: $input) {
    ...ReferralItem
  }
}
    fragment AgencyBrief on Agency {
  id
  code
  name
  sector
  country
}
fragment ReferralItem on Referral {
  id
  returnee {
    id
    caseNumber
  }
  fromAgency {
    ...AgencyBrief
  }
  toAgency {
    ...AgencyBrief
  }
  service
  reason
  crossBorder
  status
  createdAt
  decidedAt
  decisionNote
  closedAt
}`) as unknown as TypedDocumentString<DeclineReferralMutation, DeclineReferralMutationVariables>;
export const ReferReturneeDocument = new TypedDocumentString(`
    mutation ReferReturnee($input: ReferReturneeInput!) {
  referReturnee(input: $input) {
    ...ReferralItem
  }
}
    fragment AgencyBrief on Agency {
  id
  code
  name
  sector
  country
}
fragment ReferralItem on Referral {
  id
  returnee {
    id
    caseNumber
  }
  fromAgency {
    ...AgencyBrief
  }
  toAgency {
    ...AgencyBrief
  }
  service
  reason
  crossBorder
  status
  createdAt
  decidedAt
  decisionNote
  closedAt
}`) as unknown as TypedDocumentString<ReferReturneeMutation, ReferReturneeMutationVariables>;
export const RecordConsentDocument = new TypedDocumentString(`
    mutation RecordConsent($input: RecordConsentInput!) {
  recordConsent(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<RecordConsentMutation, RecordConsentMutationVariables>;
export const RevokeConsentDocument = new TypedDocumentString(`
    mutation RevokeConsent($input: RevokeConsentInput!) {
  revokeConsent(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<RevokeConsentMutation, RevokeConsentMutationVariables>;
export const GrantCaseAccessDocument = new TypedDocumentString(`
    mutation GrantCaseAccess($input: GrantCaseAccessInput!) {
  grantCaseAccess(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<GrantCaseAccessMutation, GrantCaseAccessMutationVariables>;
export const RevokeCaseAccessDocument = new TypedDocumentString(`
    mutation RevokeCaseAccess($input: RevokeCaseAccessInput!) {
  revokeCaseAccess(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<RevokeCaseAccessMutation, RevokeCaseAccessMutationVariables>;
export const UpdateReturneeDocument = new TypedDocumentString(`
    mutation UpdateReturnee($id: ID!, $expectedVersion: Int!, $input: UpdateReturneeInput!) {
  updateReturnee(id: $id, expectedVersion: $expectedVersion, input: $input) {
    returnee {
      ...ReturneeRecord
    }
  }
}
    fragment AgencyBrief on Agency {
  id
  code
  name
  sector
  country
}
fragment ReturneeRecord on Returnee {
  id
  caseNumber
  version
  redactedFields
  givenName
  familyName
  patronymic
  otherNames
  sex
  dateOfBirth
  dateOfBirthEstimated
  placeOfBirth
  citizenship
  returnedOn
  returnedFrom
  status
  isMinor
  country
  registeringAgency {
    ...AgencyBrief
  }
  createdAt
  updatedAt
  region
  district
  address
  phone
  guardianReturneeId
  guardianName
  guardianRelation
  household {
    id
    caseNumber
    relation
  }
  healthAssessments {
    id
    assessedOn
    findings
    conditions
    treatmentPlan
    vaccination
    disability
    mentalHealthNotes
    followUpNeeded
    fitForSchool
    accommodationsNeeded
    agency {
      ...AgencyBrief
    }
    createdAt
  }
  followUpNeeded
  fitForSchool
  accommodationsNeeded
  literacyLevel
  languages
  specialClasses
  educationProgressNotes {
    id
    notedOn
    note
    agency {
      ...AgencyBrief
    }
    recordedAt
  }
  enrolmentStatus
  school
  grade
  civilDocuments {
    id
    type
    status
    number
    issuedOn
    issuingAuthority
    appliedOn
    notes
    agency {
      ...AgencyBrief
    }
    recordedAt
  }
  documentStatuses {
    type
    status
    lastChangedAt
  }
  socialSupport {
    id
    kind
    description
    startedOn
    endedOn
    provider
    decidingAuthority
    guardianName
    agency {
      ...AgencyBrief
    }
    recordedAt
  }
  supportSessions {
    id
    kind
    startedOn
    endedOn
    place
    notes
    riskNotes
    agency {
      ...AgencyBrief
    }
    recordedAt
  }
  engagementStatus
}`) as unknown as TypedDocumentString<UpdateReturneeMutation, UpdateReturneeMutationVariables>;
export const RecordHealthAssessmentDocument = new TypedDocumentString(`
    mutation RecordHealthAssessment($id: ID!, $input: RecordHealthAssessmentInput!) {
  recordHealthAssessment(returneeId: $id, input: $input) {
    returnee {
      ...ReturneeRecord
    }
  }
}
    fragment AgencyBrief on Agency {
  id
  code
  name
  sector
  country
}
fragment ReturneeRecord on Returnee {
  id
  caseNumber
  version
  redactedFields
  givenName
  familyName
  patronymic
  otherNames
  sex
  dateOfBirth
  dateOfBirthEstimated
  placeOfBirth
  citizenship
  returnedOn
  returnedFrom
  status
  isMinor
  country
  registeringAgency {
    ...AgencyBrief
  }
  createdAt
  updatedAt
  region
  district
  address
  phone
  guardianReturneeId
  guardianName
  guardianRelation
  household {
    id
    caseNumber
    relation
  }
  healthAssessments {
    id
    assessedOn
    findings
    conditions
    treatmentPlan
    vaccination
    disability
    mentalHealthNotes
    followUpNeeded
    fitForSchool
    accommodationsNeeded
    agency {
      ...AgencyBrief
    }
    createdAt
  }
  followUpNeeded
  fitForSchool
  accommodationsNeeded
  literacyLevel
  languages
  specialClasses
  educationProgressNotes {
    id
    notedOn
    note
    agency {
      ...AgencyBrief
    }
    recordedAt
  }
  enrolmentStatus
  school
  grade
  civilDocuments {
    id
    type
    status
    number
    issuedOn
    issuingAuthority
    appliedOn
    notes
    agency {
      ...AgencyBrief
    }
    recordedAt
  }
  documentStatuses {
    type
    status
    lastChangedAt
  }
  socialSupport {
    id
    kind
    description
    startedOn
    endedOn
    provider
    decidingAuthority
    guardianName
    agency {
      ...AgencyBrief
    }
    recordedAt
  }
  supportSessions {
    id
    kind
    startedOn
    endedOn
    place
    notes
    riskNotes
    agency {
      ...AgencyBrief
    }
    recordedAt
  }
  engagementStatus
}`) as unknown as TypedDocumentString<RecordHealthAssessmentMutation, RecordHealthAssessmentMutationVariables>;
export const UpdateEducationDocument = new TypedDocumentString(`
    mutation UpdateEducation($id: ID!, $expectedVersion: Int!, $input: UpdateEducationInput!) {
  updateEducation(
    returneeId: $id
    expectedVersion: $expectedVersion
    input: $input
  ) {
    returnee {
      ...ReturneeRecord
    }
  }
}
    fragment AgencyBrief on Agency {
  id
  code
  name
  sector
  country
}
fragment ReturneeRecord on Returnee {
  id
  caseNumber
  version
  redactedFields
  givenName
  familyName
  patronymic
  otherNames
  sex
  dateOfBirth
  dateOfBirthEstimated
  placeOfBirth
  citizenship
  returnedOn
  returnedFrom
  status
  isMinor
  country
  registeringAgency {
    ...AgencyBrief
  }
  createdAt
  updatedAt
  region
  district
  address
  phone
  guardianReturneeId
  guardianName
  guardianRelation
  household {
    id
    caseNumber
    relation
  }
  healthAssessments {
    id
    assessedOn
    findings
    conditions
    treatmentPlan
    vaccination
    disability
    mentalHealthNotes
    followUpNeeded
    fitForSchool
    accommodationsNeeded
    agency {
      ...AgencyBrief
    }
    createdAt
  }
  followUpNeeded
  fitForSchool
  accommodationsNeeded
  literacyLevel
  languages
  specialClasses
  educationProgressNotes {
    id
    notedOn
    note
    agency {
      ...AgencyBrief
    }
    recordedAt
  }
  enrolmentStatus
  school
  grade
  civilDocuments {
    id
    type
    status
    number
    issuedOn
    issuingAuthority
    appliedOn
    notes
    agency {
      ...AgencyBrief
    }
    recordedAt
  }
  documentStatuses {
    type
    status
    lastChangedAt
  }
  socialSupport {
    id
    kind
    description
    startedOn
    endedOn
    provider
    decidingAuthority
    guardianName
    agency {
      ...AgencyBrief
    }
    recordedAt
  }
  supportSessions {
    id
    kind
    startedOn
    endedOn
    place
    notes
    riskNotes
    agency {
      ...AgencyBrief
    }
    recordedAt
  }
  engagementStatus
}`) as unknown as TypedDocumentString<UpdateEducationMutation, UpdateEducationMutationVariables>;
export const RecordCivilDocumentDocument = new TypedDocumentString(`
    mutation RecordCivilDocument($id: ID!, $input: RecordCivilDocumentInput!) {
  recordCivilDocument(returneeId: $id, input: $input) {
    returnee {
      ...ReturneeRecord
    }
  }
}
    fragment AgencyBrief on Agency {
  id
  code
  name
  sector
  country
}
fragment ReturneeRecord on Returnee {
  id
  caseNumber
  version
  redactedFields
  givenName
  familyName
  patronymic
  otherNames
  sex
  dateOfBirth
  dateOfBirthEstimated
  placeOfBirth
  citizenship
  returnedOn
  returnedFrom
  status
  isMinor
  country
  registeringAgency {
    ...AgencyBrief
  }
  createdAt
  updatedAt
  region
  district
  address
  phone
  guardianReturneeId
  guardianName
  guardianRelation
  household {
    id
    caseNumber
    relation
  }
  healthAssessments {
    id
    assessedOn
    findings
    conditions
    treatmentPlan
    vaccination
    disability
    mentalHealthNotes
    followUpNeeded
    fitForSchool
    accommodationsNeeded
    agency {
      ...AgencyBrief
    }
    createdAt
  }
  followUpNeeded
  fitForSchool
  accommodationsNeeded
  literacyLevel
  languages
  specialClasses
  educationProgressNotes {
    id
    notedOn
    note
    agency {
      ...AgencyBrief
    }
    recordedAt
  }
  enrolmentStatus
  school
  grade
  civilDocuments {
    id
    type
    status
    number
    issuedOn
    issuingAuthority
    appliedOn
    notes
    agency {
      ...AgencyBrief
    }
    recordedAt
  }
  documentStatuses {
    type
    status
    lastChangedAt
  }
  socialSupport {
    id
    kind
    description
    startedOn
    endedOn
    provider
    decidingAuthority
    guardianName
    agency {
      ...AgencyBrief
    }
    recordedAt
  }
  supportSessions {
    id
    kind
    startedOn
    endedOn
    place
    notes
    riskNotes
    agency {
      ...AgencyBrief
    }
    recordedAt
  }
  engagementStatus
}`) as unknown as TypedDocumentString<RecordCivilDocumentMutation, RecordCivilDocumentMutationVariables>;
export const RecordSocialSupportDocument = new TypedDocumentString(`
    mutation RecordSocialSupport($id: ID!, $input: RecordSocialSupportInput!) {
  recordSocialSupport(returneeId: $id, input: $input) {
    returnee {
      ...ReturneeRecord
    }
  }
}
    fragment AgencyBrief on Agency {
  id
  code
  name
  sector
  country
}
fragment ReturneeRecord on Returnee {
  id
  caseNumber
  version
  redactedFields
  givenName
  familyName
  patronymic
  otherNames
  sex
  dateOfBirth
  dateOfBirthEstimated
  placeOfBirth
  citizenship
  returnedOn
  returnedFrom
  status
  isMinor
  country
  registeringAgency {
    ...AgencyBrief
  }
  createdAt
  updatedAt
  region
  district
  address
  phone
  guardianReturneeId
  guardianName
  guardianRelation
  household {
    id
    caseNumber
    relation
  }
  healthAssessments {
    id
    assessedOn
    findings
    conditions
    treatmentPlan
    vaccination
    disability
    mentalHealthNotes
    followUpNeeded
    fitForSchool
    accommodationsNeeded
    agency {
      ...AgencyBrief
    }
    createdAt
  }
  followUpNeeded
  fitForSchool
  accommodationsNeeded
  literacyLevel
  languages
  specialClasses
  educationProgressNotes {
    id
    notedOn
    note
    agency {
      ...AgencyBrief
    }
    recordedAt
  }
  enrolmentStatus
  school
  grade
  civilDocuments {
    id
    type
    status
    number
    issuedOn
    issuingAuthority
    appliedOn
    notes
    agency {
      ...AgencyBrief
    }
    recordedAt
  }
  documentStatuses {
    type
    status
    lastChangedAt
  }
  socialSupport {
    id
    kind
    description
    startedOn
    endedOn
    provider
    decidingAuthority
    guardianName
    agency {
      ...AgencyBrief
    }
    recordedAt
  }
  supportSessions {
    id
    kind
    startedOn
    endedOn
    place
    notes
    riskNotes
    agency {
      ...AgencyBrief
    }
    recordedAt
  }
  engagementStatus
}`) as unknown as TypedDocumentString<RecordSocialSupportMutation, RecordSocialSupportMutationVariables>;
export const RecordSupportSessionDocument = new TypedDocumentString(`
    mutation RecordSupportSession($id: ID!, $input: RecordSupportSessionInput!) {
  recordSupportSession(returneeId: $id, input: $input) {
    returnee {
      ...ReturneeRecord
    }
  }
}
    fragment AgencyBrief on Agency {
  id
  code
  name
  sector
  country
}
fragment ReturneeRecord on Returnee {
  id
  caseNumber
  version
  redactedFields
  givenName
  familyName
  patronymic
  otherNames
  sex
  dateOfBirth
  dateOfBirthEstimated
  placeOfBirth
  citizenship
  returnedOn
  returnedFrom
  status
  isMinor
  country
  registeringAgency {
    ...AgencyBrief
  }
  createdAt
  updatedAt
  region
  district
  address
  phone
  guardianReturneeId
  guardianName
  guardianRelation
  household {
    id
    caseNumber
    relation
  }
  healthAssessments {
    id
    assessedOn
    findings
    conditions
    treatmentPlan
    vaccination
    disability
    mentalHealthNotes
    followUpNeeded
    fitForSchool
    accommodationsNeeded
    agency {
      ...AgencyBrief
    }
    createdAt
  }
  followUpNeeded
  fitForSchool
  accommodationsNeeded
  literacyLevel
  languages
  specialClasses
  educationProgressNotes {
    id
    notedOn
    note
    agency {
      ...AgencyBrief
    }
    recordedAt
  }
  enrolmentStatus
  school
  grade
  civilDocuments {
    id
    type
    status
    number
    issuedOn
    issuingAuthority
    appliedOn
    notes
    agency {
      ...AgencyBrief
    }
    recordedAt
  }
  documentStatuses {
    type
    status
    lastChangedAt
  }
  socialSupport {
    id
    kind
    description
    startedOn
    endedOn
    provider
    decidingAuthority
    guardianName
    agency {
      ...AgencyBrief
    }
    recordedAt
  }
  supportSessions {
    id
    kind
    startedOn
    endedOn
    place
    notes
    riskNotes
    agency {
      ...AgencyBrief
    }
    recordedAt
  }
  engagementStatus
}`) as unknown as TypedDocumentString<RecordSupportSessionMutation, RecordSupportSessionMutationVariables>;