import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, ID, Info, Mutation, Resolver } from 'type-graphql';
import { DuplicatePairDecisionType } from '../dedup/potential-duplicates.types';
import { Op } from '../graphql/operation.decorator';
import type { Operation } from '../request/operation';
import { readSelectedReturneeOrThrow } from '../returnee/returnee-read.service';
import { decisionOf, markNotDuplicateOrThrow, reopenDuplicatePairOrThrow, type PairIds } from './duplicate-decision.service';

const idsOf = (key: string): PairIds => {
  const [lowId, highId] = key.split('|');
  return { lowId, highId };
};

/** Thin: the service authorizes (supervisor writing identity, both records in update scope), decides and audits. */
@Resolver()
export class DuplicateDecisionResolver {
  @Authorized()
  @Mutation(() => DuplicatePairDecisionType, {
    description: 'Decide that two records in your scope are two different people: potentialDuplicates no longer lists the pair',
  })
  async markNotDuplicate(
    @Arg('aId', () => ID, { description: 'One record of the pair' }) aId: string,
    @Arg('bId', () => ID, { description: 'The other record of the pair' }) bId: string,
    @Op() op: Operation,
    @Info() info: GraphQLResolveInfo,
    @Arg('note', () => String, { nullable: true, description: 'Why they are two people, at most 1000 characters' }) note?: string,
  ): Promise<DuplicatePairDecisionType> {
    const key = await op.once(async () => {
      const pair = await markNotDuplicateOrThrow(op, aId, bId, note);
      return `${pair.lowId}|${pair.highId}`;
    });
    const pair = idsOf(key);
    return {
      recordA: await readSelectedReturneeOrThrow(op, pair.lowId, info, ['recordA']),
      recordB: await readSelectedReturneeOrThrow(op, pair.highId, info, ['recordB']),
      ...(await decisionOf(op, pair)),
    };
  }

  @Authorized()
  @Mutation(() => DuplicatePairDecisionType, {
    description: 'Undo markNotDuplicate: the pair is listed by potentialDuplicates again',
  })
  async reopenDuplicatePair(
    @Arg('aId', () => ID, { description: 'One record of the pair' }) aId: string,
    @Arg('bId', () => ID, { description: 'The other record of the pair' }) bId: string,
    @Op() op: Operation,
    @Info() info: GraphQLResolveInfo,
  ): Promise<DuplicatePairDecisionType> {
    const key = await op.once(async () => {
      const pair = await reopenDuplicatePairOrThrow(op, aId, bId);
      return `${pair.lowId}|${pair.highId}`;
    });
    const pair = idsOf(key);
    return {
      recordA: await readSelectedReturneeOrThrow(op, pair.lowId, info, ['recordA']),
      recordB: await readSelectedReturneeOrThrow(op, pair.highId, info, ['recordB']),
      ...(await decisionOf(op, pair)),
    };
  }
}
