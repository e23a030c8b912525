/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** What an audited operation did to a record */
export type AuditAction =
  /** A record was created */
  | 'CREATE'
  /** A record was deleted (reserved: nothing is deleted today; ending or revoking is an UPDATE) */
  | 'DELETE'
  /** An attempt was refused (by policy, scope or validation); see outcome and reason */
  | 'DENY'
  /** Fields were read (the event names them, never their values) */
  | 'READ'
  /** Fields were changed */
  | 'UPDATE';

/** All given conditions must hold. Time range: from inclusive, to exclusive. */
export type AuditEventFilter = {
  /** Only events with one of these actions */
  actions?: Array<AuditAction> | null | undefined;
  /** Only events by this agency's staff (UUID) */
  agencyId?: string | number | null | undefined;
  /** Disclosures on this basis (e.g. BREAK_GLASS: every emergency opening) */
  basis?: DisclosureBasisKind | null | undefined;
  /** With basis: disclosures under this consent, agreement or break-glass (e.g. everything agreement X let through) */
  basisRef?: string | number | null | undefined;
  /** Only events at or after this time (inclusive) */
  from?: string | null | undefined;
  /** true: leave out your own READ events (the searches and reads you made yourself); the count and the pages leave them out alike */
  hideOwnReads?: boolean | null | undefined;
  /** Only events with one of these outcomes */
  outcomes?: Array<AuditOutcome> | null | undefined;
  /** Only events about this returnee (UUID); out of your scope is NOT_FOUND */
  returneeId?: string | number | null | undefined;
  /** Only events by this staff account (UUID) */
  staffId?: string | number | null | undefined;
  /** Only events before this time (exclusive); must be after from */
  to?: string | null | undefined;
};

/** How an audited operation ended */
export type AuditOutcome =
  /** Refused because of a conflicting state, e.g. a stale expectedVersion */
  | 'CONFLICT'
  /** Refused by policy (FORBIDDEN) */
  | 'DENIED'
  /** Failed inside the hub (INTERNAL_SERVER_ERROR); nothing was written */
  | 'ERROR'
  /** Refused because of bad input (BAD_USER_INPUT) */
  | 'INVALID'
  /** The record does not exist or is outside the caller's scope (the caller cannot tell which) */
  | 'NOT_FOUND'
  /** A retried mutation (same Idempotency-Key) answered with the first one's result, without a second effect */
  | 'REPLAYED'
  /** It did what was asked */
  | 'SUCCESS';

/** Where an agency's access to a record it did not register comes from */
export type CaseAccessBasis =
  /** A supervisor of an agency that sees the record granted it (grantCaseAccess) */
  | 'GRANT'
  /** The agency accepted a referral of the record (acceptReferral); it ends when the referral is closed */
  | 'REFERRAL';

/** Where a civil document stands; MISSING also when nothing was ever recorded */
export type CivilDocumentStatus =
  /** Applied for, not issued yet (appliedOn says when) */
  | 'APPLIED'
  /** Issued and held (number, issuedOn and issuingAuthority in the DOCUMENTS section) */
  | 'ISSUED'
  /** The person has no such document (lost, never issued, or nothing recorded) */
  | 'MISSING';

/** A kind of civil document */
export type CivilDocumentType =
  /** Birth certificate (often never issued for children born abroad) */
  | 'BIRTH_CERTIFICATE'
  /** National identity card */
  | 'ID_CARD'
  /** Passport (national or travel) */
  | 'PASSPORT';

/** Who gave a consent. Judged by the person's status today: a consent given by the wrong one for today is not active */
export type ConsentGiver =
  /** The guardian on record, while the person is a minor */
  | 'GUARDIAN'
  /** The person, while an adult */
  | 'SELF';

/** A decision on a referral: accept, decline or close */
export type DecideReferralInput = {
  /** The referral */
  id: string | number;
  /** Why, at most 1000 characters; required to decline; kept on the referral (decisionNote) and shown to both agencies */
  note?: string | null | undefined;
};

