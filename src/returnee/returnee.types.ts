import {
  ArrayMaxSize,
  IsBoolean,
  IsDateString,
  IsIn,
  IsISO31661Alpha2,
  IsOptional,
  IsUUID,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver, LocalDateResolver } from 'graphql-scalars';
import { AgencyType } from '../agency/agency.types';
import { EngagementStatusEnum, EnrolmentStatusEnum, LiteracyLevelEnum, ReturneeStatusEnum, SexEnum } from '../graphql/scalars';
import { HealthAssessmentType } from '../health/health.types';
import { CivilDocumentType, DocumentStatusType } from '../documents/documents.types';
import { EducationProgressNoteType } from '../education/education.types';
import { SupportSessionType } from '../psychosocial/psychosocial.types';
import { SocialSupportMeasureType } from '../social-support/social-support.types';
import { RETURNEE_STATUSES, SEXES, type ReturneeStatus, type Sex } from './returnee.entity';
import type { EngagementStatus, EnrolmentStatus, LiteracyLevel } from './section-enums';

export enum HouseholdRelation {
  GUARDIAN = 'GUARDIAN',
  WARD = 'WARD',
}
registerEnumType(HouseholdRelation, { name: 'HouseholdRelation' });

@ObjectType('HouseholdMember', { description: 'A family member who is a returnee in your scope, named without contents' })
export class HouseholdMemberType {
  @Field(() => ID) id!: string;
  @Field(() => String) caseNumber!: string;
  @Field(() => HouseholdRelation, { description: 'Their relation to this record: its GUARDIAN, or a WARD of it' })
  relation!: HouseholdRelation;
}

/**
 * The shared record as one caller sees it. Every section field is nullable: a field the
 * caller's sector may not read comes back null and is named in `redactedFields`.
 */
@ObjectType('Returnee')
export class ReturneeView {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'Hub case number, e.g. KZ-2019-000123 (REFERENCE)' }) caseNumber!: string;
  @Field(() => Int, { description: 'Send this back as expectedVersion when updating' }) version!: number;
  @Field(() => [String], { description: 'Fields of this record your sector may not read; they are null here' })
  redactedFields!: string[];

  // IDENTITY
  @Field(() => String, { nullable: true }) givenName?: string | null;
  @Field(() => String, { nullable: true }) familyName?: string | null;
  @Field(() => String, { nullable: true }) patronymic?: string | null;
  @Field(() => [String], { nullable: true, description: 'Other spellings and transliterations' }) otherNames?: string[] | null;
  @Field(() => SexEnum, { nullable: true }) sex?: Sex | null;
  @Field(() => LocalDateResolver, { nullable: true }) dateOfBirth?: string | null;
  @Field(() => Boolean, { nullable: true }) dateOfBirthEstimated?: boolean | null;
  @Field(() => String, { nullable: true }) placeOfBirth?: string | null;
  @Field(() => String, { nullable: true }) citizenship?: string | null;
  @Field(() => LocalDateResolver, { nullable: true }) returnedOn?: string | null;
  @Field(() => String, { nullable: true }) returnedFrom?: string | null;
  @Field(() => ReturneeStatusEnum, { nullable: true }) status?: ReturneeStatus | null;
  @Field(() => Boolean, { nullable: true, description: 'Under 18 today (derived from dateOfBirth)' }) isMinor?: boolean | null;
  @Field(() => String, { nullable: true, description: 'Jurisdiction of the record (ISO alpha-2)' }) country?: string | null;
  @Field(() => AgencyType, { nullable: true }) registeringAgency?: AgencyType | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) createdAt?: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) updatedAt?: Date | null;

  // CONTACT
  @Field(() => String, { nullable: true }) region?: string | null;
  @Field(() => String, { nullable: true }) district?: string | null;
  @Field(() => String, { nullable: true }) address?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => ID, { nullable: true, description: 'The guardian, when the guardian is a returnee too' }) guardianReturneeId?: string | null;
  @Field(() => String, { nullable: true, description: 'A guardian who is not a returnee' }) guardianName?: string | null;
  @Field(() => String, { nullable: true }) guardianRelation?: string | null;
  @Field(() => [HouseholdMemberType], {
    nullable: true,
    description: 'Guardian and wards who are returnees in your scope too (read each for details)',
  })
  household?: HouseholdMemberType[] | null;

  // HEALTH
  @Field(() => [HealthAssessmentType], { nullable: true, description: 'Newest first' }) healthAssessments?: HealthAssessmentType[] | null;

  // HEALTH_FLAGS
  @Field(() => Boolean, { nullable: true }) followUpNeeded?: boolean | null;
  @Field(() => Boolean, { nullable: true }) fitForSchool?: boolean | null;
  @Field(() => String, { nullable: true }) accommodationsNeeded?: string | null;

  // EDUCATION
  @Field(() => LiteracyLevelEnum, { nullable: true }) literacyLevel?: LiteracyLevel | null;
  @Field(() => [String], { nullable: true }) languages?: string[] | null;
  @Field(() => [String], { nullable: true }) specialClasses?: string[] | null;
  @Field(() => [EducationProgressNoteType], { nullable: true, description: 'Newest first' }) educationProgressNotes?:
    EducationProgressNoteType[] | null;

  // EDUCATION_SUMMARY
  @Field(() => EnrolmentStatusEnum, { nullable: true }) enrolmentStatus?: EnrolmentStatus | null;
  @Field(() => String, { nullable: true }) school?: string | null;
  @Field(() => String, { nullable: true }) grade?: string | null;

  // DOCUMENTS
  @Field(() => [CivilDocumentType], { nullable: true, description: 'The current version of each document recorded' }) civilDocuments?:
    CivilDocumentType[] | null;

  // DOCUMENTS_STATUS
  @Field(() => [DocumentStatusType], { nullable: true, description: 'One entry per document type, numbers never included' })
  documentStatuses?: DocumentStatusType[] | null;

  // SOCIAL_SUPPORT
  @Field(() => [SocialSupportMeasureType], { nullable: true, description: 'Newest first' }) socialSupport?:
    SocialSupportMeasureType[] | null;

  // PSYCHOSOCIAL
  @Field(() => [SupportSessionType], { nullable: true, description: 'Newest first' }) supportSessions?: SupportSessionType[] | null;

  // PSYCHOSOCIAL_SUMMARY
  @Field(() => EngagementStatusEnum, { nullable: true }) engagementStatus?: EngagementStatus | null;
}

