/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
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

export type ReferralStatus =
  | 'ACCEPTED'
  | 'CLOSED'
  | 'DECLINED'
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

export type ReturneeStatus =
  | 'CLOSED'
  | 'IN_CARE'
  | 'IN_REHABILITATION'
  | 'RESETTLED'
  | 'TRANSFERRED';

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