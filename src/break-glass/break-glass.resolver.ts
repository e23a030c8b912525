import { Arg, Authorized, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Operation } from '../request/operation';
import { Op } from '../graphql/operation.decorator';
import { listBreakGlassOrThrow, readBreakGlassOrThrow } from './break-glass-read';
import { reviewBreakGlassOrThrow } from './break-glass-review.service';
import { closeBreakGlassOrThrow, openBreakGlassOrThrow } from './break-glass.service';
import {
  BreakGlassConnection,
  BreakGlassInput,
  BreakGlassReviewStatusEnum,
  BreakGlassType,
  ReviewBreakGlassInput,
  type BreakGlassReviewStatus,
} from './break-glass.types';

/** Thin: openings are shown through readBreakGlassOrThrow / listBreakGlassOrThrow (scoped, audited), mutations included. */
@Resolver(() => BreakGlassType)
export class BreakGlassResolver {
  @Authorized()
  @Query(() => BreakGlassConnection, {
    description:
      'Break-glass openings to review, newest first: supervisors see those of their agency’s staff and those on records their agency registered; auditors all of their country (status OVERDUE: the auditor’s view of unreviewed ones)',
  })
  breakGlassReviews(
    @Op() op: Operation,
    @Arg('status', () => BreakGlassReviewStatusEnum, { defaultValue: 'PENDING', description: 'Which openings' })
    status: BreakGlassReviewStatus = 'PENDING',
    @Arg('first', () => Int, { defaultValue: 20, description: 'Page size' }) first = 20,
    @Arg('after', () => String, { nullable: true, description: 'endCursor of the previous page' }) after?: string,
  ): Promise<BreakGlassConnection> {
    return listBreakGlassOrThrow(op, { status, first, after });
  }

  @Authorized()
  @Mutation(() => BreakGlassType, {
    description:
      'Break the glass in an emergency: open a record (or the sections your policy names) for a time box, with a reason. Audited, and reviewed afterwards; sectors and roles the policy does not name are refused (FORBIDDEN)',
  })
  async breakGlass(
    @Arg('input', () => BreakGlassInput, { description: 'The record, the reason and the window' }) input: BreakGlassInput,
    @Op() op: Operation,
  ): Promise<BreakGlassType> {
    const id = await op.once(() => openBreakGlassOrThrow(op, input));
    return readBreakGlassOrThrow(op, id);
  }

  @Authorized()
  @Mutation(() => BreakGlassType, { description: 'Close a break-glass window before it expires: access ends on the next request' })
  async closeBreakGlass(@Arg('id', () => ID, { description: 'The opening' }) id: string, @Op() op: Operation): Promise<BreakGlassType> {
    const done = await op.once(() => closeBreakGlassOrThrow(op, id));
    return readBreakGlassOrThrow(op, done);
  }

  @Authorized()
  @Mutation(() => BreakGlassType, { description: 'Record your agency’s review of a break-glass opening (supervisors; not your own)' })
  async reviewBreakGlass(
    @Arg('input', () => ReviewBreakGlassInput, { description: 'The opening, the outcome and a note' }) input: ReviewBreakGlassInput,
    @Op() op: Operation,
  ): Promise<BreakGlassType> {
    const id = await op.once(() => reviewBreakGlassOrThrow(op, input));
    return readBreakGlassOrThrow(op, id);
  }
}
