import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Float, Info, Int, Query, Resolver } from 'type-graphql';
import { Op } from '../graphql/operation.decorator';
import { selectedFields } from '../graphql/selection';
import type { Operation } from '../request/operation';
import { DEFAULT_MIN_SCORE } from './dedup.service';
import { potentialDuplicatesOrThrow } from './potential-duplicates.service';
import { DuplicatePairConnection } from './potential-duplicates.types';

/** Thin: the service authorizes (supervisor reading identity), scopes both records in SQL and audits. */
@Resolver()
export class PotentialDuplicatesResolver {
  @Authorized()
  @Query(() => DuplicatePairConnection, {
    description:
      'Supervisors: pairs of records in your scope that may be one person, for review (markNotDuplicate, mergeReturnees). A pair is listed only when both records are in your scope (docs/matching.md).',
  })
  potentialDuplicates(
    @Op() op: Operation,
    @Info() info: GraphQLResolveInfo,
    @Arg('first', () => Int, { defaultValue: 20, description: 'How many pairs at most: 1 to 50' }) first = 20,
    @Arg('after', () => String, { nullable: true, description: 'endCursor of the previous page' }) after?: string,
    @Arg('minScore', () => Float, { defaultValue: DEFAULT_MIN_SCORE, description: 'Leave out pairs scoring below this (0.5 to 1)' })
    minScore = DEFAULT_MIN_SCORE,
  ): Promise<DuplicatePairConnection> {
    const paths = [
      ['edges', 'node', 'recordA'],
      ['edges', 'node', 'recordB'],
    ];
    const union = (extra: string[]) => new Set(paths.flatMap((path) => [...selectedFields(info, [...path, ...extra])]));
    return potentialDuplicatesOrThrow(op, { first, after, minScore }, union([]), (field) => union([field]));
  }
}
