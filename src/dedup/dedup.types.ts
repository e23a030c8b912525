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
  @Field(() => String) @Length(1, 100) @Matches(NAME, { message: `givenName ${NAME_MESSAGE}` }) givenName!: string;
  @Field(() => String) @Length(1, 100) @Matches(NAME, { message: `familyName ${NAME_MESSAGE}` }) familyName!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 100) patronymic?: string;
  @Field(() => [String], { nullable: true, description: 'Other spellings you were given' })
  @IsOptional()
  @ArrayMaxSize(20)
  @Length(1, 100, { each: true })
  otherNames?: string[];
  @Field(() => SexEnum, { nullable: true }) @IsOptional() @IsIn([...SEXES]) sex?: Sex;
  @Field(() => LocalDateResolver, {
    nullable: true,
    description: 'When only the year is known, send YYYY-01-01 with dateOfBirthEstimated: true',
  })
  @IsOptional()
  @IsDateString({ strict: true })
  dateOfBirth?: string;
  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() dateOfBirthEstimated?: boolean;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(200) placeOfBirth?: string;
  @Field(() => ID, { nullable: true, description: 'The guardian (e.g. the mother) when she is a returnee in your scope' })
  @IsOptional()
  @IsUUID('all')
  guardianReturneeId?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(200) guardianName?: string;
  @Field(() => [String], {
    nullable: true,
    description: 'Passport, ID card or birth certificate numbers (compared only where your sector reads civil documents)',
  })
  @IsOptional()
  @ArrayMaxSize(10)
  @Length(4, 64, { each: true })
  documentNumbers?: string[];
}

@ObjectType('MatchReason')
export class MatchReasonType {
  @Field(() => MatchReasonCodeEnum) code!: MatchReasonCode;
  @Field(() => Float, { description: 'Points this reason added (negative: against)' }) weight!: number;
  @Field(() => [String], { description: 'The fields of the candidate compared; you may read each of them on it' }) fields!: string[];
}

@ObjectType('DuplicateCandidate', { description: 'A record in your scope that may be the same person' })
export class DuplicateCandidateType {
  @Field(() => ReturneeView, { description: 'The record as you may see it' }) returnee!: ReturneeView;
  @Field(() => Float, { description: '0 to 1; 0.5 is "as likely as not"' }) score!: number;
  @Field(() => [MatchReasonType]) reasons!: MatchReasonType[];
}

@ObjectType('DuplicateCheck')
export class DuplicateCheckType {
  @Field(() => [DuplicateCandidateType], { description: 'Most likely first' }) candidates!: DuplicateCandidateType[];
  @Field(() => Boolean, {
    description:
      'False while some records still wait for their name keys (after an upgrade); the hub computes them in the background: ask again shortly',
  })
  complete!: boolean;
}
