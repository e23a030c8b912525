import { registerEnumType } from 'type-graphql';
import { enumObject, ROLES, SECTORS } from '../access/policy';
import { Section } from '../access/sections';
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

registerEnumType(SectorEnum, { name: 'Sector', description: 'The kind of agency; policies are written per sector.' });
registerEnumType(RoleEnum, { name: 'Role' });
registerEnumType(SexEnum, { name: 'Sex' });
registerEnumType(ReturneeStatusEnum, { name: 'ReturneeStatus' });
registerEnumType(CaseAccessBasisEnum, { name: 'CaseAccessBasis' });
registerEnumType(AuditActionEnum, { name: 'AuditAction' });
registerEnumType(AuditOutcomeEnum, { name: 'AuditOutcome' });
registerEnumType(BasisKindEnum, {
  name: 'DisclosureBasisKind',
  description:
    "Why a disclosure was lawful: the caller's own sector's section (OWN_SECTOR), the person's consent (CONSENT), a data-sharing " +
    "agreement (AGREEMENT), the policy's named legal duty (LEGAL_DUTY), an emergency opening (BREAK_GLASS)",
});
registerEnumType(LiteracyLevelEnum, { name: 'LiteracyLevel' });
registerEnumType(EnrolmentStatusEnum, { name: 'EnrolmentStatus' });
registerEnumType(CivilDocumentTypeEnum, { name: 'CivilDocumentType' });
registerEnumType(CivilDocumentStatusEnum, { name: 'CivilDocumentStatus', description: 'MISSING also when nothing was ever recorded' });
registerEnumType(SocialSupportKindEnum, { name: 'SocialSupportKind' });
registerEnumType(SupportSessionKindEnum, { name: 'SupportSessionKind' });
registerEnumType(EngagementStatusEnum, { name: 'EngagementStatus' });
registerEnumType(Section, { name: 'Section', description: 'A named set of returnee fields that policies grant as a unit.' });
