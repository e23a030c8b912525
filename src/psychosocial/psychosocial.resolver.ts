import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, ID, Info, Mutation, Resolver } from 'type-graphql';
import type { Operation } from '../request/operation';
import { Op } from '../graphql/operation.decorator';
import { readSelectedReturneeOrThrow } from '../returnee/returnee-read.service';
import { ReturneePayload } from '../returnee/returnee.types';
import { recordSupportSessionOrThrow } from './psychosocial.service';
import { RecordSupportSessionInput } from './psychosocial.types';

@Resolver()
export class PsychosocialResolver {
  @Authorized()
  @Mutation(() => ReturneePayload, {
    description:
      'Record counselling, a group session, a rehabilitation-centre stay, religious counselling or family mediation; optionally set the engagement status',
  })
  async recordSupportSession(
    @Arg('returneeId', () => ID, {
      description: 'The returnee record (UUID); out of your scope is NOT_FOUND, exactly like one that does not exist',
    })
    returneeId: string,
    @Arg('input', () => RecordSupportSessionInput, { description: 'The session or stay' }) input: RecordSupportSessionInput,
    @Op() op: Operation,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ReturneePayload> {
    const id = await op.once(() => recordSupportSessionOrThrow(op, returneeId, input));
    return { returnee: await readSelectedReturneeOrThrow(op, id, info, ['returnee']) };
  }
}