/** Why a disclosure was lawful, recorded on every READ event per section disclosed (docs/disclosure-basis.md) */
export type DisclosureBasisKind =
  /** A data-sharing agreement between the agencies; ref and version name it */
  | 'AGREEMENT'
  /** An emergency opening, reviewed afterwards; ref is the break-glass */
  | 'BREAK_GLASS'
  /** The person's (or the guardian's) consent covering the caller's sector and the section; ref is the consent */
  | 'CONSENT'
  /** The policy's named legal duty (e.g. health care of a minor); legalBasis quotes it */
  | 'LEGAL_DUTY'
  /** A section of the caller's own sector, in its policy's scope */
  | 'OWN_SECTOR';

/** A progress note to append (EDUCATION section) */
export type EducationProgressNoteInput = {
  /** The note, 1-5000 characters */
  note: string;
  /** Day the progress was observed, YYYY-MM-DD, not in the future */
  notedOn: string;
};

/** How a returnee engages with psychosocial support (PSYCHOSOCIAL_SUMMARY section, shared more widely than the sessions) */
export type EngagementStatus =
  /** Finished the planned support */
  | 'COMPLETED'
  /** Stopped taking part */
  | 'DISENGAGED'
  /** Takes part regularly */
  | 'ENGAGED'
  /** Takes part now and then */
  | 'IRREGULAR'
  /** No support has started yet */
  | 'NOT_STARTED';

/** School enrolment (EDUCATION_SUMMARY section) */
export type EnrolmentStatus =
  /** Enrolled in a (specialised) boarding school */
  | 'BOARDING_SCHOOL'
  /** Finished schooling */
  | 'COMPLETED'
  /** Enrolled in a regular school */
  | 'ENROLLED'
  /** In a literacy or catch-up class before regular school */
  | 'LITERACY_CLASS'
  /** Not attending any school or class */
  | 'NOT_ENROLLED';

/** Share a record your agency sees with another agency; the new access ends with yours */
export type GrantCaseAccessInput = {
  /** The agency to share it with */
  agencyId: string | number;
  /** Must be true to share with an agency in another country */
  crossBorder?: boolean;
  /** Why the agency needs the record, 5-1000 characters (kept with the access and audited) */
  reason: string;
  /** The record to share; out of your scope is NOT_FOUND */
  returneeId: string | number;
};

/** How a household member is related to the record it is listed on */
export type HouseholdRelation =
  /** The member is this record's guardian */
  | 'GUARDIAN'
  /** This record is the guardian of the member */
  | 'WARD';

/** Assessed reading and writing level in the language of schooling (EDUCATION section) */
export type LiteracyLevel =
  /** Reads and writes letters, words and short sentences */
  | 'BASIC'
  /** Reads and writes at or above the level of their age group */
  | 'FLUENT'
  /** Reads and writes well enough for everyday life and regular lessons */
  | 'FUNCTIONAL'
  /** Cannot read or write */
  | 'NONE';

/** Records the document of this type. If one exists it becomes a new version: fields not sent are kept from the previous version where the new status allows them (null clears one). A MISSING document has no number, dates or authority; an APPLIED one no number or issue date. */
export type RecordCivilDocumentInput = {
  /** Day of the application, YYYY-MM-DD; APPLIED or ISSUED */
  appliedOn?: string | null | undefined;
  /** Day of issue, YYYY-MM-DD; ISSUED only */
  issuedOn?: string | null | undefined;
  /** The authority that issued it, 1-200 characters; ISSUED only */
  issuingAuthority?: string | null | undefined;
  /** Notes on the case, 1-2000 characters */
  notes?: string | null | undefined;
  /** Only for ISSUED documents */
  number?: string | null | undefined;
  /** Where it stands now */
  status: CivilDocumentStatus;
  /** Which document */
  type: CivilDocumentType;
};

