import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, ID, Info, Mutation, Resolver } from 'type-graphql';
import type { Operation } from '../request/operation';
import { Op } from '../graphql/operation.decorator';
import { readSelectedReturneeOrThrow } from '../returnee/returnee-read.service';
import { ReturneePayload } from '../returnee/returnee.types';
import { LocalDateResolver } from 'graphql-scalars';
import { endSocialSupportOrThrow, recordSocialSupportOrThrow } from './social-support.service';
import { RecordSocialSupportInput } from './social-support.types';

@Resolver()
export class SocialSupportResolver {
  @Authorized()
  @Mutation(() => ReturneePayload, { description: 'Record a benefit, job placement, retraining, housing measure or guardianship decision' })
  async recordSocialSupport(
    @Arg('returneeId', () => ID, {
      description: 'The returnee record (UUID); out of your scope is NOT_FOUND, exactly like one that does not exist',
    })
    returneeId: string,
    @Arg('input', () => RecordSocialSupportInput, { description: 'The measure' }) input: RecordSocialSupportInput,
    @Op() op: Operation,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ReturneePayload> {
    const id = await op.once(() => recordSocialSupportOrThrow(op, returneeId, input));
    return { returnee: await readSelectedReturneeOrThrow(op, id, info, ['returnee']) };
  }

  @Authorized()
  @Mutation(() => ReturneePayload, {
    description: 'End a running social-support measure (sets endedOn once; an ended measure is CONFLICT)',
  })
  async endSocialSupport(
    @Arg('measureId', () => ID, { description: 'The SocialSupportMeasure to end (its id from Returnee.socialSupport)' }) measureId: string,
    @Arg('endedOn', () => LocalDateResolver, { description: 'The last day of the measure, YYYY-MM-DD, not before it started' })
    endedOn: string,
    @Op() op: Operation,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ReturneePayload> {
    const id = await op.once(() => endSocialSupportOrThrow(op, measureId, endedOn));
    return { returnee: await readSelectedReturneeOrThrow(op, id, info, ['returnee']) };
  }
}
