import { PageInfo } from '../common/paging';
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
import { returneeFieldDoc, returneeInputDoc } from '../access/section-docs';
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
registerEnumType(HouseholdRelation, {
  name: 'HouseholdRelation',
  description: 'How a household member is related to the record it is listed on',
  valuesConfig: {
    GUARDIAN: { description: "The member is this record's guardian" },
    WARD: { description: 'This record is the guardian of the member' },
  },
});

@ObjectType('HouseholdMember', {
  simpleResolvers: true,
  description: 'A family member who is a returnee in your scope, named without contents',
})
export class HouseholdMemberType {
  @Field(() => ID, { description: "The member's record id: read it with returnee(id) to see what your sector may see of it" }) id!: string;
  @Field(() => String, { description: "The member's case number" }) caseNumber!: string;
  @Field(() => HouseholdRelation, { description: 'Their relation to this record: its GUARDIAN, or a WARD of it' })
  relation!: HouseholdRelation;
}

/**
 * The shared record as one caller sees it. `simpleResolvers` here and on the types a page
 * holds: plain properties, read by graphql-js's own default resolver instead of a type-graphql
 * wrapper per field (no field of them has middleware; a page of 50 records runs about a
 * thousand field resolvers, see docs/bench.md). Every section field is nullable: a field the
 * caller's sector may not read comes back null and is named in `redactedFields`.
 */
@ObjectType('Returnee', {
  simpleResolvers: true,
  description:
    'The shared record of one returnee, as your agency may see it: a field your sector may not read on this record comes back null ' +
    'and is named in redactedFields, so hidden and empty can be told apart. Each field says its section and which sectors read it.',
})
export class ReturneeView {
  @Field(() => ID, { description: returneeFieldDoc('id', 'Hub identifier of the record (UUID).') })
  id!: string;
  @Field(() => String, {
    description: returneeFieldDoc('caseNumber', 'Hub case number, e.g. KZ-2019-000123: a reference key, not identity.'),
  })
  caseNumber!: string;
  @Field(() => Int, {
    description: returneeFieldDoc(
      'version',
      'Increases with every change; send it back as expectedVersion when updating (a stale one is CONFLICT).',
    ),
  })
  version!: number;
  @Field(() => [String], {
    description:
      'Names of the fields of this record your sector may not read here (by policy or for want of consent); they are null in this answer. Empty when you see everything you asked for.',
  })
  redactedFields!: string[];
  // >>> break-glass (src/break-glass/)
  @Field(() => [String], {
    description:
      'Names of the fields of this answer shown only because a break-glass window of yours is open on this record (their READ events carry basis BREAK_GLASS and the window id). Empty otherwise.',
  })
  revealedByBreakGlass!: string[];
  // <<< break-glass