/** A consent as the person (or, for a minor, the guardian on record) gave it. Recorded by the sectors whose policy lets them (SOCIAL and NGO caseworkers and supervisors by default), on records their agency works on. */
export type RecordConsentInput = {
  /** Who consents; must be whom the person's status today requires (SELF for an adult) */
  givenBy: ConsentGiver;
  /** GUARDIAN: the guardian on record (the record's guardianName, or a guardianship decision in force) */
  guardianName?: string | null | undefined;
  /** GUARDIAN: the guardian on record, when a returnee */
  guardianReturneeId?: string | number | null | undefined;
  /** The purpose the person agreed to, 5-500 characters */
  purpose: string;
  /** The record; out of your scope is NOT_FOUND */
  returneeId: string | number;
  /** Sections to open, any but REFERENCE */
  sections: Array<Section>;
  /** 1 to 4 of HEALTH, EDUCATION, SOCIAL, NGO */
  sectors: Array<Sector>;
  /** First day it applies, YYYY-MM-DD; default: today */
  validFrom?: string | null | undefined;
  /** Last day it applies, YYYY-MM-DD; open-ended when omitted */
  validUntil?: string | null | undefined;
};

/** An examination by a HEALTH agency (HEALTH section, written by HEALTH only); the newest one sets the shareable HEALTH_FLAGS */
export type RecordHealthAssessmentInput = {
  /** Becomes the shareable accommodationsNeeded flag */
  accommodationsNeeded?: string | null | undefined;
  /** Day of the examination, YYYY-MM-DD, not in the future nor before birth */
  assessedOn: string;
  /** Conditions diagnosed, at most 50 of at most 200 characters */
  conditions?: Array<string> | null | undefined;
  /** Disabilities found, at most 500 characters */
  disability?: string | null | undefined;
  /** Findings, 1-5000 characters */
  findings: string;
  /** Becomes the shareable fitForSchool flag */
  fitForSchool?: boolean | null | undefined;
  /** Becomes the returnee's shareable followUpNeeded flag */
  followUpNeeded: boolean;
  /** Mental-health observations, at most 5000 characters */
  mentalHealthNotes?: string | null | undefined;
  /** Treatment prescribed or planned, at most 5000 characters */
  treatmentPlan?: string | null | undefined;
  /** Vaccination status or doses given, at most 200 characters */
  vaccination?: string | null | undefined;
};

/** decidingAuthority and guardianName are required for, and only for, a GUARDIANSHIP_DECISION */
export type RecordSocialSupportInput = {
  /** GUARDIANSHIP_DECISION only: the authority that decided, 1-200 characters */
  decidingAuthority?: string | null | undefined;
  /** What the measure is, 1-2000 characters */
  description: string;
  /** Last day, YYYY-MM-DD, not before startedOn nor in the future; omit while running */
  endedOn?: string | null | undefined;
  /** GUARDIANSHIP_DECISION only: the appointed guardian, 1-200 characters */
  guardianName?: string | null | undefined;
  /** What kind of measure */
  kind: SocialSupportKind;
  /** Employer, training centre, paying office or landlord, 1-200 characters */
  provider?: string | null | undefined;
  /** First day, YYYY-MM-DD, not in the future */
  startedOn: string;
};

/** A REHABILITATION_CENTRE_STAY needs its place. engagementStatus, when sent, becomes the record's PSYCHOSOCIAL_SUMMARY. */
export type RecordSupportSessionInput = {
  /** Last day of a stay, YYYY-MM-DD, not before startedOn nor in the future; omit while ongoing */
  endedOn?: string | null | undefined;
  /** When sent, becomes the record's engagementStatus (PSYCHOSOCIAL_SUMMARY) */
  engagementStatus?: EngagementStatus | null | undefined;
  /** What kind of support */
  kind: SupportSessionKind;
  /** The counsellor's notes, 1-5000 characters */
  notes?: string | null | undefined;
  /** Centre or place, 1-200 characters; required for REHABILITATION_CENTRE_STAY */
  place?: string | null | undefined;
  /** Risks noted, 1-5000 characters */
  riskNotes?: string | null | undefined;
  /** Day of the session, or first day of a stay, YYYY-MM-DD, not in the future */
  startedOn: string;
};

/** A referral of a record your agency sees to another agency. Needs an active consent covering the receiving agency's sector. */
export type ReferReturneeInput = {
  /** Must be true to refer to an agency in another country */
  crossBorder?: boolean;
  /** Why, 5-2000 characters; the receiving agency reads it */
  reason: string;
  /** The record to refer; out of your scope is NOT_FOUND */
  returneeId: string | number;
  /** The service asked for, e.g. "health screening", "school placement" */
  service: string;
  /** The agency asked to provide the service */
  toAgencyId: string | number;
};

