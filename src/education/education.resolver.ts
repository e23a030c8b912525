import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, ID, Info, Int, Mutation, Resolver } from 'type-graphql';
import type { Operation } from '../request/operation';
import { Op } from '../graphql/operation.decorator';
import { readSelectedReturneeOrThrow } from '../returnee/returnee-read.service';
import { ReturneePayload } from '../returnee/returnee.types';
import { updateEducationOrThrow } from './education.service';
import { UpdateEducationInput } from './education.types';

@Resolver()
export class EducationResolver {
  @Authorized()
  @Mutation(() => ReturneePayload, {
    description:
      'Change literacy, languages, classes and enrolment, and/or append a progress note; send the version you read (a stale one is CONFLICT)',
  })
  async updateEducation(
    @Arg('returneeId', () => ID) returneeId: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('input', () => UpdateEducationInput) input: UpdateEducationInput,
    @Op() op: Operation,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ReturneePayload> {
    const id = await op.once(() => updateEducationOrThrow(op, returneeId, expectedVersion, input));
    return { returnee: await readSelectedReturneeOrThrow(op, id, info, ['returnee']) };
  }
}
