import { IsBoolean, IsOptional, IsUUID, Length } from 'class-validator';
import { Field, Float, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver, LocalDateResolver } from 'graphql-scalars';
import { AgencyType } from '../agency/agency.types';
import { ReturneeView } from '../returnee/returnee.types';
import { MatchReasonType } from './dedup.types';
import type { MatchReason } from './match-score';

export enum IdentityCheckStatus {
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
}
registerEnumType(IdentityCheckStatus, {
  name: 'IdentityCheckStatus',
  description: "A request's status as its requester sees it: never says whether anyone holds the person",
  valuesConfig: {
    OPEN: { description: 'Until expiresAt, whatever was found or answered' },
    CLOSED: { description: 'After expiresAt' },
  },
});

export enum IdentityCheckAnswer {
  SHARE = 'SHARE',
  NOT_THE_SAME = 'NOT_THE_SAME',
  DECLINE = 'DECLINE',
}
registerEnumType(IdentityCheckAnswer, {
  name: 'IdentityCheckAnswer',
  description: "A holding agency's answer to an identity check question",
  valuesConfig: {
    SHARE: { description: 'Same person: give the requesting agency case access to the record named in returneeId' },
    NOT_THE_SAME: { description: 'None of our records is this person' },
    DECLINE: { description: 'We do not share (nothing changes for the requester)' },
  },
});

export enum IdentityQuestionStatus {
  OPEN = 'OPEN',
  SHARE = 'SHARE',
  NOT_THE_SAME = 'NOT_THE_SAME',
  DECLINE = 'DECLINE',
}
registerEnumType(IdentityQuestionStatus, {
  name: 'IdentityQuestionStatus',
  description: 'Where a question to your agency stands',
  valuesConfig: {
    OPEN: { description: 'Not answered yet' },
    SHARE: { description: 'Answered: shared' },
    NOT_THE_SAME: { description: 'Answered: not the same person' },
    DECLINE: { description: 'Answered: declined' },
  },
});

@InputType({ description: 'Ask the agencies that may hold a record of the person you registered to say so (docs/matching.md)' })
export class RequestIdentityCheckInput {
  @Field(() => ID, { description: 'Your own record of the person; out of your scope is NOT_FOUND' })
  @IsUUID('all', { message: 'returneeId must be a UUID' })
  returneeId!: string;
  @Field(() => String, { description: 'Why you ask, 3-500 characters (kept in the audit trail, not sent to holders)' })
  @Length(3, 500)
  reason!: string;
  @Field(() => Boolean, { nullable: true, description: 'Also ask agencies of other countries (default false)' })
  @IsOptional()
  @IsBoolean()
  crossBorder?: boolean;
}

@ObjectType('IdentityCheckRequest', { description: 'Your identity check request: the same answer whether or not anyone holds the person' })
export class IdentityCheckRequestType {
  @Field(() => ID, { description: 'Hub identifier of the request' }) id!: string;
  @Field(() => IdentityCheckStatus, { description: 'OPEN until expiresAt, then CLOSED' }) status!: IdentityCheckStatus;
  @Field(() => String, { description: 'The reason you gave' }) reason!: string;
  @Field(() => Boolean, { description: 'Whether agencies of other countries were asked' }) crossBorder!: boolean;
  @Field(() => DateTimeISOResolver, { description: 'When it was made (UTC)' }) createdAt!: Date;
  @Field(() => DateTimeISOResolver, { description: 'When it closes (UTC)' }) expiresAt!: Date;
}

@ObjectType('IdentityCheckPerson', { description: 'The identity fields the requesting agency recorded about the person it met' })
export class IdentityCheckPersonType {
  @Field(() => String, { description: 'Given name as recorded by the requester' }) givenName!: string;
  @Field(() => String, { description: 'Family name as recorded by the requester' }) familyName!: string;
  @Field(() => String, { nullable: true, description: 'Patronymic, if recorded' }) patronymic?: string | null;
  @Field(() => String, { nullable: true, description: 'Sex (FEMALE, MALE, …), if recorded' }) sex?: string | null;
  @Field(() => LocalDateResolver, { nullable: true, description: 'Date of birth, if recorded' }) dateOfBirth?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'True when the date is only an estimate' }) dateOfBirthEstimated?: boolean | null;
  @Field(() => String, { nullable: true, description: 'Place of birth, if recorded' }) placeOfBirth?: string | null;
}

@ObjectType('IdentityCheckMatch', { description: 'One of your records that matched the request' })
export class IdentityCheckMatchType {
  @Field(() => ReturneeView, { description: 'Your record, as you may see it (audited as read)' }) returnee!: ReturneeView;
  @Field(() => Float, { description: '0 to 1, identity fields only' }) score!: number;
  @Field(() => [MatchReasonType], { description: 'The evidence (codes and fields, never values)' }) reasons!: MatchReason[];
}

@ObjectType('IdentityCheckQuestion', {
  description: "Another agency's identity check request, addressed to your agency because your records match",
})
export class IdentityCheckQuestionType {
  @Field(() => ID, { description: 'Hub identifier of the question (pass it to answerIdentityCheck)' }) id!: string;
  @Field(() => IdentityQuestionStatus, { description: 'Where it stands' }) status!: IdentityQuestionStatus;
  @Field(() => AgencyType, { description: 'The agency that asks' }) requesterAgency!: AgencyType;
  @Field(() => IdentityCheckPersonType, { description: 'What the requester recorded about the person' }) identity!: IdentityCheckPersonType;
  @Field(() => DateTimeISOResolver, { description: 'When it was asked (UTC)' }) createdAt!: Date;
  @Field(() => DateTimeISOResolver, { description: 'When it expires (UTC)' }) expiresAt!: Date;
  @Field(() => [IdentityCheckMatchType], { description: 'Your matching records still in your scope, best first' })
  matches!: IdentityCheckMatchType[];
}