/** Which referrals, relative to your agency */
export type ReferralDirection =
  /** Both */
  | 'ANY'
  /** Sent to your agency */
  | 'INCOMING'
  /** Sent by your agency */
  | 'OUTGOING';

/** All given conditions must hold */
export type ReferralFilter = {
  /** Incoming, outgoing or both (the default) */
  direction?: ReferralDirection;
  /** Only referrals of this record */
  returneeId?: string | number | null | undefined;
  /** Only referrals in this status */
  status?: ReferralStatus | null | undefined;
};

/** Where a referral stands */
export type ReferralStatus =
  /** Accepted by a supervisor of the receiving agency, which now has case access to the record */
  | 'ACCEPTED'
  /** An accepted referral was closed; the access it gave, and any derived from it, ended */
  | 'CLOSED'
  /** Declined by the receiving agency, with a note; no access was given */
  | 'DECLINED'
  /** Sent; the receiving agency has not decided. Shows the record reference only, no case access */
  | 'PENDING';

/** All given conditions must hold. Every filter needs read access to the fields it looks at (FORBIDDEN otherwise); on fields you read only under consent, records whose value is hidden from you never match. */
export type ReturneeFilter = {
  /** Only records whose followUpNeeded flag has this value (HEALTH_FLAGS) */
  followUpNeeded?: boolean | null | undefined;
  /** True: only minors (under 18 today); false: only adults (IDENTITY) */
  isMinor?: boolean | null | undefined;
  /** Only records in this region, exact match (CONTACT) */
  region?: string | null | undefined;
  /** Matches given, family or other names (any spelling), case-insensitive substring, 2-100 characters (IDENTITY) */
  search?: string | null | undefined;
  /** Only records with this status (IDENTITY) */
  status?: ReturneeStatus | null | undefined;
};

/** Where a returnee stands in reintegration (IDENTITY section) */
export type ReturneeStatus =
  /** The case is closed; the record is kept */
  | 'CLOSED'
  /** A child in institutional care, e.g. a specialised boarding school, with an appointed guardian */
  | 'IN_CARE'
  /** Staying at a rehabilitation centre after arrival (typically several weeks) */
  | 'IN_REHABILITATION'
  /** Living in a community, with a family or independently */
  | 'RESETTLED'
  /** Moved to another agency's or country's responsibility */
  | 'TRANSFERRED';

/** End an access, and every access derived from it */
export type RevokeCaseAccessInput = {
  /** The CaseAccess to end (see the caseAccesses query) */
  id: string | number;
  /** Why it ends, 5-1000 characters (kept with the access and audited) */
  reason: string;
};

/** Withdraw a consent; sharing that relied on it stops from the next request */
export type RevokeConsentInput = {
  /** The consent (Consent.id) */
  id: string | number;
  /** Why it is withdrawn, 3-500 characters (kept and audited) */
  reason: string;
};

/** A staff member's roles within their agency; what each role may do depends on the agency's sector policy */
export type Role =
  /** In an ADMINISTRATION agency: creates agencies and staff accounts and deactivates accounts */
  | 'ADMIN'
  /** In an OVERSIGHT agency: reads the audit trail, disclosure reports and integrity checks */
  | 'AUDITOR'
  /** Reads records in the agency's scope and writes its sector's sections; refers returnees */
  | 'CASEWORKER'
  /** Everything a caseworker does, plus accepting or declining referrals and granting or revoking case access */
  | 'SUPERVISOR';

