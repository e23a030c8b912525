/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
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

export type WhoAmIQueryVariables = Exact<{ [key: string]: never; }>;


export type WhoAmIQuery = { me: { readableSections: Array<Section>, writableSections: Array<Section>, staff: { username: string, agency: { code: string, sector: Sector } } } };

export type ReturneePageQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  filter?: ReturneeFilter | null | undefined;
}>;


export type ReturneePageQuery = { returnees: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, caseNumber: string, givenName: string | null, familyName: string | null, isMinor: boolean | null, region: string | null, followUpNeeded: boolean | null, redactedFields: Array<string> }> } };

export type RecordHealthAssessmentMutationVariables = Exact<{
  returneeId: string | number;
  input: RecordHealthAssessmentInput;
}>;


export type RecordHealthAssessmentMutation = { recordHealthAssessment: { returnee: { id: string, caseNumber: string, version: number, followUpNeeded: boolean | null, healthAssessments: Array<{ id: string, assessedOn: string, findings: string }> | null } } };

export type ReferralsOfReturneeQueryVariables = Exact<{
  returneeId: string | number;
}>;


export type ReferralsOfReturneeQuery = { referrals: { nodes: Array<{ id: string, status: ReferralStatus, service: string, fromAgency: { code: string }, toAgency: { code: string } }> } };

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

export const WhoAmIDocument = new TypedDocumentString(`
    query WhoAmI {
  me {
    staff {
      username
      agency {
        code
        sector
      }
    }
    readableSections
    writableSections
  }
}
    `) as unknown as TypedDocumentString<WhoAmIQuery, WhoAmIQueryVariables>;
export const ReturneePageDocument = new TypedDocumentString(`
    query ReturneePage($first: Int!, $after: String, $filter: ReturneeFilter) {
  returnees(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      caseNumber
      givenName
      familyName
      isMinor
      region
      followUpNeeded
      redactedFields
    }
  }
}
    `) as unknown as TypedDocumentString<ReturneePageQuery, ReturneePageQueryVariables>;
export const RecordHealthAssessmentDocument = new TypedDocumentString(`
    mutation RecordHealthAssessment($returneeId: ID!, $input: RecordHealthAssessmentInput!) {
  recordHealthAssessment(returneeId: $returneeId, input: $input) {
    returnee {
      id
      caseNumber
      version
      followUpNeeded
      healthAssessments {
        id
        assessedOn
        findings
      }
    }
  }
}
    `) as unknown as TypedDocumentString<RecordHealthAssessmentMutation, RecordHealthAssessmentMutationVariables>;
export const ReferralsOfReturneeDocument = new TypedDocumentString(`
    query ReferralsOfReturnee($returneeId: ID!) {
  referrals(filter: {direction: ANY, returneeId: $returneeId}, first: 20) {
    nodes {
      id
      status
      service
      fromAgency {
        code
      }
      toAgency {
        code
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ReferralsOfReturneeQuery, ReferralsOfReturneeQueryVariables>;