import { registerEnumType } from 'type-graphql';
import { enumObject, ROLES, SECTORS } from '../access/policy';
import { sectionAudience } from '../access/section-docs';
import { Section, SECTION_FIELDS } from '../access/sections';
import { AUDIT_ACTIONS, AUDIT_OUTCOMES } from '../trail/audit-event.entity';
import { BASIS_KINDS } from '../trail/audit-basis';
import { CASE_ACCESS_BASES } from '../case-access/case-access.entity';
import { RETURNEE_STATUSES, SEXES } from '../returnee/returnee.entity';
import {
  CIVIL_DOCUMENT_STATUSES,
  CIVIL_DOCUMENT_TYPES,
  ENGAGEMENT_STATUSES,
  ENROLMENT_STATUSES,
  LITERACY_LEVELS,
  SOCIAL_SUPPORT_KINDS,
  SUPPORT_SESSION_KINDS,
} from '../returnee/section-enums';

/** GraphQL enums, registered once from the same value lists the entities use. */
export const SectorEnum = enumObject(SECTORS);
export const RoleEnum = enumObject(ROLES);
export const SexEnum = enumObject(SEXES);
export const ReturneeStatusEnum = enumObject(RETURNEE_STATUSES);
export const CaseAccessBasisEnum = enumObject(CASE_ACCESS_BASES);
export const AuditActionEnum = enumObject(AUDIT_ACTIONS);
export const AuditOutcomeEnum = enumObject(AUDIT_OUTCOMES);
export const BasisKindEnum = enumObject(BASIS_KINDS);
export const LiteracyLevelEnum = enumObject(LITERACY_LEVELS);
export const EnrolmentStatusEnum = enumObject(ENROLMENT_STATUSES);
export const CivilDocumentTypeEnum = enumObject(CIVIL_DOCUMENT_TYPES);
export const CivilDocumentStatusEnum = enumObject(CIVIL_DOCUMENT_STATUSES);
export const SocialSupportKindEnum = enumObject(SOCIAL_SUPPORT_KINDS);
export const SupportSessionKindEnum = enumObject(SUPPORT_SESSION_KINDS);
export const EngagementStatusEnum = enumObject(ENGAGEMENT_STATUSES);