const NAME = /^[\p{L}\p{M}' .-]+$/u;
const NAME_MESSAGE = 'must contain letters, spaces, apostrophes, dots or dashes only';

/** Fields shared by register and update; all optional here, required ones enforced in register. */
@InputType({ description: 'A new record. givenName, familyName, sex and dateOfBirth are required.' })
export class RegisterReturneeInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 100)
  @Matches(NAME, { message: `givenName ${NAME_MESSAGE}` })
  givenName?: string;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 100)
  @Matches(NAME, { message: `familyName ${NAME_MESSAGE}` })
  familyName?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 100) patronymic?: string;
  @Field(() => [String], { nullable: true }) @IsOptional() @ArrayMaxSize(20) @Length(1, 100, { each: true }) otherNames?: string[];
  @Field(() => SexEnum, { nullable: true }) @IsOptional() @IsIn([...SEXES]) sex?: Sex;
  @Field(() => LocalDateResolver, { nullable: true }) @IsOptional() @IsDateString({ strict: true }) dateOfBirth?: string;
  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() dateOfBirthEstimated?: boolean;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(200) placeOfBirth?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsISO31661Alpha2() citizenship?: string;
  @Field(() => LocalDateResolver, { nullable: true }) @IsOptional() @IsDateString({ strict: true }) returnedOn?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsISO31661Alpha2() returnedFrom?: string;
  @Field(() => ReturneeStatusEnum, { nullable: true }) @IsOptional() @IsIn([...RETURNEE_STATUSES]) status?: ReturneeStatus;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(100) region?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(100) district?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(300) address?: string;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(/^\+?[0-9 ()-]{5,32}$/, { message: 'phone must be 5-32 digits, spaces, dashes or brackets, optionally starting with +' })
  phone?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID('all') guardianReturneeId?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(200) guardianName?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(100) guardianRelation?: string;
  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() followUpNeeded?: boolean;
  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() fitForSchool?: boolean;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(500) accommodationsNeeded?: string;
}

@InputType({ description: 'Only the fields present are changed; every one must be writable by your sector.' })
export class UpdateReturneeInput extends RegisterReturneeInput {}

export enum ReturneeOrderField {
  CASE_NUMBER = 'caseNumber',
  FAMILY_NAME = 'familyName',
  DATE_OF_BIRTH = 'dateOfBirth',
  CREATED_AT = 'createdAt',
}
registerEnumType(ReturneeOrderField, { name: 'ReturneeOrderField', description: 'Sorting by a field requires read access to it' });

export enum SortDirection {
  ASC = 'asc',
  DESC = 'desc',
}
registerEnumType(SortDirection, { name: 'SortDirection' });

@InputType()
export class ReturneeOrder {
  @Field(() => ReturneeOrderField) field!: ReturneeOrderField;
  @Field(() => SortDirection, { defaultValue: SortDirection.ASC }) direction!: SortDirection;
}

@InputType({ description: 'Every filter needs read access to the fields it looks at' })
export class ReturneeFilter {
  @Field(() => String, { nullable: true, description: 'Matches given, family or other names (any spelling), case-insensitive' })
  @IsOptional()
  @Length(2, 100)
  search?: string;
  @Field(() => ReturneeStatusEnum, { nullable: true }) @IsOptional() @IsIn([...RETURNEE_STATUSES]) status?: ReturneeStatus;
  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() isMinor?: boolean;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 100) region?: string;
  @Field(() => Boolean, { nullable: true, description: 'Only records needing a health follow-up' })
  @IsOptional()
  @IsBoolean()
  followUpNeeded?: boolean;
}

@ObjectType()
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor?: string | null;
  @Field(() => Boolean) hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor?: string | null;
}

/** The page info of a forward-paged connection from its edges' cursors, in page order. */
export function pageInfoOf(cursors: readonly string[], hasNextPage: boolean, hasPreviousPage: boolean): PageInfo {
  return { hasNextPage, hasPreviousPage, startCursor: cursors[0] ?? null, endCursor: cursors.at(-1) ?? null };
}

@ObjectType()
export class ReturneeEdge {
  @Field(() => String) cursor!: string;
  @Field(() => ReturneeView) node!: ReturneeView;
}

@ObjectType()
export class ReturneeConnection {
  @Field(() => [ReturneeEdge]) edges!: ReturneeEdge[];
  @Field(() => [ReturneeView]) nodes!: ReturneeView[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int, { description: 'Records in your scope matching the filter' }) totalCount!: number;
}

@ObjectType()
export class ReturneePayload {
  @Field(() => ReturneeView) returnee!: ReturneeView;
}
