import { ArrayMaxSize, IsBoolean, IsDateString, IsOptional, Length, MaxLength } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { DateTimeISOResolver, LocalDateResolver } from 'graphql-scalars';
import { AgencyType } from '../agency/agency.types';

@ObjectType('HealthAssessment', { simpleResolvers: true, description: 'One examination (HEALTH section). Append-only.' })
export class HealthAssessmentType {
  @Field(() => ID, { description: 'Hub identifier of the examination' }) id!: string;
  @Field(() => LocalDateResolver, { description: 'Day of the examination (YYYY-MM-DD)' }) assessedOn!: string;
  @Field(() => String, { description: "The clinician's findings, free text" }) findings!: string;
  @Field(() => [String], { description: 'Conditions diagnosed, e.g. anaemia, tuberculosis (empty when none)' }) conditions!: string[];
  @Field(() => String, { nullable: true, description: 'Treatment prescribed or planned, free text' }) treatmentPlan?: string | null;
  @Field(() => String, { nullable: true, description: 'Vaccination status or doses given, free text' }) vaccination?: string | null;
  @Field(() => String, { nullable: true, description: 'Disabilities found, free text' }) disability?: string | null;
  @Field(() => String, { nullable: true, description: 'Mental-health observations, free text' }) mentalHealthNotes?: string | null;
  @Field(() => Boolean, {
    description: 'A follow-up is needed; the newest examination sets the shareable HEALTH_FLAGS flag of the same name',
  })
  followUpNeeded!: boolean;
  @Field(() => Boolean, {
    nullable: true,
    description: 'Fit to attend school; sets the shareable flag of the same name; null when not assessed',
  })
  fitForSchool?: boolean | null;
  @Field(() => String, {
    nullable: true,
    description: 'Accommodations needed, e.g. ground-floor classroom; sets the shareable flag of the same name',
  })
  accommodationsNeeded?: string | null;
  @Field(() => AgencyType, { description: 'The agency whose clinician examined' }) agency!: AgencyType;
  @Field(() => DateTimeISOResolver, { description: 'When it was recorded (UTC)' }) createdAt!: Date;
}

@InputType({
  description: 'An examination by a HEALTH agency (HEALTH section, written by HEALTH only); the newest one sets the shareable HEALTH_FLAGS',
})
export class RecordHealthAssessmentInput {
  @Field(() => LocalDateResolver, { description: 'Day of the examination, YYYY-MM-DD, not in the future nor before birth' })
  @IsDateString({ strict: true })
  assessedOn!: string;
  @Field(() => String, { description: 'Findings, 1-5000 characters' }) @Length(1, 5000) findings!: string;
  @Field(() => [String], { nullable: true, description: 'Conditions diagnosed, at most 50 of at most 200 characters' })
  @IsOptional()
  @ArrayMaxSize(50)
  @MaxLength(200, { each: true })
  conditions?: string[];
  @Field(() => String, { nullable: true, description: 'Treatment prescribed or planned, at most 5000 characters' })
  @IsOptional()
  @MaxLength(5000)
  treatmentPlan?: string;
  @Field(() => String, { nullable: true, description: 'Vaccination status or doses given, at most 200 characters' })
  @IsOptional()
  @MaxLength(200)
  vaccination?: string;
  @Field(() => String, { nullable: true, description: 'Disabilities found, at most 500 characters' })
  @IsOptional()
  @MaxLength(500)
  disability?: string;
  @Field(() => String, { nullable: true, description: 'Mental-health observations, at most 5000 characters' })
  @IsOptional()
  @MaxLength(5000)
  mentalHealthNotes?: string;
  @Field(() => Boolean, { description: "Becomes the returnee's shareable followUpNeeded flag" }) @IsBoolean() followUpNeeded!: boolean;
  @Field(() => Boolean, { nullable: true, description: 'Becomes the shareable fitForSchool flag' })
  @IsOptional()
  @IsBoolean()
  fitForSchool?: boolean;
  @Field(() => String, { nullable: true, description: 'Becomes the shareable accommodationsNeeded flag' })
  @IsOptional()
  @MaxLength(500)
  accommodationsNeeded?: string;
}