/** A named set of returnee fields that policies grant as a unit; consents open sections to sectors. */
export type Section =
  /** Fields: region, district, address, phone, guardianReturneeId, guardianName, guardianRelation, household. CONTACT section: written by SOCIAL; read by HEALTH, NGO only while a consent of the returnee covers them (HEALTH: also for a minor without consent, on the legal basis its policy names). Within those sectors, staff with role CASEWORKER or SUPERVISOR read it. */
  | 'CONTACT'
  /** Fields: civilDocuments. DOCUMENTS section: written by SOCIAL; shared with no other sector. Within those sectors, staff with role CASEWORKER or SUPERVISOR read it. */
  | 'DOCUMENTS'
  /** Fields: documentStatuses. DOCUMENTS_STATUS section: written by SOCIAL; read by HEALTH, EDUCATION, NGO only while a consent of the returnee covers them. Within those sectors, staff with role CASEWORKER or SUPERVISOR read it. */
  | 'DOCUMENTS_STATUS'
  /** Fields: literacyLevel, languages, specialClasses, educationProgressNotes. EDUCATION section: written by EDUCATION; shared with no other sector. Within those sectors, staff with role CASEWORKER or SUPERVISOR read it. */
  | 'EDUCATION'
  /** Fields: enrolmentStatus, school, grade. EDUCATION_SUMMARY section: written by EDUCATION; read by HEALTH, SOCIAL, NGO only while a consent of the returnee covers them. Within those sectors, staff with role CASEWORKER or SUPERVISOR read it. */
  | 'EDUCATION_SUMMARY'
  /** Fields: healthAssessments. HEALTH section: written by HEALTH; shared with no other sector. Within those sectors, staff with role CASEWORKER or SUPERVISOR read it. */
  | 'HEALTH'
  /** Fields: followUpNeeded, fitForSchool, accommodationsNeeded. HEALTH_FLAGS section: written by HEALTH; read by EDUCATION, SOCIAL, NGO only while a consent of the returnee covers them (EDUCATION: also for a minor without consent, on the legal basis its policy names). Within those sectors, staff with role CASEWORKER or SUPERVISOR read it. */
  | 'HEALTH_FLAGS'
  /** Fields: caseNumber, givenName, familyName, patronymic, otherNames, sex, dateOfBirth, dateOfBirthEstimated, placeOfBirth, citizenship, returnedOn, returnedFrom, status, isMinor, country, registeringAgency, createdAt, updatedAt. IDENTITY section: written by SOCIAL, NGO; read by HEALTH, EDUCATION only while a consent of the returnee covers them (HEALTH, EDUCATION: also for a minor without consent, on the legal basis its policy names). Within those sectors, staff with role CASEWORKER or SUPERVISOR read it. */
  | 'IDENTITY'
  /** Fields: supportSessions. PSYCHOSOCIAL section: written by NGO; shared with no other sector. Within those sectors, staff with role CASEWORKER or SUPERVISOR read it. */
  | 'PSYCHOSOCIAL'
  /** Fields: engagementStatus. PSYCHOSOCIAL_SUMMARY section: written by NGO; read by HEALTH, SOCIAL only while a consent of the returnee covers them. Within those sectors, staff with role CASEWORKER or SUPERVISOR read it. */
  | 'PSYCHOSOCIAL_SUMMARY'
  /** Fields: id, caseNumber, version. REFERENCE: shown to every agency that sees the record at all, and to auditors of its country. */
  | 'REFERENCE'
  /** Fields: socialSupport. SOCIAL_SUPPORT section: written by SOCIAL; read by HEALTH, NGO only while a consent of the returnee covers them. Within those sectors, staff with role CASEWORKER or SUPERVISOR read it. */
  | 'SOCIAL_SUPPORT';

/** The kind of agency; policies are written per sector (policies/*.policy.ts), and consents name the sectors they open sections to. */
export type Sector =
  /** Operators who onboard agencies and staff; see no returnee records */
  | 'ADMINISTRATION'
  /** Schools, boarding schools and education departments */
  | 'EDUCATION'
  /** Polyclinics, hospitals and the medical staff of rehabilitation centres */
  | 'HEALTH'
  /** Non-governmental organisations: psychosocial support and rehabilitation; they register returnees */
  | 'NGO'
  /** Oversight bodies and data-protection officers: read the audit trail, see records only as id and case number */
  | 'OVERSIGHT'
  /** Social-protection departments: documents, benefits, housing, guardianship; they register returnees */
  | 'SOCIAL';

/** Sex as registered */
export type Sex =
  /** Female */
  | 'FEMALE'
  /** Male */
  | 'MALE';

