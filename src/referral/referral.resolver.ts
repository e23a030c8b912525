import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Info, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Operation } from '../request/operation';
import { Op } from '../graphql/operation.decorator';
import { selectedFields } from '../graphql/selection';
import { pageInfoOf } from '../common/paging';
import { readReferralOrThrow, referralView } from './referral-read';
import type { ReferralSelection } from './referral-read-audit';
import {
  acceptReferralOrThrow,
  closeReferralOrThrow,
  declineReferralOrThrow,
  listReferrals,
  referReturneeOrThrow,
} from './referral.service';
import { DecideReferralInput, ReferralConnection, ReferralFilter, ReferralType, ReferReturneeInput } from './referral.types';

/** What a mutation's client selected on the referral and on its `returnee` reference (what its READ events name). */
function payloadSelection(info: GraphQLResolveInfo): ReferralSelection {
  return { fields: selectedFields(info), returnee: selectedFields(info, ['returnee']) };
}

/** Thin: the services authorize (caseworkers refer; supervisors of the addressee decide) and audit; responses are reads. */
@Resolver(() => ReferralType)
export class ReferralResolver {
  @Authorized()
  @Query(() => ReferralConnection, { description: 'Referrals from or to your agency, newest first' })
  async referrals(
    @Op() op: Operation,
    @Info() info: GraphQLResolveInfo,
    @Arg('filter', () => ReferralFilter, { nullable: true, description: 'Direction, status, record; none: all, both directions' })
    filter?: ReferralFilter,
    @Arg('first', () => Int, { defaultValue: 20, description: 'Page size, 1 to HUB_MAX_PAGE_SIZE (default 100)' }) first = 20,
    @Arg('after', () => String, {
      nullable: true,
      description: 'Continue after this cursor (pageInfo.endCursor or an edge cursor of an earlier page of the same query, for you only)',
    })
    after?: string,
  ): Promise<ReferralConnection> {
    // A referral shown as an edge's node is read exactly like one in nodes (same READ events).
    const selection = {
      fields: new Set([...selectedFields(info, ['nodes']), ...selectedFields(info, ['edges', 'node'])]),
      returnee: new Set([...selectedFields(info, ['nodes', 'returnee']), ...selectedFields(info, ['edges', 'node', 'returnee'])]),
    };
    const previous = selectedFields(info, ['pageInfo']).has('hasPreviousPage');
    const page = await listReferrals(op, filter ?? { direction: 'ANY' }, first, after, selection, previous);
    const nodes = page.nodes.map(referralView);
    const pageInfo = pageInfoOf(page.cursors, page.hasNextPage, page.hasPreviousPage);
    return {
      nodes,
      edges: nodes.map((node, i) => ({ node, cursor: page.cursors[i] })),
      pageInfo,
      totalCount: page.total,
      hasNextPage: pageInfo.hasNextPage,
      endCursor: pageInfo.endCursor,
    };
  }

  @Authorized()
  @Mutation(() => ReferralType, { description: 'Refer a returnee to another agency for a service; needs a consent covering its sector' })
  async referReturnee(
    @Arg('input', () => ReferReturneeInput, { description: 'Which record, to which agency, for which service' }) input: ReferReturneeInput,
    @Op() op: Operation,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ReferralType> {
    return readReferralOrThrow(op, await op.once(() => referReturneeOrThrow(op, input)), payloadSelection(info));
  }

  @Authorized()
  @Mutation(() => ReferralType, { description: 'Supervisors of the receiving agency: accept, which gives your agency case access' })
  async acceptReferral(
    @Arg('input', () => DecideReferralInput, { description: 'The referral and an optional note' }) input: DecideReferralInput,
    @Op() op: Operation,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ReferralType> {
    return readReferralOrThrow(op, await op.once(() => acceptReferralOrThrow(op, input)), payloadSelection(info));
  }

  @Authorized()
  @Mutation(() => ReferralType, { description: 'Supervisors of the receiving agency: decline, with a note saying why' })
  async declineReferral(
    @Arg('input', () => DecideReferralInput, { description: 'The referral and an optional note' }) input: DecideReferralInput,
    @Op() op: Operation,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ReferralType> {
    return readReferralOrThrow(op, await op.once(() => declineReferralOrThrow(op, input)), payloadSelection(info));
  }

  @Authorized()
  @Mutation(() => ReferralType, {
    description: 'Supervisors of either agency: close an accepted referral, ending the access it gave and every access derived from it',
  })
  async closeReferral(
    @Arg('input', () => DecideReferralInput, { description: 'The referral and an optional note' }) input: DecideReferralInput,
    @Op() op: Operation,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ReferralType> {
    return readReferralOrThrow(op, await op.once(() => closeReferralOrThrow(op, input)), payloadSelection(info));
  }
}
