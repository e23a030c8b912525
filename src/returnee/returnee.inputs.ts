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
import { Field, ID, InputType, registerEnumType } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { returneeInputDoc } from '../access/section-docs';
import { ReturneeStatusEnum, SexEnum } from '../graphql/scalars';
import { RETURNEE_STATUSES, SEXES, type ReturneeStatus, type Sex } from './returnee.entity';

const NAME = /^[\p{L}\p{M}' .-]+$/u;
const NAME_MESSAGE = 'must contain letters, spaces, apostrophes, dots or dashes only';

/** Fields shared by register and update; all optional here, required ones enforced in register. */
@InputType({ description: 'A new record. givenName, familyName, sex and dateOfBirth are required.' })
export class RegisterReturneeInput {
  @Field(() => String, {
    nullable: true,
    description: returneeInputDoc(
      'givenName',
      'Given (first) name, 1-100 letters, spaces, apostrophes, dots or dashes, any script. Required on register.',
    ),
  })
  @IsOptional()
  @Length(1, 100)
  @Matches(NAME, { message: `givenName ${NAME_MESSAGE}` })
  givenName?: string;
  @Field(() => String, {
    nullable: true,
    description: returneeInputDoc(
      'familyName',
      'Family name, 1-100 letters, spaces, apostrophes, dots or dashes, any script. Required on register.',
    ),
  })
  @IsOptional()
  @Length(1, 100)
  @Matches(NAME, { message: `familyName ${NAME_MESSAGE}` })
  familyName?: string;
  @Field(() => String, { nullable: true, description: returneeInputDoc('patronymic', "Patronymic (father's name), 1-100 characters.") })
  @IsOptional()
  @Length(1, 100)
  patronymic?: string;
  @Field(() => [String], {
    nullable: true,
    description: returneeInputDoc(
      'otherNames',
      'Other spellings and transliterations, at most 20 of 1-100 characters; they make the record findable by search and by duplicate checks.',
    ),
  })
  @IsOptional()
  @ArrayMaxSize(20)
  @Length(1, 100, { each: true })
  otherNames?: string[];
  @Field(() => SexEnum, { nullable: true, description: returneeInputDoc('sex', 'Sex. Required on register.') })
  @IsOptional()
  @IsIn([...SEXES])
  sex?: Sex;
  @Field(() => LocalDateResolver, {
    nullable: true,
    description: returneeInputDoc(
      'dateOfBirth',
      'Date of birth, YYYY-MM-DD; when only the year is known send YYYY-01-01 with dateOfBirthEstimated true. Required on register.',
    ),
  })
  @IsOptional()
  @IsDateString({ strict: true })
  dateOfBirth?: string;
  @Field(() => Boolean, { nullable: true, description: returneeInputDoc('dateOfBirthEstimated', 'True when dateOfBirth is an estimate.') })
  @IsOptional()
  @IsBoolean()
  dateOfBirthEstimated?: boolean;
  @Field(() => String, {
    nullable: true,
    description: returneeInputDoc('placeOfBirth', 'Place of birth, free text, at most 200 characters.'),
  })
  @IsOptional()
  @MaxLength(200)
  placeOfBirth?: string;
  @Field(() => String, { nullable: true, description: returneeInputDoc('citizenship', 'Citizenship, ISO 3166-1 alpha-2 code (e.g. KZ).') })
  @IsOptional()
  @IsISO31661Alpha2()
  citizenship?: string;
  @Field(() => LocalDateResolver, {
    nullable: true,
    description: returneeInputDoc('returnedOn', 'Date of return to the country, YYYY-MM-DD.'),
  })
  @IsOptional()
  @IsDateString({ strict: true })
  returnedOn?: string;
  @Field(() => String, {
    nullable: true,
    description: returneeInputDoc('returnedFrom', 'Country returned from, ISO 3166-1 alpha-2 code (e.g. SY, IQ).'),
  })
  @IsOptional()
  @IsISO31661Alpha2()
  returnedFrom?: string;
  @Field(() => ReturneeStatusEnum, { nullable: true, description: returneeInputDoc('status', 'Where the person stands in reintegration.') })
  @IsOptional()
  @IsIn([...RETURNEE_STATUSES])
  status?: ReturneeStatus;
  @Field(() => String, { nullable: true, description: returneeInputDoc('region', 'Region of residence, at most 100 characters.') })
  @IsOptional()
  @MaxLength(100)
  region?: string;
  @Field(() => String, { nullable: true, description: returneeInputDoc('district', 'District within the region, at most 100 characters.') })
  @IsOptional()
  @MaxLength(100)
  district?: string;
  @Field(() => String, { nullable: true, description: returneeInputDoc('address', 'Street address, at most 300 characters.') })
  @IsOptional()
  @MaxLength(300)
  address?: string;
  @Field(() => String, {
    nullable: true,
    description: returneeInputDoc('phone', 'Phone number: 5-32 digits, spaces, dashes or brackets, optionally starting with +.'),
  })
  @IsOptional()
  @Matches(/^\+?[0-9 ()-]{5,32}$/, { message: 'phone must be 5-32 digits, spaces, dashes or brackets, optionally starting with +' })
  phone?: string;
  @Field(() => ID, {
    nullable: true,
    description: returneeInputDoc('guardianReturneeId', 'Id of the guardian when the guardian is a returnee in your scope.'),
  })
  @IsOptional()
  @IsUUID('all')
  guardianReturneeId?: string;
  @Field(() => String, {
    nullable: true,
    description: returneeInputDoc('guardianName', 'Name of a guardian who is not a returnee, at most 200 characters.'),
  })
  @IsOptional()
  @MaxLength(200)
  guardianName?: string;
  @Field(() => String, {
    nullable: true,
    description: returneeInputDoc('guardianRelation', "The guardian's relation to the person, e.g. grandmother, at most 100 characters."),
  })
  @IsOptional()
  @MaxLength(100)
  guardianRelation?: string;
  @Field(() => Boolean, {
    nullable: true,
    description: returneeInputDoc('followUpNeeded', 'A health follow-up is needed (normally set by recordHealthAssessment).'),
  })
  @IsOptional()
  @IsBoolean()
  followUpNeeded?: boolean;
  @Field(() => Boolean, {
    nullable: true,
    description: returneeInputDoc('fitForSchool', 'Fit to attend school (normally set by recordHealthAssessment).'),
  })
  @IsOptional()
  @IsBoolean()
  fitForSchool?: boolean;
  @Field(() => String, {
    nullable: true,
    description: returneeInputDoc(
      'accommodationsNeeded',
      'Accommodations the person needs, at most 500 characters (normally set by recordHealthAssessment).',
    ),
  })
  @IsOptional()
  @MaxLength(500)
  accommodationsNeeded?: string;
}

@InputType({ description: 'Only the fields present are changed; every one must be writable by your sector.' })
export class UpdateReturneeInput extends RegisterReturneeInput {}

export enum ReturneeOrderField {
  CASE_NUMBER = 'caseNumber',
  FAMILY_NAME = 'familyName',
  DATE_OF_BIRTH = 'dateOfBirth',
  CREATED_AT = 'createdAt',
}
registerEnumType(ReturneeOrderField, {
  name: 'ReturneeOrderField',
  description:
    'Sorting by a field requires read access to it on every record in scope (without consent); otherwise the query is FORBIDDEN. Ties break on the record id.',
  valuesConfig: {
    CASE_NUMBER: { description: 'By case number (the default order); every agency may sort by it' },
    FAMILY_NAME: { description: 'By family name (IDENTITY), for sectors that write IDENTITY' },
    DATE_OF_BIRTH: { description: 'By date of birth (IDENTITY), for sectors that write IDENTITY' },
    CREATED_AT: { description: 'By registration time (IDENTITY), for sectors that write IDENTITY' },
  },
});

export enum SortDirection {
  ASC = 'asc',
  DESC = 'desc',
}
registerEnumType(SortDirection, {
  name: 'SortDirection',
  description: 'Direction of a sort',
  valuesConfig: { ASC: { description: 'Smallest, earliest or A first' }, DESC: { description: 'Largest, latest or Z first' } },
});

@InputType({ description: 'The order of a returnees page; cursors are valid only for the order they were issued in' })
export class ReturneeOrder {
  @Field(() => ReturneeOrderField, { description: 'The field to sort by' }) field!: ReturneeOrderField;
  @Field(() => SortDirection, { defaultValue: SortDirection.ASC, description: 'Ascending unless told otherwise' })
  direction!: SortDirection;
}

@InputType({
  description:
    'All given conditions must hold. Every filter needs read access to the fields it looks at (FORBIDDEN otherwise); on fields you read only under consent, records whose value is hidden from you never match.',
})
export class ReturneeFilter {
  @Field(() => String, {
    nullable: true,
    description: 'Matches given, family or other names (any spelling), case-insensitive substring, 2-100 characters (IDENTITY)',
  })
  @IsOptional()
  @Length(2, 100)
  search?: string;
  @Field(() => ReturneeStatusEnum, { nullable: true, description: 'Only records with this status (IDENTITY)' })
  @IsOptional()
  @IsIn([...RETURNEE_STATUSES])
  status?: ReturneeStatus;
  @Field(() => Boolean, { nullable: true, description: 'True: only minors (under 18 today); false: only adults (IDENTITY)' })
  @IsOptional()
  @IsBoolean()
  isMinor?: boolean;
  @Field(() => String, { nullable: true, description: 'Only records in this region, exact match (CONTACT)' })
  @IsOptional()
  @Length(1, 100)
  region?: string;
  @Field(() => Boolean, { nullable: true, description: 'Only records whose followUpNeeded flag has this value (HEALTH_FLAGS)' })
  @IsOptional()
  @IsBoolean()
  followUpNeeded?: boolean;
}
