import { raw, type FilterQuery, type FindOptions } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { permittedReturneeFields } from '../access/fields';
import type { Operation } from '../access/operation';
import { returneeScope } from '../access/scope';
import { badInput, forbidden } from '../errors';
import { Returnee } from './returnee.entity';
import type { ReturneeFilter, ReturneeOrder, ReturneeView } from './returnee.types';
import { ReturneeOrderField, SortDirection } from './returnee.types';
import { columnsFor, populateFor, returneeView } from './returnee.view';
import { decodeCursor, encodeCursor } from './cursor';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function uuidOrThrow(id: string, name = 'id'): string {
  if (!UUID.test(id)) throw badInput(`${name} must be a UUID, got "${id.slice(0, 40)}"`);
  return id.toLowerCase();
}

/** What a read resolves to before auditing: the row scope, and which fields to show. */
interface ReadPlan {
  scope: FilterQuery<Returnee>;
  readable: Set<string>;
  shown: Set<string>;
  denied: string[];
  options: FindOptions<Returnee, any, any, any>;
}

/**
 * Reads of the shared record. Rows come from a query scoped by the caller's policy; columns
 * are the requested fields the policy permits; every record returned has a READ event that
 * is durable before the data leaves (fail closed).
 */
export async function planReadOrThrow(op: Operation, requested: Set<string>): Promise<ReadPlan> {
  const scope = returneeScope(op.ability, 'read');
  if (scope === null) {
    return op.denyOrThrow({ entityType: 'Returnee' }, forbidden(`Your sector (${op.actor.sector}) may not read returnee records`));
  }
  const readable = permittedReturneeFields(op.ability, 'read');
  const fields = [...requested].filter((f) => f !== 'redactedFields' && f !== '__typename');
  const shown = new Set(fields.filter((f) => readable.has(f)));
  const denied = fields.filter((f) => !readable.has(f) && !['id', 'caseNumber', 'version'].includes(f));
  const populate = populateFor(shown).map((p) => (p === 'healthAssessments' ? 'healthAssessments.agency' : p));
  const options: FindOptions<Returnee, any, any, any> = {
    fields: columnsFor(shown) as never,
    populate: populate as never,
    populateOrderBy: { healthAssessments: { assessedOn: 'desc', createdAt: 'desc' } },
  };
  return { scope, readable, shown, denied, options };
}

export async function readReturneeOrThrow(op: Operation, id: string, requested: Set<string>): Promise<ReturneeView> {
  const returneeId = uuidOrThrow(id);
  const plan = await planReadOrThrow(op, requested);
  const row = (await op.em.findOne(Returnee, { $and: [{ id: returneeId }, plan.scope] }, plan.options)) as Returnee | null;
  if (!row) return op.notFoundOrThrow('READ', 'Returnee', returneeId, returneeId);
  await op.recordDurably([readEvent(row.id, plan)]);
  return returneeView(row, plan.shown, plan.readable);
}

function readEvent(id: string, plan: ReadPlan) {
  return {
    action: 'READ' as const,
    entityType: 'Returnee',
    entityId: id,
    returneeId: id,
    fields: ['id', 'caseNumber', ...[...plan.shown].filter((f) => f !== 'id' && f !== 'caseNumber')],
    deniedFields: plan.denied,
    outcome: 'SUCCESS' as const,
  };
}

export interface ListArgs {
  filter?: ReturneeFilter;
  orderBy?: ReturneeOrder;
  first: number;
  after?: string;
}

export interface ListResult {
  views: ReturneeView[];
  cursors: string[];
  hasNextPage: boolean;
  totalCount?: number;
}

/**
 * Filters and sort keys obey the read rules: using a field you may not read would leak its
 * value. Returns a builder, because raw SQL fragments in a MikroORM filter are single-use and
 * the page query and the count each need their own.
 */
