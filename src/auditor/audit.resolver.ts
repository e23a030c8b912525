import type { GraphQLResolveInfo } from 'graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Arg, Authorized, Ctx, ID, Info, Int, Query, Resolver } from 'type-graphql';
import type { Operation } from '../request/operation';
import type { RequestContext } from '../request/context';
import { Op } from '../graphql/operation.decorator';
import { selectedFields } from '../graphql/selection';
import { disclosureReportOrThrow } from './audit-disclosure.service';
import { listAuditEventsOrThrow } from './audit-events.service';
import { auditIntegrityOrThrow } from './audit-integrity.service';
import { pageInfoOf } from '../common/paging';
import { AuditEventConnection, AuditEventFilter, AuditEventType, AuditIntegrityType, DisclosureReport } from './audit.types';

/** Thin: the auditor's tools. The services authorize first and record every read of the trail. */
@Resolver(() => AuditEventType)
export class AuditResolver {
  @Authorized()
  @Query(() => AuditEventConnection, { description: 'Auditors: the audit trail, newest first, one page at a time' })
  async auditEvents(
    @Op() op: Operation,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
    @Arg('filter', () => AuditEventFilter, {
      nullable: true,
      description: 'Conditions every event listed meets; none: every event you may see',
    })
    filter?: AuditEventFilter,
    @Arg('first', () => Int, { defaultValue: 20, description: 'Page size, 1 to HUB_MAX_PAGE_SIZE (default 100)' }) first = 20,
    @Arg('after', () => String, {
      nullable: true,
      description: 'Continue after this cursor (pageInfo.endCursor or an edge cursor of an earlier page of the same query, for you only)',
    })
    after?: string,
  ): Promise<AuditEventConnection> {
    const fields = [...new Set([...selectedFields(info, ['nodes']), ...selectedFields(info, ['edges', 'node'])])].filter(
      (f) => f !== '__typename',
    );
    const caseNumbers =
      selectedFields(info, ['nodes', 'returnee']).has('caseNumber') ||
      selectedFields(info, ['edges', 'node', 'returnee']).has('caseNumber');
    const page = await listAuditEventsOrThrow(
      op,
      { filter, first, after, previous: selectedFields(info, ['pageInfo']).has('hasPreviousPage') },
      fields,
      selectedFields(info).has('totalCount'),
      ctx.runtime.config.maxPageSize,
      caseNumbers,
    );
    return {
      nodes: page.nodes,
      edges: page.nodes.map((node, i) => ({ node, cursor: page.cursors[i] })),
      pageInfo: pageInfoOf(page.cursors, page.hasNextPage, page.hasPreviousPage),
      totalCount: page.totalCount?.n ?? 0,
      totalCountCapped: page.totalCount?.capped ?? false,
    };
  }

  @Authorized()
  @Query(() => DisclosureReport, { description: 'Auditors: who read or changed which sections of one person, when and why' })
  disclosureReport(
    @Arg('returneeId', () => ID, { description: 'The returnee (UUID); out of your scope is NOT_FOUND' }) returneeId: string,
    @Op() op: Operation,
    @Info() info: GraphQLResolveInfo,
    @Arg('from', () => DateTimeISOResolver, { nullable: true, description: 'Only events at or after this time (inclusive)' }) from?: Date,
    @Arg('to', () => DateTimeISOResolver, { nullable: true, description: 'Only events before this time (exclusive)' }) to?: Date,
  ): Promise<DisclosureReport> {
    return disclosureReportOrThrow(op, returneeId, from, to, selectedFields(info, ['returnee']).has('caseNumber'));
  }

  @Authorized()
  @Query(() => AuditIntegrityType, { description: 'Auditors: verify the hash chain and the latest signed checkpoint' })
  auditIntegrity(@Op() op: Operation): Promise<AuditIntegrityType> {
    return auditIntegrityOrThrow(op);
  }
}