/** A kind of social-support measure (SOCIAL_SUPPORT section) */
export type SocialSupportKind =
  /** A social benefit or allowance */
  | 'BENEFIT'
  /** A job placement */
  | 'EMPLOYMENT'
  /** An authority's decision appointing a guardian for a child (names the authority and the guardian) */
  | 'GUARDIANSHIP_DECISION'
  /** Housing provided or arranged */
  | 'HOUSING'
  /** Vocational training or retraining */
  | 'RETRAINING';

/** A kind of psychosocial support (PSYCHOSOCIAL section) */
export type SupportSessionKind =
  /** An individual counselling session with a psychologist */
  | 'COUNSELLING'
  /** Mediation with family members */
  | 'FAMILY_MEDIATION'
  /** A group session */
  | 'GROUP_SESSION'
  /** A stay at a rehabilitation centre (needs its place; endedOn null while ongoing) */
  | 'REHABILITATION_CENTRE_STAY'
  /** A conversation with a religious scholar */
  | 'RELIGIOUS_COUNSELLING';

/** Only the fields present change (null clears one); progressNote appends a note. */
export type UpdateEducationInput = {
  /** School enrolment (EDUCATION_SUMMARY) */
  enrolmentStatus?: EnrolmentStatus | null | undefined;
  /** E.g. 3, 3A, preparatory */
  grade?: string | null | undefined;
  /** Languages the child speaks or reads, e.g. Kazakh, Russian, Arabic */
  languages?: Array<string> | null | undefined;
  /** Assessed reading and writing level (EDUCATION) */
  literacyLevel?: LiteracyLevel | null | undefined;
  /** Appends a progress note (EDUCATION) */
  progressNote?: EducationProgressNoteInput | null | undefined;
  /** School or boarding school, 1-200 characters (EDUCATION_SUMMARY) */
  school?: string | null | undefined;
  /** E.g. state-language literacy class, catch-up mathematics */
  specialClasses?: Array<string> | null | undefined;
};

