import { ArrayMaxSize, ArrayMinSize, IsDateString, IsIn, IsOptional, IsUUID, Length, MaxLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateTimeISOResolver, LocalDateResolver } from 'graphql-scalars';
import { SECTORS, type Sector } from '../access/policy';
import { Section } from '../access/sections';
import { AgencyType } from '../agency/agency.types';
import { SectorEnum } from '../graphql/scalars';

const SHAREABLE = Object.values(Section).filter((s) => s !== Section.REFERENCE);

@ObjectType('AgreementSignatory', { description: 'A supervisor of one side who signed' })
export class SignatoryType {
  @Field(() => ID, { description: 'The signing supervisor (staff id)' }) staffId!: string;
  @Field(() => ID, { description: 'The side they signed for (agency id)' }) agencyId!: string;
  @Field(() => LocalDateResolver, { description: 'Date of signature (YYYY-MM-DD)' }) signedOn!: string;
}

@ObjectType('SharingAgreementVersion', { description: 'The terms of one version, as recorded (never changed)' })
export class SharingAgreementVersionType {
  @Field(() => Int, { description: 'Version number: 1 when created, one more per amendment' }) version!: number;
  @Field(() => [String], { description: 'Purposes the sharing serves' }) purposes!: string[];
  @Field(() => [Section], { description: 'Sections covered' }) sections!: Section[];
  @Field(() => LocalDateResolver, { description: 'First day in force (YYYY-MM-DD)' }) validFrom!: string;
  @Field(() => LocalDateResolver, { nullable: true, description: 'Last day in force; null: open-ended' }) validUntil!: string | null;
  @Field(() => String, { description: 'Registry number or file reference of the signed document' }) documentRef!: string;
  @Field(() => [SignatoryType], { description: 'The supervisors who signed, per side' }) signatories!: SignatoryType[];
  @Field(() => DateTimeISOResolver, { description: 'When this version was recorded in the hub (UTC)' }) recordedAt!: Date;
}

@ObjectType('SharingAgreement', {
  description:
    'A data-sharing agreement (memorandum): the holder shares the sections named, of the records it registered, with the recipient ' +
    '(one agency, or every agency of a sector in a country), where a policy requires one (policies/*.policy.ts, agreements)',
})
export class SharingAgreementType {
  @Field(() => ID, { description: 'Agreement id; cited as the ref of AGREEMENT disclosure bases' }) id!: string;
  @Field(() => Int, { description: 'The version in force; amendments add one' }) version!: number;
  @Field(() => AgencyType, { description: 'The agency whose registered records are shared' }) holder!: AgencyType;
  @Field(() => AgencyType, { nullable: true, description: 'The receiving agency; null when the recipient is a sector of a country' })
  recipientAgency!: AgencyType | null;
  @Field(() => SectorEnum, { nullable: true, description: 'Receiving sector (with recipientCountry) when no single agency is named' })
  recipientSector!: Sector | null;
  @Field(() => String, { nullable: true, description: 'Receiving country (ISO 3166-1 alpha-2) with recipientSector' }) recipientCountry!:
    string | null;
  @Field(() => [String], { description: 'Purposes the sharing serves' }) purposes!: string[];
  @Field(() => [Section], { description: 'Sections covered' }) sections!: Section[];
  @Field(() => LocalDateResolver, { description: 'First day in force (YYYY-MM-DD)' }) validFrom!: string;
  @Field(() => LocalDateResolver, { nullable: true, description: 'Last day in force; null: open-ended' }) validUntil!: string | null;
  @Field(() => String, { description: 'Registry number or file reference of the signed document' }) documentRef!: string;
  @Field(() => [SignatoryType], { description: 'The supervisors who signed, per side' }) signatories!: SignatoryType[];
  @Field(() => Boolean, { description: 'Not suspended and today within its dates: sharing under it happens now' }) active!: boolean;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When it was suspended (UTC); null while not suspended' })
  suspendedAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'Why it was suspended, as recorded' }) suspensionReason!: string | null;
  @Field(() => [SharingAgreementVersionType], { description: 'Every version, newest first' }) versions!: SharingAgreementVersionType[];
}

@InputType({ description: 'A supervisor who signed for one side' })
export class SignatoryInput {
  @Field(() => ID, { description: 'Staff id of a SUPERVISOR of the holder or the recipient' })
  @IsUUID('all', { message: 'staffId must be a UUID' })
  staffId!: string;
  @Field(() => LocalDateResolver, { description: 'Date of signature (YYYY-MM-DD)' })
  @IsDateString({ strict: true }, { message: 'signedOn must be a date' })
  signedOn!: string;
}

@InputType({ description: 'The terms of an agreement (a new version when amending)' })
export class AgreementTermsInput {
  @Field(() => [String], { description: 'Purposes the sharing serves, 1-10, each 3-300 characters' })
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @Length(3, 300, { each: true })
  purposes!: string[];
  @Field(() => [Section], { description: 'Sections it covers (not REFERENCE); a policy must also require an agreement for them' })
  @ArrayMinSize(1)
  @ArrayMaxSize(SHAREABLE.length)
  @IsIn(SHAREABLE, { each: true })
  sections!: Section[];
  @Field(() => LocalDateResolver, { description: 'First day it is in force (YYYY-MM-DD)' })
  @IsDateString({ strict: true })
  validFrom!: string;
  @Field(() => LocalDateResolver, { nullable: true, description: 'Last day it is in force; open-ended when omitted' })
  @IsOptional()
  @IsDateString({ strict: true })
  validUntil?: string;
  @Field(() => String, { description: 'Registry number or file reference of the signed document' })
  @Length(1, 200)
  documentRef!: string;
  @Field(() => [SignatoryInput], { description: 'Supervisors of each side who signed: at least one per side' })
  @ArrayMinSize(2)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  signatories!: SignatoryInput[];
}

@InputType({ description: 'A new agreement: its parties and its first terms' })
export class CreateSharingAgreementInput extends AgreementTermsInput {
  @Field(() => ID, { description: 'The agency whose records are shared' })
  @IsUUID('all', { message: 'holderAgencyId must be a UUID' })
  holderAgencyId!: string;
  @Field(() => ID, { nullable: true, description: 'The receiving agency; or give recipientSector and recipientCountry' })
  @IsOptional()
  @IsUUID('all', { message: 'recipientAgencyId must be a UUID' })
  recipientAgencyId?: string;
  @Field(() => SectorEnum, { nullable: true, description: 'Receiving sector, with recipientCountry, instead of one agency' })
  @IsOptional()
  @IsIn([...SECTORS])
  recipientSector?: Sector;
  @Field(() => String, { nullable: true, description: 'Receiving country (ISO 3166-1 alpha-2), with recipientSector' })
  @IsOptional()
  @Length(2, 2)
  recipientCountry?: string;
}

@InputType({ description: 'Suspend an agreement: sharing under it stops on the next request' })
export class SuspendSharingAgreementInput {
  @Field(() => ID, { description: 'The agreement' }) @IsUUID('all', { message: 'id must be a UUID' }) id!: string;
  @Field(() => String, { description: 'Why, 3-500 characters (kept with the agreement and in the audit trail)' })
  @Length(3, 500)
  @MaxLength(500)
  reason!: string;
}
