import { IsDateString, IsIn, IsOptional, IsUUID, MaxLength } from 'class-validator';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver, LocalDateResolver } from 'graphql-scalars';
import { enumObject } from '../access/policy';
import { DSR_KINDS, DSR_OUTCOMES, DSR_STATUSES, type DsrKind, type DsrOutcome, type DsrStatus } from './data-subject-request.entity';

export const DsrKindEnum = enumObject(DSR_KINDS);
export const DsrOutcomeEnum = enumObject(DSR_OUTCOMES);
export const DsrStatusEnum = enumObject(DSR_STATUSES);
registerEnumType(DsrKindEnum, {
  name: 'DataSubjectRequestKind',
  description: 'What the person asked for',
  valuesConfig: {
    ACCESS: { description: 'To see their record (and who saw it: disclosureStatement)' },
    RECTIFICATION: { description: 'To have something corrected' },
    OBJECTION: { description: 'To object to a use or a sharing of their data' },
    ERASURE: { description: 'To have data erased' },
    RESTRICTION: { description: 'To have the use of data restricted' },
  },
});
registerEnumType(DsrOutcomeEnum, {
  name: 'DataSubjectRequestOutcome',
  description: 'How a request was answered',
  valuesConfig: {
    FULFILLED: { description: 'Done as asked' },
    PARTLY_FULFILLED: { description: 'Done in part (the note says what and why not the rest)' },
    REFUSED: { description: 'Refused (the note gives the legal reason)' },
    WITHDRAWN: { description: 'The person withdrew the request' },
  },
});
registerEnumType(DsrStatusEnum, {
  name: 'DataSubjectRequestStatus',
  description: 'Where a request stands',
  valuesConfig: { OPEN: { description: 'Not answered yet' }, COMPLETED: { description: 'Answered, with an outcome' } },
});

const NOTE_MAX = 2000;

@InputType({ description: 'A request the person made, as received by the agency that registered them' })
export class RecordDataSubjectRequestInput {
  @Field(() => ID, { description: 'The person (their record)' })
  @IsUUID()
  returneeId!: string;

  @Field(() => DsrKindEnum, { description: 'What they asked for' })
  @IsIn([...DSR_KINDS])
  kind!: DsrKind;

  @Field(() => LocalDateResolver, {
    description: 'The day the request was received (YYYY-MM-DD, not in the future); the due date counts from it',
  })
  @IsDateString({ strict: true })
  receivedOn!: string;

  @Field(() => String, {
    nullable: true,
    description: `What was asked, in a few words (at most ${NOTE_MAX} characters): no health or other section values. Read by the agency's staff, not by auditors`,
  })
  @IsOptional()
  @MaxLength(NOTE_MAX)
  note?: string;
}

@ObjectType('DataSubjectRequestPerson', { description: 'The person a request is from: id and case number only' })
export class DsrPersonType {
  @Field(() => ID, { description: 'Their record' }) id!: string;
  @Field(() => String, { nullable: true, description: 'Case number; null when the record is outside your scope' }) caseNumber!:
    string | null;
}

@ObjectType('DataSubjectRequest', {
  description:
    'A person’s request to see, correct, object to, erase or restrict their data: kind, dates, outcome and notes, never values of the record',
})
export class DataSubjectRequestType {
  @Field(() => ID, { description: 'Request id' }) id!: string;
  @Field(() => DsrPersonType, { description: 'Whose request it is' }) person!: DsrPersonType;
  @Field(() => String, { description: 'The agency that recorded it (the registering agency): its name' }) agencyName!: string;
  @Field(() => DsrKindEnum, { description: 'What the person asked for' }) kind!: DsrKind;
  @Field(() => LocalDateResolver, { description: 'Day received' }) receivedOn!: string;
  @Field(() => LocalDateResolver, { description: 'Day it must be answered by (received + HUB_DSR_DUE_DAYS when recorded)' })
  dueOn!: string;
  @Field(() => DsrStatusEnum, { description: 'Open or completed' }) status!: DsrStatus;
  @Field(() => Boolean, { description: 'Open and past its due date (UTC)' }) overdue!: boolean;
  @Field(() => DsrOutcomeEnum, { nullable: true, description: 'How it was answered; null while open' }) outcome!: DsrOutcome | null;
  @Field(() => String, { nullable: true, description: 'Note when received; null when empty or withheld (see redactedFields)' })
  note!: string | null;
  @Field(() => String, { nullable: true, description: 'Note on the answer; null when empty or withheld (see redactedFields)' })
  outcomeNote!: string | null;
  @Field(() => DateTimeISOResolver, { description: 'When it was recorded in the hub' }) recordedAt!: Date;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When it was completed' }) completedAt!: Date | null;
  @Field(() => [String], { description: 'Fields withheld from you: the notes, for auditors (they are the agency’s working notes)' })
  redactedFields!: string[];
}
