import { IsDateString, IsIn, IsOptional, Length } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { DateTimeISOResolver, LocalDateResolver } from 'graphql-scalars';
import { AgencyType } from '../agency/agency.types';
import { SocialSupportKindEnum } from '../graphql/scalars';
import { SOCIAL_SUPPORT_KINDS, type SocialSupportKind } from '../returnee/section-enums';

@ObjectType('SocialSupportMeasure', {
  description: 'A benefit, job placement, retraining, housing measure or guardianship decision (SOCIAL_SUPPORT section). Append-only.',
})
export class SocialSupportMeasureType {
  @Field(() => ID) id!: string;
  @Field(() => SocialSupportKindEnum) kind!: SocialSupportKind;
  @Field(() => String) description!: string;
  @Field(() => LocalDateResolver) startedOn!: string;
  @Field(() => LocalDateResolver, { nullable: true }) endedOn?: string | null;
  @Field(() => String, { nullable: true, description: 'Employer, training centre, paying office, landlord…' }) provider?: string | null;
  @Field(() => String, { nullable: true, description: 'GUARDIANSHIP_DECISION: the authority that decided' }) decidingAuthority?:
    string | null;
  @Field(() => String, { nullable: true, description: 'GUARDIANSHIP_DECISION: the appointed guardian' }) guardianName?: string | null;
  @Field(() => AgencyType, { description: 'The agency that recorded it' }) agency!: AgencyType;
  @Field(() => DateTimeISOResolver) recordedAt!: Date;
}

@InputType({ description: 'decidingAuthority and guardianName are required for, and only for, a GUARDIANSHIP_DECISION' })
export class RecordSocialSupportInput {
  @Field(() => SocialSupportKindEnum) @IsIn([...SOCIAL_SUPPORT_KINDS]) kind!: SocialSupportKind;
  @Field(() => String) @Length(1, 2000) description!: string;
  @Field(() => LocalDateResolver) @IsDateString({ strict: true }) startedOn!: string;
  @Field(() => LocalDateResolver, { nullable: true }) @IsOptional() @IsDateString({ strict: true }) endedOn?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 200) provider?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 200) decidingAuthority?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 200) guardianName?: string | null;
}
