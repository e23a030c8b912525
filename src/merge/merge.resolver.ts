import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, ID, Info, Mutation, Resolver } from 'type-graphql';
import { Op } from '../graphql/operation.decorator';
import type { Operation } from '../request/operation';
import { readSelectedReturneeOrThrow } from '../returnee/returnee-read.service';
import { describeMergeOrThrow } from './merge-outcome';
import { mergeReturneesOrThrow } from './merge.service';
import { MergeReturneesInput, MergeReturneesPayload, UnmergeReturneesPayload } from './merge.types';
import { unmergeReturneesOrThrow } from './unmerge.service';

/** Thin: the services authorize (supervisor, both records in update scope), move, journal and audit. */
@Resolver()
export class MergeResolver {
  @Authorized()
  @Mutation(() => MergeReturneesPayload, {
    description:
      'Merge two records of one person (supervisors; both records in your scope). One transaction; undo with unmergeReturnees within the configured period (docs/matching.md).',
  })
  async mergeReturnees(
    @Arg('input', () => MergeReturneesInput, { description: 'The two records, their versions and your field choices' })
    input: MergeReturneesInput,
    @Op() op: Operation,
    @Info() info: GraphQLResolveInfo,
  ): Promise<MergeReturneesPayload> {
    const mergeId = await op.once(async () => (await mergeReturneesOrThrow(op, input)).mergeId);
    const outcome = await describeMergeOrThrow(op, mergeId);
    return { ...outcome, survivor: await readSelectedReturneeOrThrow(op, outcome.survivorId, info, ['survivor']) };
  }

  @Authorized()
  @Mutation(() => UnmergeReturneesPayload, {
    description: 'Undo a merge within the configured period (HUB_UNMERGE_DAYS): both records as before',
  })
  async unmergeReturnees(
    @Arg('mergeId', () => ID, { description: 'The mergeId mergeReturnees answered' }) mergeId: string,
    @Op() op: Operation,
    @Info() info: GraphQLResolveInfo,
  ): Promise<UnmergeReturneesPayload> {
    const restored = await op.once(() => unmergeReturneesOrThrow(op, mergeId));
    const { survivorId } = await describeMergeOrThrow(op, mergeId);
    return {
      survivor: await readSelectedReturneeOrThrow(op, survivorId, info, ['survivor']),
      restored: await readSelectedReturneeOrThrow(op, restored, info, ['restored']),
    };
  }
}
