import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, ID, Info, Mutation, Query, Resolver } from 'type-graphql';
import type { Operation } from '../request/operation';
import { Op } from '../graphql/operation.decorator';
import { selectedFields } from '../graphql/selection';
import type { DsrOutcome, DsrStatus } from './data-subject-request.entity';
import { listDataSubjectRequestsOrThrow, readDataSubjectRequestOrThrow } from './data-subject-read';
import { completeDataSubjectRequestOrThrow, recordDataSubjectRequestOrThrow } from './data-subject.service';
import { DataSubjectRequestType, DsrOutcomeEnum, DsrStatusEnum, RecordDataSubjectRequestInput } from './data-subject.types';

/** Whether the client asked for the person's case number (a read of the record's reference, audited as one). */
const caseNumberShown = (info: GraphQLResolveInfo) => selectedFields(info, ['person']).has('caseNumber');

/** Thin: requests are shown through the scoped, audited reads of data-subject-read.ts, mutations included. */
@Resolver(() => DataSubjectRequestType)
export class DataSubjectResolver {
  @Authorized()
  @Query(() => [DataSubjectRequestType], {
    description:
      'Supervisors of the recording agency and auditors of its country: the persons’ requests, open first by due date (at most 500: narrow by person, status or overdue to see the rest), overdue ones flagged',
  })
  dataSubjectRequests(
    @Op() op: Operation,
    @Info() info: GraphQLResolveInfo,
    @Arg('returneeId', () => ID, { nullable: true, description: 'Only this person’s requests (UUID); one out of your scope lists none' })
    returneeId?: string,
    @Arg('status', () => DsrStatusEnum, { nullable: true, description: 'Only requests in this status' }) status?: DsrStatus,
    @Arg('overdue', () => Boolean, { nullable: true, description: 'true: only overdue ones; false: only those not overdue' })
    overdue?: boolean,
  ): Promise<DataSubjectRequestType[]> {
    return listDataSubjectRequestsOrThrow(op, {
      returneeId: returneeId ?? undefined,
      status,
      overdue,
      caseNumberShown: caseNumberShown(info),
    });
  }

  @Authorized()
  @Mutation(() => DataSubjectRequestType, {
    description: 'Caseworkers and supervisors of the registering agency: record a request the person made (due per HUB_DSR_DUE_DAYS)',
  })
  async recordDataSubjectRequest(
    @Arg('input', () => RecordDataSubjectRequestInput, { description: 'The person, the kind of request, when received, a note' })
    input: RecordDataSubjectRequestInput,
    @Op() op: Operation,
    @Info() info: GraphQLResolveInfo,
  ): Promise<DataSubjectRequestType> {
    const id = await op.once(() => recordDataSubjectRequestOrThrow(op, input));
    return readDataSubjectRequestOrThrow(op, id, caseNumberShown(info));
  }

  @Authorized()
  @Mutation(() => DataSubjectRequestType, { description: 'Record the answer to an open request, once' })
  async completeDataSubjectRequest(
    @Arg('id', () => ID, { description: 'The request' }) id: string,
    @Arg('outcome', () => DsrOutcomeEnum, { description: 'How it was answered' }) outcome: DsrOutcome,
    @Arg('note', () => String, { nullable: true, description: 'What was done or why not (at most 2000 characters, no section values)' })
    note: string | undefined,
    @Op() op: Operation,
    @Info() info: GraphQLResolveInfo,
  ): Promise<DataSubjectRequestType> {
    const done = await op.once(() => completeDataSubjectRequestOrThrow(op, id, outcome, note));
    return readDataSubjectRequestOrThrow(op, done, caseNumberShown(info));
  }
}
