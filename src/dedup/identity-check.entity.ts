import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { MatchReason } from './match-score';

/** The identity fields a requester recorded, as sent to holders (docs/matching.md). */
export interface IdentitySnapshot {
  givenName: string;
  familyName: string;
  patronymic: string | null;
  sex: string | null;
  dateOfBirth: string | null;
  dateOfBirthEstimated: boolean | null;
  placeOfBirth: string | null;
}

/**
 * An identity check request (identity-check.service.ts): an agency asks whoever holds a record
 * of the person it registered to say so. The requester sees only this row, the same whatever
 * matched. Ids only, no relation (not a child row a merge moves).
 */
@Entity({ tableName: 'identity_check_request' })
export class IdentityCheckRequest {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid', index: true })
  requesterAgencyId!: string;

  @Property({ type: 'uuid', index: true })
  requesterStaffId!: string;

  /** The requester's own record of the person. */
  @Property({ type: 'uuid' })
  returneeId!: string;

  @Property({ type: 'text' })
  reason!: string;

  @Property({ type: 'boolean' })
  crossBorder: boolean = false;

  @Property({ type: 'jsonb' })
  identity!: IdentitySnapshot;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;
}

export interface QuestionMatch {
  returneeId: string;
  score: number;
  reasons: MatchReason[];
}

/** One holding agency's question about a request: its own matching records, and its answer. */
@Entity({ tableName: 'identity_check_question' })
export class IdentityCheckQuestion {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid', index: true })
  requestId!: string;

  @Property({ type: 'uuid', index: true })
  holderAgencyId!: string;

  @Property({ type: 'jsonb' })
  matches!: QuestionMatch[];

  /** OPEN, SHARE, NOT_THE_SAME or DECLINE. */
  @Property({ type: 'text' })
  status: string = 'OPEN';

  @Property({ type: 'uuid', nullable: true })
  answeredBy?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  answeredAt?: Date | null;

  @Property({ type: 'uuid', nullable: true })
  sharedReturneeId?: string | null;
}
