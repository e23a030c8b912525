import { registerEnumType } from 'type-graphql';
import { enumObject, ROLES, SECTORS } from '../access/policy';
import { Section } from '../access/sections';
import { AUDIT_ACTIONS, AUDIT_OUTCOMES } from '../audit/audit-event.entity';
import { CASE_ACCESS_BASES } from '../case-access/case-access.entity';
import { RETURNEE_STATUSES, SEXES } from '../returnee/returnee.entity';

/** GraphQL enums, registered once from the same value lists the entities use. */
export const SectorEnum = enumObject(SECTORS);
export const RoleEnum = enumObject(ROLES);
export const SexEnum = enumObject(SEXES);
export const ReturneeStatusEnum = enumObject(RETURNEE_STATUSES);
export const CaseAccessBasisEnum = enumObject(CASE_ACCESS_BASES);
export const AuditActionEnum = enumObject(AUDIT_ACTIONS);
export const AuditOutcomeEnum = enumObject(AUDIT_OUTCOMES);

registerEnumType(SectorEnum, { name: 'Sector', description: 'The kind of agency; policies are written per sector.' });
registerEnumType(RoleEnum, { name: 'Role' });
registerEnumType(SexEnum, { name: 'Sex' });
registerEnumType(ReturneeStatusEnum, { name: 'ReturneeStatus' });
registerEnumType(CaseAccessBasisEnum, { name: 'CaseAccessBasis' });
registerEnumType(AuditActionEnum, { name: 'AuditAction' });
registerEnumType(AuditOutcomeEnum, { name: 'AuditOutcome' });
registerEnumType(Section, { name: 'Section', description: 'A named set of returnee fields that policies grant as a unit.' });
