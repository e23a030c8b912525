import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, ID, Info, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Operation } from '../request/operation';
import type { RequestContext } from '../request/context';
import { Op } from '../graphql/operation.decorator';
import { selectedFields } from '../graphql/selection';
import { listReturneesOrThrow } from './returnee-list.service';
import { lazyPageInfoOf } from '../common/paging';
import { readSelectedReturneeOrThrow } from './returnee-read.service';
import { registerReturneeOrThrow, updateReturneeOrThrow } from './returnee-write.service';
import { DEFAULT_MIN_SCORE, likelyDuplicatesOrThrow, refuseLikelyDuplicatesOrThrow } from '../dedup/dedup.service';
import type { PayloadWithDuplicates } from '../dedup/dedup.resolver';
import { DuplicateCheckMode } from '../dedup/dedup.types';
import type { MatchInput } from '../dedup/match-score';
import { ReturneeConnection, ReturneePayload, ReturneeView } from './returnee.types';
import { RegisterReturneeInput, ReturneeFilter, ReturneeOrder, UpdateReturneeInput } from './returnee.inputs';

/** Thin: parse, delegate to the services (which authorize and audit), shape the answer. */
@Resolver(() => ReturneeView)
export class ReturneeResolver {
  @Authorized()
  @Query(() => ReturneeView, { description: 'One record. Out of your scope reads exactly like a record that does not exist (NOT_FOUND).' })
  returnee(
    @Arg('id', () => ID, { description: 'The record id (UUID)' }) id: string,
    @Op() op: Operation,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ReturneeView> {
    return readSelectedReturneeOrThrow(op, id, info);
  }

  @Authorized()
  @Query(() => ReturneeConnection, { description: 'Records in your scope, one page at a time' })
  async returnees(
    @Op() op: Operation,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
    @Arg('filter', () => ReturneeFilter, { nullable: true, description: 'Conditions every record listed meets; none: all in scope' })
    filter?: ReturneeFilter,
    @Arg('orderBy', () => ReturneeOrder, { nullable: true, description: 'Default: case number ascending' }) orderBy?: ReturneeOrder,
    @Arg('first', () => Int, { defaultValue: 20, description: 'Page size, 1 to HUB_MAX_PAGE_SIZE (default 100)' }) first = 20,
    @Arg('after', () => String, {
      nullable: true,
      description: 'Continue after this cursor (pageInfo.endCursor or an edge cursor of an earlier page of the same query, for you only)',
    })
    after?: string,
  ): Promise<ReturneeConnection> {
    const requested = new Set([...selectedFields(info, ['nodes']), ...selectedFields(info, ['edges', 'node'])]);
    const wantTotal = selectedFields(info).has('totalCount');
    const subfields = (field: string) =>
      new Set([...selectedFields(info, ['nodes', field]), ...selectedFields(info, ['edges', 'node', field])]);
    const page = await listReturneesOrThrow(
      op,
      { filter, orderBy, first, after, previous: selectedFields(info, ['pageInfo']).has('hasPreviousPage') },
      requested,
      wantTotal,
      ctx.runtime.config.maxPageSize,
      subfields,
    );
    return {
      nodes: page.views,
      // Cursors are sealed only if the client reads them (getters: graphql-js reads the property).
      edges: page.views.map((node, i) => ({
        node,
        get cursor() {
          return page.cursorAt(i);
        },
      })),
      pageInfo: lazyPageInfoOf(page.views.length, page.cursorAt, page.hasNextPage, page.hasPreviousPage),
      totalCount: page.totalCount ?? 0,
    };
  }

  @Authorized()
  @Mutation(() => ReturneePayload, { description: 'Register a returnee; your agency becomes the registering agency' })
  async registerReturnee(
    @Arg('input', () => RegisterReturneeInput, { description: 'The new record; only fields your sector writes' })
    input: RegisterReturneeInput,
    @Op() op: Operation,
    @Info() info: GraphQLResolveInfo,
    @Arg('duplicateCheck', () => DuplicateCheckMode, {
      nullable: true,
      defaultValue: DuplicateCheckMode.SKIP,
      description: 'Look for records in your scope that may be the same person (docs/matching.md); null is SKIP',
    })
    mode?: DuplicateCheckMode | null,
  ): Promise<ReturneePayload> {
    const duplicateCheck = mode ?? DuplicateCheckMode.SKIP;
    const beforeCreate =
      duplicateCheck === DuplicateCheckMode.REFUSE ? () => refuseLikelyDuplicatesOrThrow(op, input as MatchInput) : undefined;
    const id = await op.once(() => registerReturneeOrThrow(op, input, beforeCreate));
    const payload: PayloadWithDuplicates = { returnee: await readSelectedReturneeOrThrow(op, id, info, ['returnee']) };
    if (duplicateCheck === DuplicateCheckMode.FLAG) {
      const path = ['possibleDuplicates', 'returnee'];
      const check = await likelyDuplicatesOrThrow(
        op,
        input as MatchInput,
        { first: 10, minScore: DEFAULT_MIN_SCORE, excludeId: id },
        selectedFields(info, path),
        (field) => selectedFields(info, [...path, field]),
      );
      payload.possibleDuplicates = check.candidates;
    } else if (duplicateCheck === DuplicateCheckMode.REFUSE) {
      payload.possibleDuplicates = []; // it would not have registered otherwise
    }
    return payload;
  }

  @Authorized()
  @Mutation(() => ReturneePayload, { description: 'Change fields of your sector; send the version you read (a stale one is CONFLICT)' })
  async updateReturnee(
    @Arg('id', () => ID, { description: 'The record to change' }) id: string,
    @Arg('expectedVersion', () => Int, { description: 'The version you read; CONFLICT when the record changed since' })
    expectedVersion: number,
    @Arg('input', () => UpdateReturneeInput, { description: 'The fields to change' }) input: UpdateReturneeInput,
    @Op() op: Operation,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ReturneePayload> {
    const updated = await op.once(() => updateReturneeOrThrow(op, id, expectedVersion, input));
    return { returnee: await readSelectedReturneeOrThrow(op, updated, info, ['returnee']) };
  }
}
