import { IsIn, IsInt, IsOptional, IsUUID, Length, Max, Min } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { BREAK_GLASS_REASONS, enumObject, type BreakGlassReason } from '../access/policy';
import { Section } from '../access/sections';
import { AgencyType } from '../agency/agency.types';
import { PageInfo } from '../common/paging';
import { REVIEW_OUTCOMES, REVIEW_SIDES, type ReviewOutcome, type ReviewSide } from './break-glass.entity';

export const BreakGlassReasonEnum = enumObject(BREAK_GLASS_REASONS);
export const ReviewOutcomeEnum = enumObject(REVIEW_OUTCOMES);
export const ReviewSideEnum = enumObject(REVIEW_SIDES);
export const BREAK_GLASS_REVIEW_STATUSES = ['PENDING', 'OVERDUE', 'REVIEWED'] as const;
export type BreakGlassReviewStatus = (typeof BREAK_GLASS_REVIEW_STATUSES)[number];
export const BreakGlassReviewStatusEnum = enumObject(BREAK_GLASS_REVIEW_STATUSES);

registerEnumType(BreakGlassReasonEnum, {
  name: 'BreakGlassReason',
  description: 'Why the glass was broken; each sector policy names the reasons it may give (policies/*.policy.ts, breakGlass)',
  valuesConfig: {
    CHILD_HEALTH_EMERGENCY: { description: "A child's health cannot wait for consent or case access" },
    RISK_TO_LIFE: { description: "A risk to the person's (or someone else's) life" },
    SAFEGUARDING: { description: 'A child or a vulnerable adult must be protected from harm now (e.g. left without a guardian)' },
  },
});
registerEnumType(ReviewOutcomeEnum, {
  name: 'BreakGlassReviewOutcome',
  description: 'What a reviewing supervisor found',
  valuesConfig: {
    JUSTIFIED: { description: 'The emergency justified the opening' },
    NOT_JUSTIFIED: { description: 'It did not: the opening is a matter for the data-protection officer' },
  },
});
registerEnumType(ReviewSideEnum, {
  name: 'BreakGlassReviewSide',
  description: 'Which side a review speaks for',
  valuesConfig: {
    ACTOR_AGENCY: { description: 'A supervisor of the agency whose staff member broke the glass' },
    RECORD_AGENCY: { description: 'A supervisor of the agency that registered the record' },
  },
});
registerEnumType(BreakGlassReviewStatusEnum, {
  name: 'BreakGlassReviewStatus',
  description: 'Which openings a review queue lists',
  valuesConfig: {
    PENDING: { description: 'Not yet reviewed by every side' },
    OVERDUE: { description: 'Not yet reviewed by every side, opened longer ago than HUB_BREAK_GLASS_REVIEW_DAYS' },
    REVIEWED: { description: 'Reviewed by every side' },
  },
});

@ObjectType('BreakGlassReview', { description: "One side's review of a break-glass opening (never changed)" })
export class BreakGlassReviewType {
  @Field(() => ReviewSideEnum, { description: 'The side the reviewer spoke for' }) side!: ReviewSide;
  @Field(() => AgencyType, { description: "The reviewer's agency" }) agency!: AgencyType;
  @Field(() => ID, { description: 'The reviewing supervisor (staff id)' }) reviewerId!: string;
  @Field(() => ReviewOutcomeEnum, { description: 'What they found' }) outcome!: ReviewOutcome;
  @Field(() => String, { description: 'Their note, as recorded' }) note!: string;
  @Field(() => DateTimeISOResolver, { description: 'When it was recorded (UTC)' }) reviewedAt!: Date;
}