registerEnumType(SectorEnum, {
  name: 'Sector',
  description:
    'The kind of agency; policies are written per sector (policies/*.policy.ts), and consents name the sectors they open sections to.',
  valuesConfig: {
    HEALTH: { description: 'Polyclinics, hospitals and the medical staff of rehabilitation centres' },
    EDUCATION: { description: 'Schools, boarding schools and education departments' },
    SOCIAL: { description: 'Social-protection departments: documents, benefits, housing, guardianship; they register returnees' },
    NGO: { description: 'Non-governmental organisations: psychosocial support and rehabilitation; they register returnees' },
    OVERSIGHT: {
      description: 'Oversight bodies and data-protection officers: read the audit trail, see records only as id and case number',
    },
    ADMINISTRATION: { description: 'Operators who onboard agencies and staff; see no returnee records' },
  },
});
registerEnumType(RoleEnum, {
  name: 'Role',
  description: "A staff member's roles within their agency; what each role may do depends on the agency's sector policy",
  valuesConfig: {
    CASEWORKER: { description: "Reads records in the agency's scope and writes its sector's sections; refers returnees" },
    SUPERVISOR: { description: 'Everything a caseworker does, plus accepting or declining referrals and granting or revoking case access' },
    AUDITOR: { description: 'In an OVERSIGHT agency: reads the audit trail, disclosure reports and integrity checks' },
    ADMIN: { description: 'In an ADMINISTRATION agency: creates agencies and staff accounts and deactivates accounts' },
  },
});
registerEnumType(SexEnum, {
  name: 'Sex',
  description: 'Sex as registered',
  valuesConfig: { FEMALE: { description: 'Female' }, MALE: { description: 'Male' } },
});
registerEnumType(ReturneeStatusEnum, {
  name: 'ReturneeStatus',
  description: 'Where a returnee stands in reintegration (IDENTITY section)',
  valuesConfig: {
    IN_REHABILITATION: { description: 'Staying at a rehabilitation centre after arrival (typically several weeks)' },
    RESETTLED: { description: 'Living in a community, with a family or independently' },
    IN_CARE: { description: 'A child in institutional care, e.g. a specialised boarding school, with an appointed guardian' },
    TRANSFERRED: { description: "Moved to another agency's or country's responsibility" },
    CLOSED: { description: 'The case is closed; the record is kept' },
  },
});
registerEnumType(CaseAccessBasisEnum, {
  name: 'CaseAccessBasis',
  description: "Where an agency's access to a record it did not register comes from",
  valuesConfig: {
    GRANT: { description: 'A supervisor of an agency that sees the record granted it (grantCaseAccess)' },
    REFERRAL: { description: 'The agency accepted a referral of the record (acceptReferral); it ends when the referral is closed' },
  },
});
registerEnumType(AuditActionEnum, {
  name: 'AuditAction',
  description: 'What an audited operation did to a record',
  valuesConfig: {
    READ: { description: 'Fields were read (the event names them, never their values)' },
    CREATE: { description: 'A record was created' },
    UPDATE: { description: 'Fields were changed' },
    DELETE: { description: 'A record was deleted (reserved: nothing is deleted today; ending or revoking is an UPDATE)' },
    DENY: { description: 'An attempt was refused (by policy, scope or validation); see outcome and reason' },
  },
});
registerEnumType(AuditOutcomeEnum, {
  name: 'AuditOutcome',
  description: 'How an audited operation ended',
  valuesConfig: {
    SUCCESS: { description: 'It did what was asked' },
    DENIED: { description: 'Refused by policy (FORBIDDEN)' },
    NOT_FOUND: { description: "The record does not exist or is outside the caller's scope (the caller cannot tell which)" },
    CONFLICT: { description: 'Refused because of a conflicting state, e.g. a stale expectedVersion' },
    INVALID: { description: 'Refused because of bad input (BAD_USER_INPUT)' },
    ERROR: { description: 'Failed inside the hub (INTERNAL_SERVER_ERROR); nothing was written' },
    REPLAYED: { description: "A retried mutation (same Idempotency-Key) answered with the first one's result, without a second effect" },
  },
});
registerEnumType(LiteracyLevelEnum, {
  name: 'LiteracyLevel',
  description: 'Assessed reading and writing level in the language of schooling (EDUCATION section)',
  valuesConfig: {
    NONE: { description: 'Cannot read or write' },
    BASIC: { description: 'Reads and writes letters, words and short sentences' },
    FUNCTIONAL: { description: 'Reads and writes well enough for everyday life and regular lessons' },
    FLUENT: { description: 'Reads and writes at or above the level of their age group' },
  },
});
registerEnumType(EnrolmentStatusEnum, {
  name: 'EnrolmentStatus',
  description: 'School enrolment (EDUCATION_SUMMARY section)',
  valuesConfig: {
    NOT_ENROLLED: { description: 'Not attending any school or class' },
    LITERACY_CLASS: { description: 'In a literacy or catch-up class before regular school' },
    ENROLLED: { description: 'Enrolled in a regular school' },
    BOARDING_SCHOOL: { description: 'Enrolled in a (specialised) boarding school' },
    COMPLETED: { description: 'Finished schooling' },
  },
});
registerEnumType(CivilDocumentTypeEnum, {
  name: 'CivilDocumentType',
  description: 'A kind of civil document',
  valuesConfig: {
    PASSPORT: { description: 'Passport (national or travel)' },
    BIRTH_CERTIFICATE: { description: 'Birth certificate (often never issued for children born abroad)' },
    ID_CARD: { description: 'National identity card' },
  },
});
registerEnumType(CivilDocumentStatusEnum, {
  name: 'CivilDocumentStatus',
  description: 'Where a civil document stands; MISSING also when nothing was ever recorded',
  valuesConfig: {
    MISSING: { description: 'The person has no such document (lost, never issued, or nothing recorded)' },
    APPLIED: { description: 'Applied for, not issued yet (appliedOn says when)' },
    ISSUED: { description: 'Issued and held (number, issuedOn and issuingAuthority in the DOCUMENTS section)' },
  },
});
registerEnumType(SocialSupportKindEnum, {
  name: 'SocialSupportKind',
  description: 'A kind of social-support measure (SOCIAL_SUPPORT section)',
  valuesConfig: {
    BENEFIT: { description: 'A social benefit or allowance' },
    EMPLOYMENT: { description: 'A job placement' },
    RETRAINING: { description: 'Vocational training or retraining' },
    HOUSING: { description: 'Housing provided or arranged' },
    GUARDIANSHIP_DECISION: {
      description: "An authority's decision appointing a guardian for a child (names the authority and the guardian)",
    },
  },
});
registerEnumType(SupportSessionKindEnum, {
  name: 'SupportSessionKind',
  description: 'A kind of psychosocial support (PSYCHOSOCIAL section)',
  valuesConfig: {
    COUNSELLING: { description: 'An individual counselling session with a psychologist' },
    GROUP_SESSION: { description: 'A group session' },
    REHABILITATION_CENTRE_STAY: { description: 'A stay at a rehabilitation centre (needs its place; endedOn null while ongoing)' },
    RELIGIOUS_COUNSELLING: { description: 'A conversation with a religious scholar' },
    FAMILY_MEDIATION: { description: 'Mediation with family members' },
  },
});
registerEnumType(EngagementStatusEnum, {
  name: 'EngagementStatus',
  description: 'How a returnee engages with psychosocial support (PSYCHOSOCIAL_SUMMARY section, shared more widely than the sessions)',
  valuesConfig: {
    NOT_STARTED: { description: 'No support has started yet' },
    ENGAGED: { description: 'Takes part regularly' },
    IRREGULAR: { description: 'Takes part now and then' },
    COMPLETED: { description: 'Finished the planned support' },
    DISENGAGED: { description: 'Stopped taking part' },
  },
});
registerEnumType(Section, {
  name: 'Section',
  description: 'A named set of returnee fields that policies grant as a unit; consents open sections to sectors.',
  valuesConfig: Object.fromEntries(
    Object.values(Section).map((s) => [s, { description: `Fields: ${SECTION_FIELDS[s].join(', ')}. ${sectionAudience(s)}` }]),
  ),
});
registerEnumType(BasisKindEnum, {
  name: 'DisclosureBasisKind',
  description: 'Why a disclosure was lawful, recorded on every READ event per section disclosed (docs/disclosure-basis.md)',
  valuesConfig: {
    OWN_SECTOR: { description: "A section of the caller's own sector, in its policy's scope" },
    CONSENT: { description: "The person's (or the guardian's) consent covering the caller's sector and the section; ref is the consent" },
    AGREEMENT: { description: 'A data-sharing agreement between the agencies; ref and version name it' },
    LEGAL_DUTY: { description: "The policy's named legal duty (e.g. health care of a minor); legalBasis quotes it" },
    BREAK_GLASS: { description: 'An emergency opening, reviewed afterwards; ref is the break-glass' },
  },
});
