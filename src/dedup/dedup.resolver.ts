import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, FieldResolver, Float, Info, Int, Query, Resolver, Root } from 'type-graphql';
import type { Operation } from '../request/operation';
import { Op } from '../graphql/operation.decorator';
import { selectedFields } from '../graphql/selection';
import { ReturneePayload } from '../returnee/returnee.types';
import { DEFAULT_MIN_SCORE, likelyDuplicatesOrThrow, type DuplicateCandidate } from './dedup.service';
import { DuplicateCandidateType, DuplicateCheckInput, DuplicateCheckType } from './dedup.types';

/** Thin: the services authorize (names readable), scope and audit. */
@Resolver(() => DuplicateCheckType)
export class DedupResolver {
  @Authorized()
  @Query(() => DuplicateCheckType, {
    description:
      'Records in your scope that may be the person described, across scripts and spellings (docs/matching.md). Records outside your scope are never listed.',
  })
  likelyDuplicates(
    @Arg('input', () => DuplicateCheckInput, { description: 'What you were told about the person' }) input: DuplicateCheckInput,
    @Op() op: Operation,
    @Info() info: GraphQLResolveInfo,
    @Arg('first', () => Int, { defaultValue: 10, description: 'How many candidates at most: 1 to 50' }) first = 10,
    @Arg('minScore', () => Float, { defaultValue: DEFAULT_MIN_SCORE, description: 'Leave out candidates scoring below this (0 to 1)' })
    minScore = DEFAULT_MIN_SCORE,
  ): Promise<DuplicateCheckType> {
    const path = ['candidates', 'returnee'];
    return likelyDuplicatesOrThrow(op, input, { first, minScore }, selectedFields(info, path), (field) =>
      selectedFields(info, [...path, field]),
    );
  }
}

/** registerReturnee's answer with duplicateCheck FLAG or REFUSE carries the candidates it found. */
export type PayloadWithDuplicates = ReturneePayload & { possibleDuplicates?: DuplicateCandidate[] };

@Resolver(() => ReturneePayload)
export class ReturneePayloadDuplicatesResolver {
  @FieldResolver(() => [DuplicateCandidateType], {
    nullable: true,
    description:
      'Only from registerReturnee with duplicateCheck FLAG or REFUSE: records in your scope that may be the same person (null otherwise)',
  })
  possibleDuplicates(@Root() payload: PayloadWithDuplicates): DuplicateCandidate[] | null {
    return payload.possibleDuplicates ?? null;
  }
}