@ObjectType('BreakGlass', {
  description:
    'An emergency opening of a record (break-glass): shown to the staff member who opened it, the supervisors of their agency ' +
    'and of the record’s registering agency (who review it) and the auditors of its country',
})
export class BreakGlassType {
  @Field(() => ID, { description: 'Break-glass id: the ref of every BREAK_GLASS disclosure basis it gave' }) id!: string;
  @Field(() => ID, { description: 'The record opened' }) returneeId!: string;
  @Field(() => ID, { description: 'The staff member who broke the glass' }) openedBy!: string;
  @Field(() => String, { description: 'Their display name, for the reviewers' }) openedByName!: string;
  @Field(() => AgencyType, { description: 'Their agency' }) agency!: AgencyType;
  @Field(() => BreakGlassReasonEnum, { description: 'The reason code given' }) reasonCode!: BreakGlassReason;
  @Field(() => String, { description: 'The free text given with it' }) reasonText!: string;
  @Field(() => [Section], { description: 'The sections the window shows without consent or case access' }) sections!: Section[];
  @Field(() => Boolean, { description: 'The record was outside the agency’s scope when the glass was broken' }) outsideScope!: boolean;
  @Field(() => DateTimeISOResolver, { description: 'When the window opened (UTC)' }) openedAt!: Date;
  @Field(() => DateTimeISOResolver, { description: 'When it ends by itself (UTC), at most the policy’s time box after openedAt' })
  expiresAt!: Date;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When it was closed early (UTC); null if not' }) closedAt!: Date | null;
  @Field(() => Boolean, { description: 'The window is open now (not closed, not expired)' }) open!: boolean;
  @Field(() => ReviewOutcomeEnum, {
    nullable: true,
    description: 'Once every side reviewed: NOT_JUSTIFIED if any side found so, else JUSTIFIED; null while a review is pending',
  })
  reviewOutcome!: ReviewOutcome | null;
  @Field(() => Boolean, { description: 'Unreviewed and opened longer ago than HUB_BREAK_GLASS_REVIEW_DAYS' }) reviewOverdue!: boolean;
  @Field(() => [BreakGlassReviewType], { description: 'The reviews recorded so far, oldest first' }) reviews!: BreakGlassReviewType[];
}

@ObjectType('BreakGlassEdge', { description: 'A break-glass opening and its cursor' })
export class BreakGlassEdge {
  @Field(() => String, { description: 'Opaque position of this opening in the list' }) cursor!: string;
  @Field(() => BreakGlassType, { description: 'The opening' }) node!: BreakGlassType;
}

@ObjectType('BreakGlassConnection', { description: 'Break-glass openings in your review scope, newest first' })
export class BreakGlassConnection {
  @Field(() => [BreakGlassEdge], { description: 'The page, with cursors' }) edges!: BreakGlassEdge[];
  @Field(() => [BreakGlassType], { description: 'The page, without cursors' }) nodes!: BreakGlassType[];
  @Field(() => PageInfo, { description: 'Whether more follow' }) pageInfo!: PageInfo;
  @Field(() => Int, { description: 'How many openings in your review scope match the status' }) totalCount!: number;
}

@InputType({ description: 'Break the glass: open a record (or sections) for a short window in an emergency' })
export class BreakGlassInput {
  @Field(() => ID, { description: 'The record to open' })
  @IsUUID('all', { message: 'returneeId must be a UUID' })
  returneeId!: string;
  @Field(() => BreakGlassReasonEnum, { description: 'Why: one of the reasons your sector’s policy names' })
  @IsIn([...BREAK_GLASS_REASONS])
  reasonCode!: BreakGlassReason;
  @Field(() => String, { description: 'What is happening, 10-1000 characters (read by the reviewers)' })
  @Length(10, 1000)
  reasonText!: string;
  @Field(() => Int, { nullable: true, description: 'Minutes the window stays open; at most your policy’s time box (the default)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  minutes?: number;
}

@InputType({ description: 'A supervisor’s review of a break-glass opening' })
export class ReviewBreakGlassInput {
  @Field(() => ID, { description: 'The opening' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
  @Field(() => ReviewOutcomeEnum, { description: 'What you found' })
  @IsIn([...REVIEW_OUTCOMES])
  outcome!: ReviewOutcome;
  @Field(() => String, { description: 'Why, 3-2000 characters (kept, and shown to the auditors)' })
  @Length(3, 2000)
  note!: string;
}
