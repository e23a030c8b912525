import { ArrayMaxSize, IsBoolean, IsDateString, IsOptional, Length, MaxLength } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { DateTimeISOResolver, LocalDateResolver } from 'graphql-scalars';
import { AgencyType } from '../agency/agency.types';

@ObjectType('HealthAssessment', { description: 'One examination (HEALTH section). Append-only.' })
export class HealthAssessmentType {
  @Field(() => ID) id!: string;
  @Field(() => LocalDateResolver) assessedOn!: string;
  @Field(() => String) findings!: string;
  @Field(() => [String]) conditions!: string[];
  @Field(() => String, { nullable: true }) treatmentPlan?: string | null;
  @Field(() => String, { nullable: true }) vaccination?: string | null;
  @Field(() => String, { nullable: true }) disability?: string | null;
  @Field(() => String, { nullable: true }) mentalHealthNotes?: string | null;
  @Field(() => Boolean) followUpNeeded!: boolean;
  @Field(() => Boolean, { nullable: true }) fitForSchool?: boolean | null;
  @Field(() => String, { nullable: true }) accommodationsNeeded?: string | null;
  @Field(() => AgencyType) agency!: AgencyType;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
}

@InputType()
export class RecordHealthAssessmentInput {
  @Field(() => LocalDateResolver) @IsDateString({ strict: true }) assessedOn!: string;
  @Field(() => String) @Length(1, 5000) findings!: string;
  @Field(() => [String], { nullable: true }) @IsOptional() @ArrayMaxSize(50) @MaxLength(200, { each: true }) conditions?: string[];
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(5000) treatmentPlan?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(200) vaccination?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(500) disability?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(5000) mentalHealthNotes?: string;
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