  // IDENTITY
  @Field(() => String, { nullable: true, description: returneeFieldDoc('givenName', 'Given (first) name as registered, in any script.') })
  givenName?: string | null;
  @Field(() => String, {
    nullable: true,
    description: returneeFieldDoc('familyName', 'Family name (surname) as registered, in any script.'),
  })
  familyName?: string | null;
  @Field(() => String, {
    nullable: true,
    description: returneeFieldDoc('patronymic', "Patronymic (father's name), when the person uses one."),
  })
  patronymic?: string | null;
  @Field(() => [String], {
    nullable: true,
    description: returneeFieldDoc('otherNames', 'Other spellings and transliterations (Cyrillic, Latin, Arabic) the person is known by.'),
  })
  otherNames?: string[] | null;
  @Field(() => SexEnum, { nullable: true, description: returneeFieldDoc('sex', 'Sex as registered.') }) sex?: Sex | null;
  @Field(() => LocalDateResolver, {
    nullable: true,
    description: returneeFieldDoc(
      'dateOfBirth',
      'Date of birth (YYYY-MM-DD); when only the year is known, YYYY-01-01 with dateOfBirthEstimated true.',
    ),
  })
  dateOfBirth?: string | null;
  @Field(() => Boolean, {
    nullable: true,
    description: returneeFieldDoc('dateOfBirthEstimated', 'True when dateOfBirth is an estimate (e.g. only the year is known).'),
  })
  dateOfBirthEstimated?: boolean | null;
  @Field(() => String, {
    nullable: true,
    description: returneeFieldDoc('placeOfBirth', 'Place of birth as told, free text (town, camp, country).'),
  })
  placeOfBirth?: string | null;
  @Field(() => String, { nullable: true, description: returneeFieldDoc('citizenship', 'Citizenship, ISO 3166-1 alpha-2 code (e.g. KZ).') })
  citizenship?: string | null;
  @Field(() => LocalDateResolver, {
    nullable: true,
    description: returneeFieldDoc('returnedOn', 'Date of return to the country (YYYY-MM-DD).'),
  })
  returnedOn?: string | null;
  @Field(() => String, {
    nullable: true,
    description: returneeFieldDoc('returnedFrom', 'Country returned from, ISO 3166-1 alpha-2 code (e.g. SY, IQ).'),
  })
  returnedFrom?: string | null;
  @Field(() => ReturneeStatusEnum, { nullable: true, description: returneeFieldDoc('status', 'Where the person stands in reintegration.') })
  status?: ReturneeStatus | null;
  @Field(() => Boolean, { nullable: true, description: returneeFieldDoc('isMinor', 'Under 18 today, derived from dateOfBirth.') })
  isMinor?: boolean | null;
  @Field(() => String, {
    nullable: true,
    description: returneeFieldDoc('country', "Jurisdiction of the record (ISO 3166-1 alpha-2): the registering agency's country."),
  })
  country?: string | null;
  @Field(() => AgencyType, {
    nullable: true,
    description: returneeFieldDoc('registeringAgency', 'The agency that registered the record and owns it.'),
  })
  registeringAgency?: AgencyType | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: returneeFieldDoc('createdAt', 'When the record was registered (UTC).') })
  createdAt?: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: returneeFieldDoc('updatedAt', 'When the record last changed (UTC).') })
  updatedAt?: Date | null;

  // CONTACT
  @Field(() => String, { nullable: true, description: returneeFieldDoc('region', 'Region of residence, e.g. Aqtobe, Osh, Khatlon.') })
  region?: string | null;
  @Field(() => String, { nullable: true, description: returneeFieldDoc('district', 'District within the region.') }) district?:
    string | null;
  @Field(() => String, { nullable: true, description: returneeFieldDoc('address', 'Street address, free text.') }) address?: string | null;
  @Field(() => String, {
    nullable: true,
    description: returneeFieldDoc('phone', 'Phone number as given, digits with optional +, spaces, dashes.'),
  })
  phone?: string | null;
  @Field(() => ID, {
    nullable: true,
    description: returneeFieldDoc('guardianReturneeId', 'Id of the guardian when the guardian is a returnee too.'),
  })
  guardianReturneeId?: string | null;
  @Field(() => String, { nullable: true, description: returneeFieldDoc('guardianName', 'Name of a guardian who is not a returnee.') })
  guardianName?: string | null;
  @Field(() => String, {
    nullable: true,
    description: returneeFieldDoc('guardianRelation', "The guardian's relation to the person, e.g. grandmother, aunt."),
  })
  guardianRelation?: string | null;
  @Field(() => [HouseholdMemberType], {
    nullable: true,
    description: returneeFieldDoc(
      'household',
      'Guardian and wards who are returnees in your scope too, named by id and case number only (read each for details).',
    ),
  })
  household?: HouseholdMemberType[] | null;

  // HEALTH
  @Field(() => [HealthAssessmentType], {
    nullable: true,
    description: returneeFieldDoc('healthAssessments', 'Examinations, newest first.'),
  })
  healthAssessments?: HealthAssessmentType[] | null;

  // HEALTH_FLAGS
  @Field(() => Boolean, {
    nullable: true,
    description: returneeFieldDoc('followUpNeeded', 'A health follow-up is needed (from the newest examination).'),
  })
  followUpNeeded?: boolean | null;
  @Field(() => Boolean, {
    nullable: true,
    description: returneeFieldDoc('fitForSchool', 'Fit to attend school, per the newest examination; null when not assessed.'),
  })
  fitForSchool?: boolean | null;
  @Field(() => String, {
    nullable: true,
    description: returneeFieldDoc('accommodationsNeeded', 'Accommodations the person needs (e.g. ground-floor classroom), free text.'),
  })
  accommodationsNeeded?: string | null;

  // EDUCATION
  @Field(() => LiteracyLevelEnum, { nullable: true, description: returneeFieldDoc('literacyLevel', 'Assessed reading and writing level.') })
  literacyLevel?: LiteracyLevel | null;
  @Field(() => [String], {
    nullable: true,
    description: returneeFieldDoc('languages', 'Languages spoken or read, e.g. Kazakh, Russian, Arabic.'),
  })
  languages?: string[] | null;
  @Field(() => [String], {
    nullable: true,
    description: returneeFieldDoc('specialClasses', 'Special classes attended, e.g. state-language literacy, catch-up mathematics.'),
  })
  specialClasses?: string[] | null;
  @Field(() => [EducationProgressNoteType], {
    nullable: true,
    description: returneeFieldDoc('educationProgressNotes', 'Progress notes, newest first.'),
  })
  educationProgressNotes?: EducationProgressNoteType[] | null;

  // EDUCATION_SUMMARY
  @Field(() => EnrolmentStatusEnum, { nullable: true, description: returneeFieldDoc('enrolmentStatus', 'School enrolment status.') })
  enrolmentStatus?: EnrolmentStatus | null;
  @Field(() => String, { nullable: true, description: returneeFieldDoc('school', 'School or boarding school attended, free text.') })
  school?: string | null;
  @Field(() => String, { nullable: true, description: returneeFieldDoc('grade', 'Grade or class, e.g. 3, 3A, preparatory.') })
  grade?: string | null;

  // DOCUMENTS
  @Field(() => [CivilDocumentType], {
    nullable: true,
    description: returneeFieldDoc('civilDocuments', 'The current version of each civil document recorded, with numbers.'),
  })
  civilDocuments?: CivilDocumentType[] | null;

  // DOCUMENTS_STATUS
  @Field(() => [DocumentStatusType], {
    nullable: true,
    description: returneeFieldDoc('documentStatuses', 'One entry per document type (MISSING, APPLIED, ISSUED); numbers never included.'),
  })
  documentStatuses?: DocumentStatusType[] | null;

  // SOCIAL_SUPPORT
  @Field(() => [SocialSupportMeasureType], {
    nullable: true,
    description: returneeFieldDoc('socialSupport', 'Benefits, employment, retraining, housing and guardianship decisions, newest first.'),
  })
  socialSupport?: SocialSupportMeasureType[] | null;

  // PSYCHOSOCIAL
  @Field(() => [SupportSessionType], {
    nullable: true,
    description: returneeFieldDoc('supportSessions', 'Counselling sessions and rehabilitation-centre stays, newest first.'),
  })
  supportSessions?: SupportSessionType[] | null;

  // PSYCHOSOCIAL_SUMMARY
  @Field(() => EngagementStatusEnum, {
    nullable: true,
    description: returneeFieldDoc('engagementStatus', 'How the person engages with psychosocial support.'),
  })
  engagementStatus?: EngagementStatus | null;
}

@ObjectType({ description: 'One record of a returnees page and its position', simpleResolvers: true })
export class ReturneeEdge {
  @Field(() => String, { description: 'Opaque cursor of this position: pass it as after to continue after this record' }) cursor!: string;
  @Field(() => ReturneeView, { description: 'The record, projected and audited like a single read' }) node!: ReturneeView;
}

@ObjectType({
  description: 'A page of records in your scope (Relay cursor connection); every record returned is audited as read',
  simpleResolvers: true,
})
export class ReturneeConnection {
  @Field(() => [ReturneeEdge], { description: 'The records of this page with their cursors, in order' }) edges!: ReturneeEdge[];
  @Field(() => [ReturneeView], { description: 'The same records as edges, without cursors' }) nodes!: ReturneeView[];
  @Field(() => PageInfo, { description: 'Where this page stands' }) pageInfo!: PageInfo;
  @Field(() => Int, { description: 'Records in your scope matching the filter, on every page (not only this one)' }) totalCount!: number;
}

@ObjectType({ description: 'The result of a write to a returnee record' })
export class ReturneePayload {
  @Field(() => ReturneeView, { description: 'The record after the write, as you may see it (audited as a read)' }) returnee!: ReturneeView;
}
