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
  @Field(() => ID) staffId!: string;
  @Field(() => ID) agencyId!: string;
  @Field(() => LocalDateResolver) signedOn!: string;
}

@ObjectType('SharingAgreementVersion', { description: 'The terms of one version, as recorded (never changed)' })
export class SharingAgreementVersionType {
  @Field(() => Int) version!: number;
  @Field(() => [String]) purposes!: string[];
  @Field(() => [Section]) sections!: Section[];
  @Field(() => LocalDateResolver) validFrom!: string;
  @Field(() => LocalDateResolver, { nullable: true }) validUntil!: string | null;
  @Field(() => String) documentRef!: string;
  @Field(() => [SignatoryType]) signatories!: SignatoryType[];
  @Field(() => DateTimeISOResolver) recordedAt!: Date;
}

@ObjectType('SharingAgreement', {
  description:
    'A data-sharing agreement (memorandum): the holder shares the sections named, of the records it registered, with the recipient ' +
    '(one agency, or every agency of a sector in a country), where a policy requires one (policies/*.policy.ts, agreements)',
})
export class SharingAgreementType {
  @Field(() => ID) id!: string;
  @Field(() => Int, { description: 'The version in force; amendments add one' }) version!: number;
  @Field(() => AgencyType) holder!: AgencyType;
  @Field(() => AgencyType, { nullable: true }) recipientAgency!: AgencyType | null;
  @Field(() => SectorEnum, { nullable: true }) recipientSector!: Sector | null;
  @Field(() => String, { nullable: true }) recipientCountry!: string | null;
  @Field(() => [String]) purposes!: string[];
  @Field(() => [Section]) sections!: Section[];
  @Field(() => LocalDateResolver) validFrom!: string;
  @Field(() => LocalDateResolver, { nullable: true }) validUntil!: string | null;
  @Field(() => String) documentRef!: string;
  @Field(() => [SignatoryType]) signatories!: SignatoryType[];
  @Field(() => Boolean, { description: 'Not suspended and today within its dates: sharing under it happens now' }) active!: boolean;
  @Field(() => DateTimeISOResolver, { nullable: true }) suspendedAt!: Date | null;
  @Field(() => String, { nullable: true }) suspensionReason!: string | null;
  @Field(() => [SharingAgreementVersionType], { description: 'Every version, newest first' }) versions!: SharingAgreementVersionType[];
}

@InputType()
export class SignatoryInput {
  @Field(() => ID) @IsUUID('all', { message: 'staffId must be a UUID' }) staffId!: string;
  @Field(() => LocalDateResolver) @IsDateString({ strict: true }, { message: 'signedOn must be a date' }) signedOn!: string;
}

@InputType({ description: 'The terms of an agreement (a new version when amending)' })
export class AgreementTermsInput {
  @Field(() => [String]) @ArrayMinSize(1) @ArrayMaxSize(10) @Length(3, 300, { each: true }) purposes!: string[];
  @Field(() => [Section]) @ArrayMinSize(1) @ArrayMaxSize(SHAREABLE.length) @IsIn(SHAREABLE, { each: true }) sections!: Section[];
  @Field(() => LocalDateResolver) @IsDateString({ strict: true }) validFrom!: string;
  @Field(() => LocalDateResolver, { nullable: true }) @IsOptional() @IsDateString({ strict: true }) validUntil?: string;
  @Field(() => String, { description: 'Registry number or file reference of the signed document' })
  @Length(1, 200)
  documentRef!: string;
  @Field(() => [SignatoryInput], { description: 'Supervisors of each side who signed: at least one per side' })
  @ArrayMinSize(2)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  signatories!: SignatoryInput[];
}

@InputType()
export class CreateSharingAgreementInput extends AgreementTermsInput {
  @Field(() => ID, { description: 'The agency whose records are shared' })
  @IsUUID('all', { message: 'holderAgencyId must be a UUID' })
  holderAgencyId!: string;
  @Field(() => ID, { nullable: true, description: 'The receiving agency; or give recipientSector and recipientCountry' })
  @IsOptional()
  @IsUUID('all', { message: 'recipientAgencyId must be a UUID' })
  recipientAgencyId?: string;
  @Field(() => SectorEnum, { nullable: true }) @IsOptional() @IsIn([...SECTORS]) recipientSector?: Sector;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(2, 2) recipientCountry?: string;
}

@InputType()
export class SuspendSharingAgreementInput {
  @Field(() => ID) @IsUUID('all', { message: 'id must be a UUID' }) id!: string;
  @Field(() => String) @Length(3, 500) @MaxLength(500) reason!: string;
}
