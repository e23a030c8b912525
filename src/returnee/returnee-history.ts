import { GraphQLJSONObject } from 'graphql-scalars';
import { Arg, Authorized, Field, ID, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import type { Operation } from '../access/operation';
import { badInput } from '../errors';
import { Op } from '../graphql/operation.decorator';
import { ReturneeRevision } from './returnee-revision.entity';
import { readableFieldsOrThrow, uuidOrThrow } from './returnee-read.service';

@ObjectType('ReturneeRevision', { description: 'Values a change replaced, limited to the fields you may read on this record' })
export class ReturneeRevisionType {
  @Field(() => Int, { description: 'The version the change replaced' }) version!: number;
  @Field(() => DateTimeISOResolver) changedAt!: Date;
  @Field(() => ID) agencyId!: string;
  @Field(() => [String], { description: 'Changed fields you may read' }) fields!: string[];
  @Field(() => GraphQLJSONObject, { description: 'Field -> value before the change' }) previous!: Record<string, unknown>;
  @Field(() => Int, { description: 'Changed fields withheld from you by policy' }) hiddenFieldCount!: number;
}

/**
 * History of a record: every update kept the values it replaced. A reader sees the previous
 * values only of fields they may read on this record now (same rules as the record itself).
 */
export async function listHistoryOrThrow(op: Operation, id: string, first: number): Promise<ReturneeRevisionType[]> {
  if (!Number.isInteger(first) || first < 1 || first > 200) throw badInput('first must be between 1 and 200');
  const returneeId = uuidOrThrow(id, 'returneeId');
  const readable = await readableFieldsOrThrow(op, returneeId, 'ReturneeRevision');
  const rows = await op.em.find(ReturneeRevision, { returneeId }, { orderBy: { id: 'desc' }, limit: first });
  const views = rows.map((r) => {
    const fields = r.fields.filter((f) => readable.has(f));
    return {
      version: r.version, changedAt: r.changedAt, agencyId: r.agencyId, fields,
      previous: Object.fromEntries(fields.map((f) => [f, r.previous[f] ?? null])), hiddenFieldCount: r.fields.length - fields.length,
    };
  });
  await op.recordDurably(rows.map((r, i) => ({
    action: 'READ' as const, entityType: 'ReturneeRevision', entityId: r.id, returneeId, fields: views[i].fields,
    deniedFields: r.fields.filter((f) => !readable.has(f)), outcome: 'SUCCESS' as const,
  })));
  return views;
}

@Resolver()
export class ReturneeHistoryResolver {
  @Authorized()
  @Query(() => [ReturneeRevisionType], { description: 'Earlier values of a record, newest change first, within your field scope' })
  returneeHistory(
    @Arg('returneeId', () => ID) returneeId: string,
    @Op() op: Operation,
    @Arg('first', () => Int, { defaultValue: 50 }) first = 50,
  ): Promise<ReturneeRevisionType[]> {
    return listHistoryOrThrow(op, returneeId, first);
  }
}
