import { ArrayMaxSize, ArrayUnique, IsDateString, IsIn, IsOptional, Length, ValidateNested } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { DateTimeISOResolver, LocalDateResolver } from 'graphql-scalars';
import { AgencyType } from '../agency/agency.types';
import { EnrolmentStatusEnum, LiteracyLevelEnum } from '../graphql/scalars';
import { ENROLMENT_STATUSES, LITERACY_LEVELS, type EnrolmentStatus, type LiteracyLevel } from '../returnee/section-enums';

@ObjectType('EducationProgressNote', {
  simpleResolvers: true,
  description: "A note on a child's progress (EDUCATION section). Append-only.",
})
export class EducationProgressNoteType {
  @Field(() => ID, { description: 'Hub identifier of the note' }) id!: string;
  @Field(() => LocalDateResolver, { description: 'Day the progress was observed (YYYY-MM-DD)' }) notedOn!: string;
  @Field(() => String, { description: "The teacher's or education caseworker's note, free text" }) note!: string;
  @Field(() => AgencyType, { description: 'The agency that recorded it' }) agency!: AgencyType;
  @Field(() => DateTimeISOResolver, { description: 'When it was recorded (UTC)' }) recordedAt!: Date;
}

@InputType({ description: 'A progress note to append (EDUCATION section)' })
export class EducationProgressNoteInput {
  @Field(() => LocalDateResolver, { description: 'Day the progress was observed, YYYY-MM-DD, not in the future' })
  @IsDateString({ strict: true })
  notedOn!: string;
  @Field(() => String, { description: 'The note, 1-5000 characters' }) @Length(1, 5000) note!: string;
}

@InputType({ description: 'Only the fields present change (null clears one); progressNote appends a note.' })
export class UpdateEducationInput {
  @Field(() => LiteracyLevelEnum, { nullable: true, description: 'Assessed reading and writing level (EDUCATION)' })
  @IsOptional()
  @IsIn([...LITERACY_LEVELS])
  literacyLevel?: LiteracyLevel | null;

  @Field(() => [String], { nullable: true, description: 'Languages the child speaks or reads, e.g. Kazakh, Russian, Arabic' })
  @IsOptional()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @Length(1, 50, { each: true })
  languages?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'E.g. state-language literacy class, catch-up mathematics' })
  @IsOptional()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Length(1, 200, { each: true })
  specialClasses?: string[] | null;

  @Field(() => EnrolmentStatusEnum, { nullable: true, description: 'School enrolment (EDUCATION_SUMMARY)' })
  @IsOptional()
  @IsIn([...ENROLMENT_STATUSES])
  enrolmentStatus?: EnrolmentStatus | null;
  @Field(() => String, { nullable: true, description: 'School or boarding school, 1-200 characters (EDUCATION_SUMMARY)' })
  @IsOptional()
  @Length(1, 200)
  school?: string | null;
  @Field(() => String, { nullable: true, description: 'E.g. 3, 3A, preparatory' }) @IsOptional() @Length(1, 20) grade?: string | null;

  @Field(() => EducationProgressNoteInput, { nullable: true, description: 'Appends a progress note (EDUCATION)' })
  @IsOptional()
  @ValidateNested()
  progressNote?: EducationProgressNoteInput | null;
}
