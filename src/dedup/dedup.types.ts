import { ArrayMaxSize, IsBoolean, IsDateString, IsIn, IsOptional, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { Field, Float, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { SexEnum } from '../graphql/scalars';
import { SEXES, type Sex } from '../returnee/returnee.entity';
import { ReturneeView } from '../returnee/returnee.types';
import { MATCH_REASON_CODES, type MatchReasonCode } from './match-score';

const NAME = /^[\p{L}\p{M}' .ʻʼ’‘`-]+$/u;
const NAME_MESSAGE = 'must contain letters, spaces, apostrophes, dots or dashes only';

export const MatchReasonCodeEnum = Object.fromEntries(MATCH_REASON_CODES.map((c) => [c, c])) as { [K in MatchReasonCode]: K };
registerEnumType(MatchReasonCodeEnum, {
  name: 'MatchReasonCode',
  description: 'Why a record may be the same person: which fields agreed or disagreed, and how (never their values)',
  valuesConfig: {
    GIVEN_NAME_EQUAL: { description: 'Given names are the same once transliterated to one script (docs/matching.md)' },
    GIVEN_NAME_SIMILAR: { description: 'Given names are close spellings of each other (trigram similarity 0.4 or more)' },
    GIVEN_NAME_DIFFERS: { description: 'Given names are unlike each other' },
    FAMILY_NAME_EQUAL: { description: 'Family names are the same once transliterated (gendered endings such as -ov/-ova count as one)' },
    FAMILY_NAME_SIMILAR: { description: 'Family names are close spellings of each other (trigram similarity 0.4 or more)' },
    FAMILY_NAME_DIFFERS: { description: 'Family names are unlike each other' },
    NAME_ORDER_SWAPPED: { description: 'The names match with given and family name swapped (weight 0: said for the reader)' },
    PATRONYMIC_EQUAL: { description: 'Patronymics are the same once transliterated' },
    PATRONYMIC_DIFFERS: { description: 'Patronymics are unlike each other' },
    DATE_OF_BIRTH_EQUAL: { description: 'Exact dates of birth are the same' },
    DATE_OF_BIRTH_DAY_MONTH_SWAPPED: { description: 'Same year, with day and month swapped (a common registration slip)' },
    DATE_OF_BIRTH_SAME_YEAR: { description: 'Same year of birth where one date is only a year (estimated)' },
    DATE_OF_BIRTH_NEAR_YEAR: { description: 'Years of birth one apart where one date is only a year (estimated)' },
    DATE_OF_BIRTH_DIFFERS: { description: 'Dates of birth disagree' },
    SEX_EQUAL: { description: 'Same sex' },
    SEX_DIFFERS: { description: 'Different sex (strongly against)' },
    SAME_GUARDIAN: { description: 'Both name the same returnee as guardian' },
    GUARDIAN_NAME_SIMILAR: { description: "The guardians' names are the same or close spellings" },
    GUARDIAN_DIFFERS: { description: "The guardians' names are unlike each other" },
    PLACE_OF_BIRTH_SIMILAR: { description: 'Places of birth are the same or close spellings' },
    DOCUMENT_NUMBER_EQUAL: { description: 'A civil document number is the same (only where your sector reads civil documents)' },
  },
});

export enum DuplicateCheckMode {
  SKIP = 'SKIP',
  FLAG = 'FLAG',
  REFUSE = 'REFUSE',
}
registerEnumType(DuplicateCheckMode, {
  name: 'DuplicateCheckMode',
  description: 'What registerReturnee does about records in your scope that may be the same person',
  valuesConfig: {
    SKIP: { description: 'Register without looking (the default)' },
    FLAG: { description: 'Register, and list the likely duplicates in possibleDuplicates' },
    REFUSE: { description: 'Register only when none is found; otherwise CONFLICT listing them in extensions.duplicates' },
  },
});

@InputType({ description: 'What you were told about a person; givenName and familyName are required, the rest sharpens the match' })
export class DuplicateCheckInput {
  @Field(() => String, { description: 'Given name as told, 1-100 letters, any script or spelling' })
  @Length(1, 100)
  @Matches(NAME, { message: `givenName ${NAME_MESSAGE}` })
  givenName!: string;
  @Field(() => String, { description: 'Family name as told, 1-100 letters, any script or spelling' })
  @Length(1, 100)
  @Matches(NAME, { message: `familyName ${NAME_MESSAGE}` })
  familyName!: string;
  @Field(() => String, { nullable: true, description: 'Patronymic, 1-100 characters' }) @IsOptional() @Length(1, 100) patronymic?: string;
  @Field(() => [String], { nullable: true, description: 'Other spellings you were given' })
  @IsOptional()
  @ArrayMaxSize(20)
  @Length(1, 100, { each: true })
  otherNames?: string[];
  @Field(() => SexEnum, { nullable: true, description: 'Sex, if known' }) @IsOptional() @IsIn([...SEXES]) sex?: Sex;
  @Field(() => LocalDateResolver, {
    nullable: true,
    description: 'When only the year is known, send YYYY-01-01 with dateOfBirthEstimated: true',
  })
  @IsOptional()
  @IsDateString({ strict: true })
  dateOfBirth?: string;
  @Field(() => Boolean, { nullable: true, description: 'True when dateOfBirth is only the year (or otherwise an estimate)' })
  @IsOptional()
  @IsBoolean()
  dateOfBirthEstimated?: boolean;
  @Field(() => String, { nullable: true, description: 'Place of birth as told, at most 200 characters' })
  @IsOptional()
  @MaxLength(200)
  placeOfBirth?: string;
  @Field(() => ID, { nullable: true, description: 'The guardian (e.g. the mother) when she is a returnee in your scope' })
  @IsOptional()
  @IsUUID('all')
  guardianReturneeId?: string;
  @Field(() => String, { nullable: true, description: "The guardian's name, when not a returnee, at most 200 characters" })
  @IsOptional()
  @MaxLength(200)
  guardianName?: string;
  @Field(() => [String], {
    nullable: true,
    description: 'Passport, ID card or birth certificate numbers (compared only where your sector reads civil documents)',
  })
  @IsOptional()
  @ArrayMaxSize(10)
  @Length(4, 64, { each: true })
  documentNumbers?: string[];
}

@ObjectType('MatchReason', { description: 'One piece of evidence for or against a candidate being the same person' })
export class MatchReasonType {
  @Field(() => MatchReasonCodeEnum, { description: 'What agreed or disagreed' }) code!: MatchReasonCode;
  @Field(() => Float, { description: 'Points this reason added (negative: against)' }) weight!: number;
  @Field(() => [String], { description: 'The fields of the candidate compared; you may read each of them on it' }) fields!: string[];
}

@ObjectType('DuplicateCandidate', { description: 'A record in your scope that may be the same person' })
export class DuplicateCandidateType {
  @Field(() => ReturneeView, { description: 'The record as you may see it' }) returnee!: ReturneeView;
  @Field(() => Float, { description: '0 to 1; 0.5 is "as likely as not"' }) score!: number;
  @Field(() => [MatchReasonType], { description: 'The evidence the score is built from' }) reasons!: MatchReasonType[];
}

@ObjectType('DuplicateCheck', { description: 'Records in your scope that may be the person described' })
export class DuplicateCheckType {
  @Field(() => [DuplicateCandidateType], { description: 'Most likely first' }) candidates!: DuplicateCandidateType[];
  @Field(() => Boolean, {
    description:
      'False while some records still wait for their name keys (after an upgrade); the hub computes them in the background: ask again shortly',
  })
  complete!: boolean;
}
