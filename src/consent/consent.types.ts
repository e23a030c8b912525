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
  description: "Who gave a consent. Judged by the person's status today: a consent given by the wrong one for today is not active",
  valuesConfig: {
    SELF: { description: 'The person, while an adult' },
    GUARDIAN: { description: 'The guardian on record, while the person is a minor' },
  },
});

export const CONSENTABLE_SECTIONS = Object.values(Section).filter((s) => s !== Section.REFERENCE);

@ObjectType('Consent', {
  description:
    "Which sectors may see which sections of this record, for what purpose, until when. Listed for agencies working on the record; sharing a section with a sector other than its owner's needs an active one.",
})
export class ConsentType {
  @Field(() => ID, { description: 'Hub identifier of the consent (what revokeConsent takes)' }) id!: string;
  @Field(() => ConsentGiverEnum, { description: 'Who consented: the person or their guardian' }) givenBy!: ConsentGiver;
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
  @Field(() => [SectorEnum], { description: 'Sectors the consent opens the sections to' }) sectors!: Sector[];
  @Field(() => [Section], { description: 'Sections of the record it opens to those sectors' }) sections!: Section[];
  @Field(() => String, { description: 'The purpose the person agreed to, as recorded' }) purpose!: string;
  @Field(() => LocalDateResolver, { description: 'First day it applies (YYYY-MM-DD)' }) validFrom!: string;
  @Field(() => LocalDateResolver, { nullable: true, description: 'Last day it applies (YYYY-MM-DD); null: open-ended' })
  validUntil?: string | null;
  @Field(() => AgencyType, { description: 'Agency that recorded it' }) agency!: AgencyType;
  @Field(() => DateTimeISOResolver, { description: 'When it was recorded (UTC)' }) recordedAt!: Date;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When it was withdrawn (UTC); null while not revoked' })
  revokedAt?: Date | null;
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

@InputType({
  description:
    'A consent as the person (or, for a minor, the guardian on record) gave it. Recorded by the sectors whose policy lets them (SOCIAL and NGO caseworkers and supervisors by default), on records their agency works on.',
})
export class RecordConsentInput {
  @Field(() => ID, { description: 'The record; out of your scope is NOT_FOUND' })
  @IsUUID('all', { message: 'returneeId must be a UUID' })
  returneeId!: string;
  @Field(() => ConsentGiverEnum, { description: "Who consents; must be whom the person's status today requires (SELF for an adult)" })
  @IsIn([...CONSENT_GIVERS])
  givenBy!: ConsentGiver;
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
  @Field(() => [SectorEnum], { description: '1 to 4 of HEALTH, EDUCATION, SOCIAL, NGO' })
  @ArrayMinSize(1)
  @ArrayMaxSize(CASE_SECTORS.length)
  @IsIn([...CASE_SECTORS], { each: true, message: `sectors must be among ${CASE_SECTORS.join(', ')}` })
  sectors!: Sector[];
  @Field(() => [Section], { description: 'Sections to open, any but REFERENCE' })
  @ArrayMinSize(1)
  @ArrayMaxSize(CONSENTABLE_SECTIONS.length)
  @IsIn(CONSENTABLE_SECTIONS, { each: true, message: 'sections must be record sections other than REFERENCE' })
  sections!: Section[];
  @Field(() => String, { description: 'The purpose the person agreed to, 5-500 characters' }) @Length(5, 500) purpose!: string;
  @Field(() => LocalDateResolver, { nullable: true, description: 'First day it applies, YYYY-MM-DD; default: today' })
  @IsOptional()
  @IsDateString({ strict: true })
  validFrom?: string;
  @Field(() => LocalDateResolver, { nullable: true, description: 'Last day it applies, YYYY-MM-DD; open-ended when omitted' })
  @IsOptional()
  @IsDateString({ strict: true })
  validUntil?: string;
}

@InputType({ description: 'Withdraw a consent; sharing that relied on it stops from the next request' })
export class RevokeConsentInput {
  @Field(() => ID, { description: 'The consent (Consent.id)' }) @IsUUID('all', { message: 'id must be a UUID' }) id!: string;
  @Field(() => String, { description: 'Why it is withdrawn, 3-500 characters (kept and audited)' })
  @Length(3, 500)
  @MaxLength(500)
  reason!: string;
}
