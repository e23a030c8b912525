import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, ID, Info, Mutation, Query, Resolver } from 'type-graphql';
import type { Operation } from '../request/operation';
import { Op } from '../graphql/operation.decorator';
import { selectedFields } from '../graphql/selection';
import { readCaseAccessesOrThrow } from './case-access-read';
import { grantCaseAccessOrThrow, revokeCaseAccessOrThrow } from './case-access.service';
import { CaseAccessType, GrantCaseAccessInput, RevokeCaseAccessInput } from './case-access.types';

/** Thin: every CaseAccess a client receives comes from readCaseAccessesOrThrow (scoped, audited). */
@Resolver(() => CaseAccessType)
export class CaseAccessResolver {
  @Authorized()
  @Query(() => [CaseAccessType], {
    description: 'Agencies other than the registering one that see a record, and why (oldest first), for agencies working on it',
  })
  caseAccesses(
    @Arg('returneeId', () => ID, {
      description: 'The returnee record (UUID); out of your scope is NOT_FOUND, exactly like one that does not exist',
    })
    returneeId: string,
    @Op() op: Operation,
    @Info() info: GraphQLResolveInfo,
    @Arg('includeEnded', () => Boolean, { defaultValue: false, description: 'Also accesses that have ended' }) includeEnded = false,
  ): Promise<CaseAccessType[]> {
    return readCaseAccessesOrThrow(op, { returneeId, includeEnded }, selectedFields(info));
  }

  @Authorized()
  @Mutation(() => CaseAccessType, { description: 'Supervisors of an agency that sees the record share it with another agency' })
  async grantCaseAccess(
    @Arg('input', () => GrantCaseAccessInput, { description: 'Which record, to which agency, and why' }) input: GrantCaseAccessInput,
    @Op() op: Operation,
    @Info() info: GraphQLResolveInfo,
  ): Promise<CaseAccessType> {
    const id = await op.once(() => grantCaseAccessOrThrow(op, input));
    return (await readCaseAccessesOrThrow(op, { accessId: id }, selectedFields(info)))[0];
  }

  @Authorized()
  @Mutation(() => CaseAccessType, {
    description: 'Supervisors of the agency that gave an access, or of the registering agency: end it, and every access derived from it',
  })
  async revokeCaseAccess(
    @Arg('input', () => RevokeCaseAccessInput, { description: 'Which access to end, and why' }) input: RevokeCaseAccessInput,
    @Op() op: Operation,
    @Info() info: GraphQLResolveInfo,
  ): Promise<CaseAccessType> {
    const id = await op.once(() => revokeCaseAccessOrThrow(op, input));
    return (await readCaseAccessesOrThrow(op, { accessId: id }, selectedFields(info)))[0];
  }
}
