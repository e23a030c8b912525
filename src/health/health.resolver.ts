import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, ID, Info, Mutation, Resolver } from 'type-graphql';
import type { Operation } from '../request/operation';
import { Op } from '../graphql/operation.decorator';
import { readSelectedReturneeOrThrow } from '../returnee/returnee-read.service';
import { ReturneePayload } from '../returnee/returnee.types';
import { recordHealthAssessmentOrThrow } from './health.service';
import { RecordHealthAssessmentInput } from './health.types';

@Resolver()
export class HealthResolver {
  @Authorized()
  @Mutation(() => ReturneePayload, { description: "Record an examination; the returnee's health flags follow the newest one" })
  async recordHealthAssessment(
    @Arg('returneeId', () => ID, {
      description: 'The returnee record (UUID); out of your scope is NOT_FOUND, exactly like one that does not exist',
    })
    returneeId: string,
    @Arg('input', () => RecordHealthAssessmentInput, { description: 'The examination' }) input: RecordHealthAssessmentInput,
    @Op() op: Operation,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ReturneePayload> {
    const id = await op.once(() => recordHealthAssessmentOrThrow(op, returneeId, input));
    return { returnee: await readSelectedReturneeOrThrow(op, id, info, ['returnee']) };
  }
}
