import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { BREAK_GLASS_REASONS, type BreakGlassReason } from '../access/policy';

export const REVIEW_OUTCOMES = ['JUSTIFIED', 'NOT_JUSTIFIED'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];
/** Who is asked: a supervisor of the opener's agency, and one of the agency that registered the record. */
export const REVIEW_SIDES = ['ACTOR_AGENCY', 'RECORD_AGENCY'] as const;
export type ReviewSide = (typeof REVIEW_SIDES)[number];

/**
 * One emergency opening of a record (policies/*.policy.ts `breakGlass`): who (`actorId`, of
 * `agencyId`), which record (`returneeId`, registered by `recordAgencyId`, in `country`), why
 * (`reasonCode` and free text), the window (`openedAt` to `expiresAt`, or `closedAt` if closed
 * earlier), the sections it showed, and the combined review outcome once every side reviewed.
 * The read rules see open windows through the view `break_glass_open` (now() against
 * expires_at, in SQL). Rows are never deleted; the person's statement joins them.
 */
@Entity({ tableName: 'break_glass' })
@Index({ properties: ['returneeId', 'actorId', 'expiresAt'] })
@Index({ properties: ['actorId', 'expiresAt'] })
@Index({ properties: ['agencyId', 'openedAt'] })
@Index({ properties: ['recordAgencyId', 'openedAt'] })
@Index({ properties: ['country', 'reviewOutcome', 'openedAt'] })
export class BreakGlass {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The staff member who broke the glass. */
  @Property({ type: 'uuid' })
  actorId: string;

  @Property({ type: 'uuid' })
  agencyId: string;

  @Property({ type: 'uuid' })
  returneeId: string;

  /** The record's registering agency when the glass was broken. */
  @Property({ type: 'uuid' })
  recordAgencyId: string;

  @Property({ type: 'string', length: 2 })
  country: string;

  @Enum({ items: () => [...BREAK_GLASS_REASONS] })
  reasonCode: BreakGlassReason;

  @Property({ type: 'string', length: 1000 })
  reasonText: string;

  /** The sections the window shows (the policy's `breakGlass.sections` at the time). */
  @Property({ type: 'text[]' })
  sections: string[];

  /** Was the record outside the caller's scope when opened? */
  @Property({ type: 'boolean' })
  outsideScope: boolean;

  @Property({ type: 'timestamptz' })
  openedAt: Date;

  @Property({ type: 'timestamptz' })
  expiresAt: Date;

  @Property({ type: 'timestamptz', nullable: true })
  closedAt?: Date;

  @Property({ type: 'uuid', nullable: true })
  closedBy?: string;

  /** Set once every side reviewed: NOT_JUSTIFIED when any side says so. */
  @Enum({ items: () => [...REVIEW_OUTCOMES], nullable: true })
  reviewOutcome?: ReviewOutcome;

  @Property({ type: 'timestamptz', nullable: true })
  reviewedAt?: Date;

  constructor(init: Omit<BreakGlass, 'id' | 'closedAt' | 'closedBy' | 'reviewOutcome' | 'reviewedAt'>) {
    this.actorId = init.actorId;
    this.agencyId = init.agencyId;
    this.returneeId = init.returneeId;
    this.recordAgencyId = init.recordAgencyId;
    this.country = init.country;
    this.reasonCode = init.reasonCode;
    this.reasonText = init.reasonText;
    this.sections = init.sections;
    this.outsideScope = init.outsideScope;
    this.openedAt = init.openedAt;
    this.expiresAt = init.expiresAt;
  }
}

/** One side's review of an opening; never changed (the application role may only insert). */
@Entity({ tableName: 'break_glass_review' })
@Unique({ properties: ['breakGlassId', 'side'] })
export class BreakGlassReview {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  breakGlassId: string;

  @Enum({ items: () => [...REVIEW_SIDES] })
  side: ReviewSide;

  @Property({ type: 'uuid' })
  reviewerId: string;

  @Property({ type: 'uuid' })
  agencyId: string;

  @Enum({ items: () => [...REVIEW_OUTCOMES] })
  outcome: ReviewOutcome;

  @Property({ type: 'string', length: 2000 })
  note: string;

  @Property({ type: 'timestamptz' })
  reviewedAt: Date = new Date();

  constructor(init: {
    breakGlassId: string;
    side: ReviewSide;
    reviewerId: string;
    agencyId: string;
    outcome: ReviewOutcome;
    note: string;
  }) {
    this.breakGlassId = init.breakGlassId;
    this.side = init.side;
    this.reviewerId = init.reviewerId;
    this.agencyId = init.agencyId;
    this.outcome = init.outcome;
    this.note = init.note;
  }
}
