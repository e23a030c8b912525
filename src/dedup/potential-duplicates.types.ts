import { Field, Float, ObjectType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { PageInfo } from '../common/paging';
import { ReturneeView } from '../returnee/returnee.types';
import { MatchReasonType } from './dedup.types';
import type { MatchReason } from './match-score';

@ObjectType('DuplicatePair', {
  description:
    'Two records in your scope that may be one person. Score and reasons use the identity section only (names, sex, date and place of birth), which you read on both',
})
export class DuplicatePairType {
  @Field(() => ReturneeView, { description: 'The record with the smaller id, as you may see it (audited as read)' }) recordA!: ReturneeView;
  @Field(() => ReturneeView, { description: 'The record with the larger id, as you may see it (audited as read)' }) recordB!: ReturneeView;
  @Field(() => Float, { description: '0 to 1; 0.5 is "as likely as not"' }) score!: number;
  @Field(() => [MatchReasonType], { description: 'The evidence the score is built from (codes and fields, never values)' })
  reasons!: MatchReason[];
}

@ObjectType('DuplicatePairEdge', { description: 'One pair of a potentialDuplicates page and its position' })
export class DuplicatePairEdge {
  @Field(() => String, { description: 'Opaque cursor of this position: pass it as after to continue after this pair' }) cursor!: string;
  @Field(() => DuplicatePairType, { description: 'The pair' }) node!: DuplicatePairType;
}

@ObjectType('DuplicatePairConnection', {
  description: 'A page of pairs of records in your scope that may be one person, highest score first (Relay cursor connection)',
})
export class DuplicatePairConnection {
  @Field(() => [DuplicatePairEdge], { description: 'The pairs of this page with their cursors, highest score first' })
  edges!: DuplicatePairEdge[];
  @Field(() => PageInfo, { description: 'Where this page stands' }) pageInfo!: PageInfo;
  @Field(() => Boolean, {
    description:
      'False while some records of your scope still wait for their pairs to be computed (after an upgrade or a bulk load): ask again shortly. Records outside your scope never count',
  })
  complete!: boolean;
}

@ObjectType('DuplicatePairDecision', {
  description: "A supervisor's decision on a pair of records (markNotDuplicate, reopenDuplicatePair)",
})
export class DuplicatePairDecisionType {
  @Field(() => ReturneeView, { description: 'The record with the smaller id, as you may see it' }) recordA!: ReturneeView;
  @Field(() => ReturneeView, { description: 'The record with the larger id, as you may see it' }) recordB!: ReturneeView;
  @Field(() => Boolean, { description: 'True: decided to be two people, no longer listed by potentialDuplicates' }) notDuplicate!: boolean;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When it was decided (UTC); null once reopened' })
  decidedAt?: Date | null;
}
