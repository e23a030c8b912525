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
    @Arg('returneeId', () => ID, {
      description: 'The returnee record (UUID); out of your scope is NOT_FOUND, exactly like one that does not exist',
    })
    returneeId: string,
    @Arg('expectedVersion', () => Int, { description: 'The record version you read; CONFLICT when it changed since' })
    expectedVersion: number,
    @Arg('input', () => UpdateEducationInput, { description: 'The education fields to change and/or a note to append' })
    input: UpdateEducationInput,
    @Op() op: Operation,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ReturneePayload> {
    const id = await op.once(() => updateEducationOrThrow(op, returneeId, expectedVersion, input));
    return { returnee: await readSelectedReturneeOrThrow(op, id, info, ['returnee']) };
  }
}
