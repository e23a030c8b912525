import { ArrayMaxSize, ArrayMinSize, IsIn, IsUUID, Length, Matches } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { ROLES, type Role } from '../access/policy';
import { Section } from '../access/sections';
import { AgencyType } from '../agency/agency.types';
import { RoleEnum } from '../graphql/scalars';

@ObjectType('StaffMember', {
  description: 'A staff account of an agency. Shown to the account itself (me) and to administrators who manage accounts.',
})
export class StaffMemberType {
  @Field(() => ID, { description: 'Hub identifier of the account (UUID); audit events name staff by it' }) id!: string;
  @Field(() => String, { description: "Login name: the sub claim of the account's tokens" }) username!: string;
  @Field(() => String, { description: 'Name shown to people, e.g. in audit reports' }) displayName!: string;
  @Field(() => AgencyType, { description: 'The agency the account works for; its sector policy applies' }) agency!: AgencyType;
  @Field(() => [RoleEnum], { description: 'Roles within the agency (read from the hub, never from the token)' }) roles!: Role[];
  @Field(() => Boolean, { description: 'False once deactivated: its tokens are then refused (UNAUTHENTICATED)' }) active!: boolean;
  @Field(() => DateTimeISOResolver, { description: 'When the account was created (UTC)' }) createdAt!: Date;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When the account was deactivated (UTC); null while active' })
  deactivatedAt?: Date;
}

@ObjectType('Me', { description: 'The signed-in staff member and what their sector policy lets them do.' })
export class MeType {
  @Field(() => StaffMemberType, { description: 'Your account' }) staff!: StaffMemberType;
  @Field(() => [Section], { description: 'Sections of a returnee record this account may read (some only under consent)' })
  readableSections!: Section[];
  @Field(() => [Section], { description: 'Sections this account may write' }) writableSections!: Section[];
  @Field(() => [Section], {
    description:
      'Readable sections owned by another sector: shown on a record only while a consent (or the legal basis for minors in your policy) covers them',
  })
  consentRequiredSections!: Section[];
  @Field(() => Boolean, { description: 'You may register returnees (registerReturnee); your agency then owns them' })
  canRegisterReturnees!: boolean;
  @Field(() => Boolean, { description: 'You may share records your agency sees with other agencies (grantCaseAccess, revokeCaseAccess)' })
  canGrantCaseAccess!: boolean;
  @Field(() => Boolean, {
    description: "Whether this account may record and revoke consents (its sector policy's consentRoles), on records in its scope",
  })
  canRecordConsent!: boolean;
  @Field(() => Boolean, { description: 'You may create agencies and staff accounts and deactivate accounts' }) canManageStaff!: boolean;
  @Field(() => Boolean, { description: 'You may read the audit trail, disclosure reports and integrity checks' })
  canReadAuditTrail!: boolean;
}

@InputType({ description: 'A new staff account (administrators only); sign-in is by token for its username' })
export class CreateStaffMemberInput {
  @Field(() => String, { description: 'Lower-case login name, 2-64 letters, digits, dots, dashes or underscores' })
  @Matches(/^[a-z0-9][a-z0-9._-]{1,63}$/, { message: 'username must be 2-64 lower-case letters, digits, dots, dashes or underscores' })
  username!: string;

  @Field(() => String, { description: 'Name shown to people, 2-200 characters' }) @Length(2, 200) displayName!: string;

  @Field(() => ID, { description: 'The agency the account works for' })
  @IsUUID('all', { message: 'agencyId must be a UUID' })
  agencyId!: string;

  @Field(() => [RoleEnum], { description: "1 to 4 roles; what they allow depends on the agency's sector" })
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  @IsIn([...ROLES], { each: true })
  roles!: Role[];
}
