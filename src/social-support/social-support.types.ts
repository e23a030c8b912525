import { IsDateString, IsIn, IsOptional, Length } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { DateTimeISOResolver, LocalDateResolver } from 'graphql-scalars';
import { AgencyType } from '../agency/agency.types';
import { SocialSupportKindEnum } from '../graphql/scalars';
import { SOCIAL_SUPPORT_KINDS, type SocialSupportKind } from '../returnee/section-enums';

@ObjectType('SocialSupportMeasure', {
  simpleResolvers: true,
  description: 'A benefit, job placement, retraining, housing measure or guardianship decision (SOCIAL_SUPPORT section). Append-only.',
})
export class SocialSupportMeasureType {
  @Field(() => ID, { description: 'Hub identifier of the measure (what endSocialSupport takes)' }) id!: string;
  @Field(() => SocialSupportKindEnum, { description: 'What kind of measure' }) kind!: SocialSupportKind;
  @Field(() => String, { description: 'What the measure is, free text, e.g. monthly child allowance, sewing course' }) description!: string;
  @Field(() => LocalDateResolver, { description: 'First day (YYYY-MM-DD)' }) startedOn!: string;
  @Field(() => LocalDateResolver, { nullable: true, description: 'Last day (YYYY-MM-DD); null while running' }) endedOn?: string | null;
  @Field(() => String, { nullable: true, description: 'Employer, training centre, paying office, landlord…' }) provider?: string | null;
  @Field(() => String, { nullable: true, description: 'GUARDIANSHIP_DECISION: the authority that decided' }) decidingAuthority?:
    string | null;
  @Field(() => String, { nullable: true, description: 'GUARDIANSHIP_DECISION: the appointed guardian' }) guardianName?: string | null;
  @Field(() => AgencyType, { description: 'The agency that recorded it' }) agency!: AgencyType;
  @Field(() => DateTimeISOResolver, { description: 'When it was recorded (UTC)' }) recordedAt!: Date;
}

@InputType({ description: 'decidingAuthority and guardianName are required for, and only for, a GUARDIANSHIP_DECISION' })
export class RecordSocialSupportInput {
  @Field(() => SocialSupportKindEnum, { description: 'What kind of measure' }) @IsIn([...SOCIAL_SUPPORT_KINDS]) kind!: SocialSupportKind;
  @Field(() => String, { description: 'What the measure is, 1-2000 characters' }) @Length(1, 2000) description!: string;
  @Field(() => LocalDateResolver, { description: 'First day, YYYY-MM-DD, not in the future' })
  @IsDateString({ strict: true })
  startedOn!: string;
  @Field(() => LocalDateResolver, {
    nullable: true,
    description: 'Last day, YYYY-MM-DD, not before startedOn nor in the future; omit while running',
  })
  @IsOptional()
  @IsDateString({ strict: true })
  endedOn?: string | null;
  @Field(() => String, { nullable: true, description: 'Employer, training centre, paying office or landlord, 1-200 characters' })
  @IsOptional()
  @Length(1, 200)
  provider?: string | null;
  @Field(() => String, { nullable: true, description: 'GUARDIANSHIP_DECISION only: the authority that decided, 1-200 characters' })
  @IsOptional()
  @Length(1, 200)
  decidingAuthority?: string | null;
  @Field(() => String, { nullable: true, description: 'GUARDIANSHIP_DECISION only: the appointed guardian, 1-200 characters' })
  @IsOptional()
  @Length(1, 200)
  guardianName?: string | null;
}
