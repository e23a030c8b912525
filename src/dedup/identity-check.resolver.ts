import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, ID, Info, Mutation, Query, Resolver } from 'type-graphql';
import { Op } from '../graphql/operation.decorator';
import { selectedFields } from '../graphql/selection';
import type { Operation } from '../request/operation';
import { readIdentityCheckRequestOrThrow, requestIdentityCheckOrThrow } from './identity-check.service';
import {
  IdentityCheckAnswer,
  IdentityCheckQuestionType,
  IdentityCheckRequestType,
  IdentityQuestionStatus,
  RequestIdentityCheckInput,
} from './identity-check.types';
import { answerIdentityCheckOrThrow, readIdentityQuestionsOrThrow } from './identity-question.service';

const MATCH = ['matches', 'returnee'];

/** Thin: the services authorize, search as a system task, grant and audit (docs/matching.md). */
@Resolver()
export class IdentityCheckResolver {
  @Authorized()
  @Mutation(() => IdentityCheckRequestType, {
    description:
      'Ask agencies that may hold a record of the person your record describes to say so. The answer is the same whether none or several match (docs/matching.md).',
  })
  async requestIdentityCheck(
    @Arg('input', () => RequestIdentityCheckInput, { description: 'Your record and why you ask' }) input: RequestIdentityCheckInput,
    @Op() op: Operation,
  ): Promise<IdentityCheckRequestType> {
    const id = await op.once(() => requestIdentityCheckOrThrow(op, input));
    return (await readIdentityCheckRequestOrThrow(op, id)) as IdentityCheckRequestType;
  }

  @Authorized()
  @Query(() => [IdentityCheckQuestionType], {
    description: "Supervisors: other agencies' identity check requests addressed to your agency because your records match (at most 100)",
  })
  identityCheckRequests(
    @Op() op: Operation,
    @Info() info: GraphQLResolveInfo,
    @Arg('status', () => IdentityQuestionStatus, {
      defaultValue: IdentityQuestionStatus.OPEN,
      description: 'Which questions (default OPEN)',
    })
    status: IdentityQuestionStatus = IdentityQuestionStatus.OPEN,
  ): Promise<IdentityCheckQuestionType[]> {
    return readIdentityQuestionsOrThrow(op, status, selectedFields(info, MATCH), (f) => selectedFields(info, [...MATCH, f])) as Promise<
      IdentityCheckQuestionType[]
    >;
  }

  @Authorized()
  @Mutation(() => IdentityCheckQuestionType, { description: 'Answer a question addressed to your agency (supervisors)' })
  async answerIdentityCheck(
    @Arg('questionId', () => ID, { description: 'The question (IdentityCheckQuestion.id)' }) questionId: string,
    @Arg('answer', () => IdentityCheckAnswer, { description: 'Your answer' }) answer: IdentityCheckAnswer,
    @Op() op: Operation,
    @Info() info: GraphQLResolveInfo,
    @Arg('returneeId', () => ID, { nullable: true, description: 'With SHARE: which of your matching records to share' })
    returneeId?: string,
    @Arg('crossBorder', () => Boolean, { nullable: true, description: 'With SHARE to an agency of another country: must be true' })
    crossBorder?: boolean,
  ): Promise<IdentityCheckQuestionType> {
    const answered = await op.once(() => answerIdentityCheckOrThrow(op, { id: questionId, answer, returneeId, crossBorder }));
    const [question] = await readIdentityQuestionsOrThrow(
      op,
      answer as unknown as IdentityQuestionStatus,
      selectedFields(info, ['matches', 'returnee']),
      undefined,
      [answered],
    );
    return question as IdentityCheckQuestionType;
  }
}
