import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Info, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Operation } from '../access/operation';
import { Op } from '../graphql/operation.decorator';
import { selectedFields } from '../graphql/selection';
import { entityResult } from '../idempotency/idempotency';
import { agencyView } from '../returnee/returnee.view';
import { Referral } from './referral.entity';
import {
  acceptReferralOrThrow, closeReferralOrThrow, declineReferralOrThrow, listReferrals, referReturneeOrThrow,
} from './referral.service';
import { DecideReferralInput, ReferralConnection, ReferralFilter, ReferralType, ReferReturneeInput } from './referral.types';

function referralView(r: Referral): ReferralType {
  const returnee = r.returnee.getEntity();
  return {
    id: r.id, returnee: { id: returnee.id, caseNumber: returnee.caseNumber }, fromAgency: agencyView(r.fromAgency.getEntity()),
    toAgency: agencyView(r.toAgency.getEntity()), service: r.service, reason: r.reason, crossBorder: r.crossBorder, status: r.status,
    createdAt: r.createdAt, decidedAt: r.decidedAt ?? null, decisionNote: r.decisionNote ?? null, closedAt: r.closedAt ?? null,
  };
}

/** Thin: the services authorize (caseworkers refer; supervisors of the addressee decide) and audit. */
@Resolver(() => ReferralType)
export class ReferralResolver {
  @Authorized()
  @Query(() => ReferralConnection, { description: 'Referrals from or to your agency, newest first' })
  async referrals(
    @Op() op: Operation,
    @Info() info: GraphQLResolveInfo,
    @Arg('filter', () => ReferralFilter, { nullable: true }) filter?: ReferralFilter,
    @Arg('first', () => Int, { defaultValue: 20 }) first = 20,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<ReferralConnection> {
    const selection = { fields: selectedFields(info, ['nodes']), returnee: selectedFields(info, ['nodes', 'returnee']) };
    const page = await listReferrals(op, filter ?? { direction: 'ANY' }, first, after, selection);
    return { nodes: page.nodes.map(referralView), totalCount: page.total, hasNextPage: page.hasNextPage, endCursor: page.endCursor };
  }

  @Authorized()
  @Mutation(() => ReferralType, { description: 'Refer a returnee to another agency for a service; needs a consent covering its sector' })
  async referReturnee(@Arg('input', () => ReferReturneeInput) input: ReferReturneeInput, @Op() op: Operation): Promise<ReferralType> {
    return this.reload(op, await op.once(() => referReturneeOrThrow(op, input), entityResult(Referral)));
  }

  @Authorized()
  @Mutation(() => ReferralType, { description: 'Supervisors of the receiving agency: accept, which gives your agency case access' })
  async acceptReferral(@Arg('input', () => DecideReferralInput) input: DecideReferralInput, @Op() op: Operation): Promise<ReferralType> {
    return this.reload(op, await op.once(() => acceptReferralOrThrow(op, input), entityResult(Referral)));
  }

  @Authorized()
  @Mutation(() => ReferralType, { description: 'Supervisors of the receiving agency: decline, with a note saying why' })
  async declineReferral(@Arg('input', () => DecideReferralInput) input: DecideReferralInput, @Op() op: Operation): Promise<ReferralType> {
    return this.reload(op, await op.once(() => declineReferralOrThrow(op, input), entityResult(Referral)));
  }

  @Authorized()
  @Mutation(() => ReferralType, { description: 'Supervisors of either agency: close an accepted referral, ending the access it gave' })
  async closeReferral(@Arg('input', () => DecideReferralInput) input: DecideReferralInput, @Op() op: Operation): Promise<ReferralType> {
    return this.reload(op, await op.once(() => closeReferralOrThrow(op, input), entityResult(Referral)));
  }

  private async reload(op: Operation, r: Referral): Promise<ReferralType> {
    await op.em.populate(r, ['fromAgency', 'toAgency', 'returnee'], { fields: ['*', 'returnee.id', 'returnee.caseNumber'] as never, refresh: false });
    return referralView(r);
  }
}