/** Only the fields present are changed; every one must be writable by your sector. */
export type UpdateReturneeInput = {
  /** Accommodations the person needs, at most 500 characters (normally set by recordHealthAssessment). HEALTH_FLAGS section: only HEALTH may send it; a write with a field your sector may not write is refused whole (FORBIDDEN, naming the fields). */
  accommodationsNeeded?: string | null | undefined;
  /** Street address, at most 300 characters. CONTACT section: only SOCIAL may send it; a write with a field your sector may not write is refused whole (FORBIDDEN, naming the fields). */
  address?: string | null | undefined;
  /** Citizenship, ISO 3166-1 alpha-2 code (e.g. KZ). IDENTITY section: only SOCIAL, NGO may send it; a write with a field your sector may not write is refused whole (FORBIDDEN, naming the fields). */
  citizenship?: string | null | undefined;
  /** Date of birth, YYYY-MM-DD; when only the year is known send YYYY-01-01 with dateOfBirthEstimated true. Required on register. IDENTITY section: only SOCIAL, NGO may send it; a write with a field your sector may not write is refused whole (FORBIDDEN, naming the fields). */
  dateOfBirth?: string | null | undefined;
  /** True when dateOfBirth is an estimate. IDENTITY section: only SOCIAL, NGO may send it; a write with a field your sector may not write is refused whole (FORBIDDEN, naming the fields). */
  dateOfBirthEstimated?: boolean | null | undefined;
  /** District within the region, at most 100 characters. CONTACT section: only SOCIAL may send it; a write with a field your sector may not write is refused whole (FORBIDDEN, naming the fields). */
  district?: string | null | undefined;
  /** Family name, 1-100 letters, spaces, apostrophes, dots or dashes, any script. Required on register. IDENTITY section: only SOCIAL, NGO may send it; a write with a field your sector may not write is refused whole (FORBIDDEN, naming the fields). */
  familyName?: string | null | undefined;
  /** Fit to attend school (normally set by recordHealthAssessment). HEALTH_FLAGS section: only HEALTH may send it; a write with a field your sector may not write is refused whole (FORBIDDEN, naming the fields). */
  fitForSchool?: boolean | null | undefined;
  /** A health follow-up is needed (normally set by recordHealthAssessment). HEALTH_FLAGS section: only HEALTH may send it; a write with a field your sector may not write is refused whole (FORBIDDEN, naming the fields). */
  followUpNeeded?: boolean | null | undefined;
  /** Given (first) name, 1-100 letters, spaces, apostrophes, dots or dashes, any script. Required on register. IDENTITY section: only SOCIAL, NGO may send it; a write with a field your sector may not write is refused whole (FORBIDDEN, naming the fields). */
  givenName?: string | null | undefined;
  /** Name of a guardian who is not a returnee, at most 200 characters. CONTACT section: only SOCIAL may send it; a write with a field your sector may not write is refused whole (FORBIDDEN, naming the fields). */
  guardianName?: string | null | undefined;
  /** The guardian's relation to the person, e.g. grandmother, at most 100 characters. CONTACT section: only SOCIAL may send it; a write with a field your sector may not write is refused whole (FORBIDDEN, naming the fields). */
  guardianRelation?: string | null | undefined;
  /** Id of the guardian when the guardian is a returnee in your scope. CONTACT section: only SOCIAL may send it; a write with a field your sector may not write is refused whole (FORBIDDEN, naming the fields). */
  guardianReturneeId?: string | number | null | undefined;
  /** Other spellings and transliterations, at most 20 of 1-100 characters; they make the record findable by search and by duplicate checks. IDENTITY section: only SOCIAL, NGO may send it; a write with a field your sector may not write is refused whole (FORBIDDEN, naming the fields). */
  otherNames?: Array<string> | null | undefined;
  /** Patronymic (father's name), 1-100 characters. IDENTITY section: only SOCIAL, NGO may send it; a write with a field your sector may not write is refused whole (FORBIDDEN, naming the fields). */
  patronymic?: string | null | undefined;
  /** Phone number: 5-32 digits, spaces, dashes or brackets, optionally starting with +. CONTACT section: only SOCIAL may send it; a write with a field your sector may not write is refused whole (FORBIDDEN, naming the fields). */
  phone?: string | null | undefined;
  /** Place of birth, free text, at most 200 characters. IDENTITY section: only SOCIAL, NGO may send it; a write with a field your sector may not write is refused whole (FORBIDDEN, naming the fields). */
  placeOfBirth?: string | null | undefined;
  /** Region of residence, at most 100 characters. CONTACT section: only SOCIAL may send it; a write with a field your sector may not write is refused whole (FORBIDDEN, naming the fields). */
  region?: string | null | undefined;
  /** Country returned from, ISO 3166-1 alpha-2 code (e.g. SY, IQ). IDENTITY section: only SOCIAL, NGO may send it; a write with a field your sector may not write is refused whole (FORBIDDEN, naming the fields). */
  returnedFrom?: string | null | undefined;
  /** Date of return to the country, YYYY-MM-DD. IDENTITY section: only SOCIAL, NGO may send it; a write with a field your sector may not write is refused whole (FORBIDDEN, naming the fields). */
  returnedOn?: string | null | undefined;
  /** Sex. Required on register. IDENTITY section: only SOCIAL, NGO may send it; a write with a field your sector may not write is refused whole (FORBIDDEN, naming the fields). */
  sex?: Sex | null | undefined;
  /** Where the person stands in reintegration. IDENTITY section: only SOCIAL, NGO may send it; a write with a field your sector may not write is refused whole (FORBIDDEN, naming the fields). */
  status?: ReturneeStatus | null | undefined;
};

export type AuditAgencyFragment = { id: string, code: string, name: string, sector: Sector, country: string };

export type AuditBasisFragment = { section: Section | null, kind: DisclosureBasisKind, ref: string | null, version: number | null, legalBasis: string | null, consentRef: string | null };

export type ConsoleMeQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleMeQuery = { me: { canReadAuditTrail: boolean, staff: { id: string, username: string, displayName: string, roles: Array<Role>, agency: { code: string, name: string, sector: Sector, country: string } } } };

export type ConsoleAgenciesQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleAgenciesQuery = { agencies: Array<{ id: string, code: string, name: string, sector: Sector, country: string }> };

