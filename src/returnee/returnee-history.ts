import { GraphQLJSONObject } from 'graphql-scalars';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Field, ID, Info, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import type { Operation } from '../request/operation';
import { badInput } from '../errors';
import { Op } from '../graphql/operation.decorator';
import { selectedFields } from '../graphql/selection';
import { ReturneeRevision } from './returnee-revision.entity';
import { readableWithBasisOrThrow } from './returnee-read.service';
import { derivedId, uuidOrThrow } from '../common/ids';

@ObjectType('ReturneeRevision', { description: 'Values a change replaced, limited to the fields you may read on this record' })
export class ReturneeRevisionType {
  @Field(() => ID, {
    description:
      'The revision: the same on every read, derived from the record, version, time and agency shown here (never a hub-wide counter); what its READ audit event names',
  })
  id!: string;
  @Field(() => Int, { description: 'The version the change replaced' }) version!: number;
  @Field(() => DateTimeISOResolver, { description: 'When the change was made (UTC)' }) changedAt!: Date;
  @Field(() => ID, { description: 'Id of the agency whose staff made the change' }) agencyId!: string;
  @Field(() => [String], { description: 'Changed fields you may read (never empty: a change of none of them is not shown)' })
  fields!: string[];
  @Field(() => GraphQLJSONObject, {
    description: 'Field name -> the value before the change (null: it was empty), for the names in fields only',
  })
  previous!: Record<string, unknown>;
  @Field(() => Int, {
    description: 'Always 0: a revision is shown only through the fields you may read, and says nothing of the others',
    deprecationReason:
      'Counting the fields withheld told you about changes you may not see. Deprecated 2026-12-06; removal not before 2027-06-06.',
  })
  hiddenFieldCount!: number;
}

/**
 * The id a revision is shown under (and its READ event names): from what every reader of it sees
 * (record, version, time, agency), not the table's key, which counts every agency's changes; not
 * from the fields it changed either, since a reader sees only some of them.
 */
function revisionId(r: ReturneeRevision): string {
  return derivedId('ReturneeRevision', r.returneeId, String(r.version), r.changedAt.toISOString(), r.agencyId);
}

/**
 * History of a record: every update kept the values it replaced. A reader sees a revision only
 * through the fields they may read on this record now (same rules as the record itself): the
 * revisions that changed none of them are not shown at all, so their time and agency do not
 * tell EDUCATION when HEALTH changed a flag. The selection happens in SQL (array overlap), so
 * `first` counts revisions the caller may see.
 */
export async function listHistoryOrThrow(
  op: Operation,
  id: string,
  first: number,
  selected?: ReadonlySet<string>,
): Promise<ReturneeRevisionType[]> {
  if (!Number.isInteger(first) || first < 1 || first > 200) throw badInput('first must be between 1 and 200');
  const returneeId = uuidOrThrow(id, 'returneeId');
  const { readable, basisFor } = await readableWithBasisOrThrow(op, returneeId, 'ReturneeRevision');
  const rows =
    readable.size === 0
      ? []
      : await op.em.find(ReturneeRevision, { returneeId, fields: { $overlap: [...readable] } }, { orderBy: { id: 'desc' }, limit: first });
  const views = rows.map((r) => {
    const fields = r.fields.filter((f) => readable.has(f));
    return {
      id: revisionId(r),
      version: r.version,
      changedAt: r.changedAt,
      agencyId: r.agencyId,
      fields,
      previous: Object.fromEntries(fields.map((f) => [f, r.previous[f] ?? null])),
      hiddenFieldCount: 0,
    };
  });
  // The record fields a revision discloses are those it names, when the client asked for them
  // (`fields` or `previous`); a revision read without them is still recorded, naming none.
  const disclosing = !selected || selected.has('fields') || selected.has('previous');
  await op.recordDurably(
    rows.map((r, i) => ({
      action: 'READ' as const,
      entityType: 'ReturneeRevision',
      entityId: views[i].id,
      returneeId,
      fields: disclosing ? views[i].fields : [],
      deniedFields: disclosing ? r.fields.filter((f) => !readable.has(f)) : [],
      outcome: 'SUCCESS' as const,
      basis: basisFor(disclosing ? views[i].fields : []),
    })),
  );
  return views;
}

@Resolver()
export class ReturneeHistoryResolver {
  @Authorized()
  @Query(() => [ReturneeRevisionType], { description: 'Earlier values of a record, newest change first, within your field scope' })
  returneeHistory(
    @Arg('returneeId', () => ID, { description: 'The record; out of your scope is NOT_FOUND' }) returneeId: string,
    @Op() op: Operation,
    @Info() info: GraphQLResolveInfo,
    @Arg('first', () => Int, { defaultValue: 50, description: 'How many revisions, newest first: 1 to 200' }) first = 50,
  ): Promise<ReturneeRevisionType[]> {
    return listHistoryOrThrow(op, returneeId, first, selectedFields(info));
  }
}
