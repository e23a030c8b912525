import { ArrayMaxSize, ArrayMinSize, IsIn, IsUUID, Length, Matches } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { ROLES, type Role } from '../access/policy';
import { Section } from '../access/sections';
import { AgencyType } from '../agency/agency.types';
import { RoleEnum } from '../graphql/scalars';

@ObjectType('StaffMember')
export class StaffMemberType {
  @Field(() => ID) id!: string;
  @Field(() => String) username!: string;
  @Field(() => String) displayName!: string;
  @Field(() => AgencyType) agency!: AgencyType;
  @Field(() => [RoleEnum]) roles!: Role[];
  @Field(() => Boolean) active!: boolean;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
  @Field(() => DateTimeISOResolver, { nullable: true }) deactivatedAt?: Date;
}

@ObjectType('Me', { description: 'The signed-in staff member and what their sector policy lets them do.' })
export class MeType {
  @Field(() => StaffMemberType) staff!: StaffMemberType;
  @Field(() => [Section], { description: 'Sections of a returnee record this account may read (some only under consent)' })
  readableSections!: Section[];
  @Field(() => [Section], { description: 'Sections this account may write' }) writableSections!: Section[];
  @Field(() => [Section], {
    description:
      'Readable sections owned by another sector: shown on a record only while a consent (or the legal basis for minors in your policy) covers them',
  })
  consentRequiredSections!: Section[];
  @Field(() => Boolean) canRegisterReturnees!: boolean;
  @Field(() => Boolean) canGrantCaseAccess!: boolean;
  @Field(() => Boolean, {
    description: "Whether this account may record and revoke consents (its sector policy's consentRoles), on records in its scope",
  })
  canRecordConsent!: boolean;
  @Field(() => Boolean) canManageStaff!: boolean;
  @Field(() => Boolean) canReadAuditTrail!: boolean;
}

@InputType()
export class CreateStaffMemberInput {
  @Field(() => String, { description: 'Lower-case login name, 2-64 letters, digits, dots, dashes or underscores' })
  @Matches(/^[a-z0-9][a-z0-9._-]{1,63}$/, { message: 'username must be 2-64 lower-case letters, digits, dots, dashes or underscores' })
  username!: string;

  @Field(() => String) @Length(2, 200) displayName!: string;

  @Field(() => ID) @IsUUID('all', { message: 'agencyId must be a UUID' }) agencyId!: string;

  @Field(() => [RoleEnum])
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  @IsIn([...ROLES], { each: true })
  roles!: Role[];
}