export type ConsoleEventsQueryVariables = Exact<{
  filter?: AuditEventFilter | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type ConsoleEventsQuery = { auditEvents: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, occurredAt: string, requestId: string, action: AuditAction, outcome: AuditOutcome, reason: string | null, entityType: string, entityId: string | null, fields: Array<string>, deniedFields: Array<string>, sections: Array<Section>, purpose: string | null, operation: string | null, chainPosition: string | null, returnee: { id: string, caseNumber: string | null } | null, staff: { id: string, username: string | null, displayName: string | null } | null, agency: { id: string, code: string, name: string, sector: Sector, country: string } | null, basis: Array<{ section: Section | null, kind: DisclosureBasisKind, ref: string | null, version: number | null, legalBasis: string | null, consentRef: string | null }> } }> } };

export type ConsoleCountQueryVariables = Exact<{
  filter?: AuditEventFilter | null | undefined;
}>;


export type ConsoleCountQuery = { auditEvents: { totalCount: number } };

export type ConsoleReportQueryVariables = Exact<{
  id: string | number;
}>;


export type ConsoleReportQuery = { disclosureReport: { generatedAt: string, eventCount: number, returnee: { id: string, caseNumber: string | null }, agencies: Array<{ sectionsRead: Array<Section>, sectionsChanged: Array<Section>, firstAt: string, lastAt: string, agency: { id: string, code: string, name: string, sector: Sector, country: string } | null, entries: Array<{ action: AuditAction, outcome: AuditOutcome, purpose: string | null, sections: Array<Section>, records: Array<string>, fields: Array<string>, times: number, firstAt: string, lastAt: string, staff: { id: string, username: string | null, displayName: string | null } | null }> }>, byBasis: Array<{ kind: DisclosureBasisKind, ref: string | null, version: number | null, legalBasis: string | null, sections: Array<Section>, times: number, firstAt: string, lastAt: string, agencies: Array<{ id: string, code: string, name: string, sector: Sector, country: string }> }> } };

export type ConsoleIntegrityQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleIntegrityQuery = { auditIntegrity: { verified: boolean, eventsChecked: number, headPosition: string, headHash: string, pendingEvents: number, problemCount: number, checkedAt: string, durationMs: number, firstBadEvent: { kind: string, eventId: string | null, position: string | null, checkpointId: string | null, detail: string } | null, problems: Array<{ kind: string, eventId: string | null, position: string | null, checkpointId: string | null, detail: string }>, latestCheckpoint: { id: string, position: string, hash: string, signedAt: string, keyId: string, signatureValid: boolean, trustedKey: boolean, chainMatches: boolean } | null } };

export type ConsoleAgreementsQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleAgreementsQuery = { sharingAgreements: Array<{ id: string, version: number, documentRef: string, purposes: Array<string>, sections: Array<Section>, validFrom: string, validUntil: string | null, active: boolean, suspendedAt: string | null, recipientSector: Sector | null, recipientCountry: string | null, holder: { id: string, code: string, name: string, sector: Sector, country: string }, recipientAgency: { id: string, code: string, name: string, sector: Sector, country: string } | null }> };

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
export const AuditBasisFragmentDoc = new TypedDocumentString(`
    fragment AuditBasis on DisclosureBasis {
  section
  kind
  ref
  version
  legalBasis
  consentRef
}
    `, {"fragmentName":"AuditBasis"}) as unknown as TypedDocumentString<AuditBasisFragment, unknown>;
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
        basis {
          ...AuditBasis
        }
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
}
fragment AuditBasis on DisclosureBasis {
  section
  kind
  ref
  version
  legalBasis
  consentRef
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
    byBasis {
      kind
      ref
      version
      legalBasis
      sections
      agencies {
        ...AuditAgency
      }
      times
      firstAt
      lastAt
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
export const ConsoleAgreementsDocument = new TypedDocumentString(`
    query ConsoleAgreements {
  sharingAgreements {
    id
    version
    documentRef
    purposes
    sections
    validFrom
    validUntil
    active
    suspendedAt
    holder {
      ...AuditAgency
    }
    recipientAgency {
      ...AuditAgency
    }
    recipientSector
    recipientCountry
  }
}
    fragment AuditAgency on Agency {
  id
  code
  name
  sector
  country
}`) as unknown as TypedDocumentString<ConsoleAgreementsQuery, ConsoleAgreementsQueryVariables>;
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