async function filterQueryOrThrow(op: Operation, filter: ReturneeFilter | undefined, order: ReturneeOrder, readable: Set<string>) {
  const uses: [string, string][] = [];
  const where: (() => FilterQuery<Returnee>)[] = [];
  if (filter?.search !== undefined) {
    uses.push(['search', 'givenName'], ['search', 'familyName'], ['search', 'otherNames']);
    const like = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    // Other spellings live in a text[]; match inside any element, as for the primary names.
    where.push(() => {
      const otherNames = raw((alias: string) => `array_to_string(${alias}.other_names, ' ')`);
      return { $or: [{ givenName: { $ilike: like } }, { familyName: { $ilike: like } }, { [otherNames]: { $ilike: like } }] };
    });
  }
  if (filter?.status !== undefined) {
    uses.push(['status', 'status']);
    where.push(() => ({ status: filter.status }));
  }
  if (filter?.isMinor !== undefined) {
    uses.push(['isMinor', 'isMinor']);
    const cutoff = new Date();
    cutoff.setUTCFullYear(cutoff.getUTCFullYear() - 18);
    const day = cutoff.toISOString().slice(0, 10);
    where.push(() => (filter.isMinor ? { dateOfBirth: { $gt: day } } : { dateOfBirth: { $lte: day } }));
  }
  if (filter?.region !== undefined) {
    uses.push(['region', 'region']);
    where.push(() => ({ region: filter.region }));
  }
  if (filter?.followUpNeeded !== undefined) {
    uses.push(['followUpNeeded', 'followUpNeeded']);
    where.push(() => ({ followUpNeeded: filter.followUpNeeded }));
  }
  uses.push([`orderBy ${order.field}`, order.field === ReturneeOrderField.CREATED_AT ? 'createdAt' : order.field]);
  const refused = [...new Set(uses.filter(([, f]) => !readable.has(f)).map(([arg]) => arg))];
  if (refused.length > 0) {
    const fields = [...new Set(uses.filter(([, f]) => !readable.has(f)).map(([, f]) => f))];
    await op.denyOrThrow(
      { entityType: 'Returnee', fields },
      forbidden(`You may not filter or sort by fields your sector cannot read: ${refused.join(', ')}`, { fields }),
    );
  }
  return (): FilterQuery<Returnee> => ({ $and: [...where.map((w) => w())] });
}

export async function listReturneesOrThrow(op: Operation, args: ListArgs, requested: Set<string>, wantTotal: boolean, maxPage: number): Promise<ListResult> {
  if (!Number.isInteger(args.first) || args.first < 1 || args.first > maxPage) {
    throw badInput(`first must be between 1 and ${maxPage}`);
  }
  const order = args.orderBy ?? { field: ReturneeOrderField.CASE_NUMBER, direction: SortDirection.ASC };
  const plan = await planReadOrThrow(op, requested);
  const filters = await filterQueryOrThrow(op, args.filter, order, plan.readable);
  const base = (): FilterQuery<Returnee> => ({ $and: [plan.scope, filters()] });
  const key = order.field as string;
  const cursorWhere = args.after ? afterCursor(key, order.direction, args.after) : undefined;
  const rows: Returnee[] = await op.em.find(Returnee, cursorWhere ? { $and: [base(), cursorWhere] } : base(), {
    ...plan.options,
    fields: [...new Set([...(plan.options.fields as string[]), key])] as never,
    orderBy: [{ [key]: order.direction }, { id: order.direction }] as never,
    limit: args.first + 1,
  }) as Returnee[];
  const page = rows.slice(0, args.first);
  const totalCount = wantTotal ? await countInScope(op.em, base()) : undefined;
  await op.recordDurably(page.map((r) => readEvent(r.id, plan)));
  return {
    views: page.map((r) => returneeView(r, plan.shown, plan.readable)),
    cursors: page.map((r) => encodeCursor(sortValue(r, key), r.id)),
    hasNextPage: rows.length > args.first,
    totalCount,
  };
}

function countInScope(em: EntityManager, where: FilterQuery<Returnee>): Promise<number> {
  return em.count(Returnee, where);
}

function sortValue(r: Returnee, key: string): string {
  const v = (r as unknown as Record<string, unknown>)[key];
  return v instanceof Date ? v.toISOString() : String(v);
}

function afterCursor(key: string, direction: SortDirection, cursor: string): FilterQuery<Returnee> {
  const { value, id } = decodeCursor(cursor);
  const cmp = direction === SortDirection.ASC ? '$gt' : '$lt';
  const v = key === 'createdAt' ? new Date(value) : value;
  return { $or: [{ [key]: { [cmp]: v } }, { [key]: v, id: { [cmp]: id } }] } as FilterQuery<Returnee>;
}
