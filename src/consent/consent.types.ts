import { ArrayMaxSize, ArrayMinSize, IsDateString, IsIn, IsOptional, IsUUID, Length, MaxLength } from 'class-validator';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver, LocalDateResolver } from 'graphql-scalars';
import { enumObject, type Sector } from '../access/policy';
import { Section } from '../access/sections';
import { CASE_SECTORS } from '../access/sectors';
import { AgencyType } from '../agency/agency.types';
import { SectorEnum } from '../graphql/scalars';
import { CONSENT_GIVERS, type ConsentGiver } from './consent.entity';

export const ConsentGiverEnum = enumObject(CONSENT_GIVERS);
registerEnumType(ConsentGiverEnum, {
  name: 'ConsentGiver',
  description:
    "SELF: the person, while an adult; GUARDIAN: the guardian on record, while the person is a minor. Judged by the person's status today",
});

export const CONSENTABLE_SECTIONS = Object.values(Section).filter((s) => s !== Section.REFERENCE);

@ObjectType('Consent', { description: 'Which sectors may see which sections of this record, for what purpose, until when' })
export class ConsentType {
  @Field(() => ID) id!: string;
  @Field(() => ConsentGiverEnum) givenBy!: ConsentGiver;
  @Field(() => ID, {
    nullable: true,
    description:
      'The guardian who consented, when a returnee (CONTACT: null and listed in redactedFields unless you may read it on this record)',
  })
  guardianReturneeId?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'The guardian who consented (CONTACT: null and listed in redactedFields unless you may read it on this record)',
  })
  guardianName?: string | null;
  @Field(() => [SectorEnum]) sectors!: Sector[];
  @Field(() => [Section]) sections!: Section[];
  @Field(() => String) purpose!: string;
  @Field(() => LocalDateResolver) validFrom!: string;
  @Field(() => LocalDateResolver, { nullable: true }) validUntil?: string | null;
  @Field(() => AgencyType, { description: 'Agency that recorded it' }) agency!: AgencyType;
  @Field(() => DateTimeISOResolver) recordedAt!: Date;
  @Field(() => DateTimeISOResolver, { nullable: true }) revokedAt?: Date | null;
  @Field(() => Boolean, {
    description:
      "Not revoked, within its dates today, and given by whom the person's status today requires (SELF for an adult, GUARDIAN for a minor)",
  })
  active!: boolean;
  @Field(() => [String], {
    description: 'Fields of this consent withheld from you on this record (they come back null): hidden, not empty',
  })
  redactedFields!: string[];
}

@InputType()
export class RecordConsentInput {
  @Field(() => ID) @IsUUID('all', { message: 'returneeId must be a UUID' }) returneeId!: string;
  @Field(() => ConsentGiverEnum) @IsIn([...CONSENT_GIVERS]) givenBy!: ConsentGiver;
  @Field(() => ID, { nullable: true, description: 'GUARDIAN: the guardian on record, when a returnee' })
  @IsOptional()
  @IsUUID('all')
  guardianReturneeId?: string;
  @Field(() => String, {
    nullable: true,
    description: "GUARDIAN: the guardian on record (the record's guardianName, or a guardianship decision in force)",
  })
  @IsOptional()
  @Length(2, 200)
  guardianName?: string;
  @Field(() => [SectorEnum])
  @ArrayMinSize(1)
  @ArrayMaxSize(CASE_SECTORS.length)
  @IsIn([...CASE_SECTORS], { each: true, message: `sectors must be among ${CASE_SECTORS.join(', ')}` })
  sectors!: Sector[];
  @Field(() => [Section])
  @ArrayMinSize(1)
  @ArrayMaxSize(CONSENTABLE_SECTIONS.length)
  @IsIn(CONSENTABLE_SECTIONS, { each: true, message: 'sections must be record sections other than REFERENCE' })
  sections!: Section[];
  @Field(() => String) @Length(5, 500) purpose!: string;
  @Field(() => LocalDateResolver, { nullable: true, description: 'Default: today' })
  @IsOptional()
  @IsDateString({ strict: true })
  validFrom?: string;
  @Field(() => LocalDateResolver, { nullable: true, description: 'Open-ended when omitted' })
  @IsOptional()
  @IsDateString({ strict: true })
  validUntil?: string;
}

@InputType()
export class RevokeConsentInput {
  @Field(() => ID) @IsUUID('all', { message: 'id must be a UUID' }) id!: string;
  @Field(() => String) @Length(3, 500) @MaxLength(500) reason!: string;
}
