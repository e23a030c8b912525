import type { Operation } from '../request/operation';
import { inline, type Sql } from '../access/condition-sql';
import { fieldCondition, type ReadProjection } from '../access/projection';
import { minorCutoff, today } from '../common/calendar';
import { badInput, forbidden } from '../errors';
import { cursorsFor, type Cursors } from '../common/cursor';
import type { ReturneeView } from './returnee.types';
import type { ReturneeFilter, ReturneeOrder } from './returnee.inputs';
import { ReturneeOrderField, SortDirection } from './returnee.inputs';
import { projectionOrThrow, projectRows, requestedFields, witnessesOf, type Subfields } from './returnee-read.service';
import { rowsOf } from './rows-of';
import { buildSelect, columnOf } from './returnee-select';

/**
 * `returnees`: a page of the records in the caller's scope, filtered and sorted by what the
 * caller may read, counted the same way, each record projected and audited like a single read
 * (returnee-read.service.ts); cursors sealed (common/cursor.ts).
 */
export interface ListArgs {
  filter?: ReturneeFilter;
  orderBy?: ReturneeOrder;
  first: number;
  after?: string;
  /** The client asked for pageInfo.hasPreviousPage (an extra EXISTS query, so only then). */
  previous?: boolean;
}

export interface ListResult {
  views: ReturneeView[];
  /**
   * The sealed cursor of the record at `i` of the page, sealed on first use: a page whose
   * client asked for no cursor (only `nodes`) seals none (AES-GCM per record was measurable).
   */
  cursorAt(i: number): string;
  hasNextPage: boolean;
  /** Records in scope matching the filter sort at or before `after` (false on the first page). */
  hasPreviousPage: boolean;
  totalCount?: number;
}

/** A WHERE fragment over the returnee row `r`, appending its values to `params`. */
type Clause = (params: unknown[]) => string;

/** Filter clauses with the fields each one reads. */
function filterClauses(filter: ReturneeFilter | undefined): { arg: string; fields: string[]; clause: Clause }[] {
  const out: { arg: string; fields: string[]; clause: Clause }[] = [];
  if (!filter) return out;
  const equals =
    (column: string, value: unknown): Clause =>
    (params) => {
      params.push(value);
      return `${column} = ?`;
    };
  if (filter.search !== undefined) {
    const like = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    out.push({
      arg: 'search',
      fields: ['givenName', 'familyName', 'otherNames'],
      clause: (params) => {
        // Other spellings live in a text[]; match inside any element.
        params.push(like, like, like);
        return "(r.given_name ilike ? or r.family_name ilike ? or array_to_string(r.other_names, ' ') ilike ?)";
      },
    });
  }
  if (filter.status !== undefined) out.push({ arg: 'status', fields: ['status'], clause: equals('r.status', filter.status) });
  if (filter.isMinor !== undefined) {
    // The one definition of a minor (common/calendar.ts), as the isMinor field and the rules use it.
    const day = minorCutoff(today());
    out.push({
      arg: 'isMinor',
      fields: ['isMinor'],
      clause: (params) => {
        params.push(day);
        return filter.isMinor ? 'r.date_of_birth > ?' : 'r.date_of_birth <= ?';
      },
    });
  }
  if (filter.region !== undefined) out.push({ arg: 'region', fields: ['region'], clause: equals('r.region', filter.region) });
  if (filter.followUpNeeded !== undefined) {
    out.push({ arg: 'followUpNeeded', fields: ['followUpNeeded'], clause: equals('r.follow_up_needed', filter.followUpNeeded) });
  }
  return out;
}

/**
 * Filters and sort keys obey the read rules, or they would leak values: a filter on a field
 * the caller never reads is refused; on a field readable only under a condition (consent) the
 * condition is added, so records whose value is hidden never match. A sort key must be
 * readable on every record in scope.
 */
async function whereOrThrow(
  op: Operation,
  p: ReadProjection,
  filter: ReturneeFilter | undefined,
  order: ReturneeOrder,
): Promise<(scope: Sql) => Clause> {
  const clauses = filterClauses(filter);
  const sortField = order.field === ReturneeOrderField.CREATED_AT ? 'createdAt' : (order.field as string);
  const refused = clauses.filter((c) => c.fields.some((f) => !p.readable.has(f)));
  const badSort = !p.base.has(sortField);
  if (refused.length > 0 || badSort) {
    const fields = [...new Set([...refused.flatMap((c) => c.fields.filter((f) => !p.readable.has(f))), ...(badSort ? [sortField] : [])])];
    const args = [...refused.map((c) => c.arg), ...(badSort ? [`orderBy ${order.field}`] : [])];
    await op.denyOrThrow(
      { entityType: 'Returnee', fields },
      forbidden(`You may not filter or sort by fields your sector cannot read on every record: ${args.join(', ')}`, { fields }),
    );
  }
  return (scope) => (params) =>
    [
      inline(scope, params),
      ...clauses.map((c) => {
        const gated = [...new Set(c.fields.map((f) => fieldCondition(p, f)).filter((g) => g !== undefined))];
        return [c.clause(params), ...gated.map((g) => inline(g.sql, params))].join(' and ');
      }),
    ].join(' and ');
}

function sql(clause: Clause, extra?: Clause): Sql {
  const params: unknown[] = [];
  const text = extra ? `${clause(params)} and ${extra(params)}` : clause(params);
  return { text, params };
}

export async function listReturneesOrThrow(
  op: Operation,
  args: ListArgs,
  requested: Set<string>,
  wantTotal: boolean,
  maxPage: number,
  subfields?: Subfields,
): Promise<ListResult> {
  if (!Number.isInteger(args.first) || args.first < 1 || args.first > maxPage) {
    throw badInput(`first must be between 1 and ${maxPage}`);
  }
  const order = args.orderBy ?? { field: ReturneeOrderField.CASE_NUMBER, direction: SortDirection.ASC };
  const p = await projectionOrThrow(op);
  const within = await whereOrThrow(op, p, args.filter, order);
  const where = within(p.scopeSql);
  const key = order.field as string;
  const column = columnOf(key);
  const direction = order.direction === SortDirection.ASC ? 'asc' : 'desc';
  const cursors = cursorsFor(op, {
    connection: 'returnees',
    order: `${key} ${direction}`,
    value: key === 'createdAt' ? 'timestamp' : key === 'dateOfBirth' ? 'date' : 'text',
    id: 'uuid',
  });
  const cursor = args.after ? afterCursor(key, column, direction, cursors, args.after) : undefined;
  const wanted = requestedFields(requested);
  const plan = buildSelect({
    projection: p,
    fields: wanted,
    allGroups: requested.has('redactedFields'),
    subfields,
    where: sql(where, cursor),
    branches: p.scopeBranches.map((branch) => sql(within(branch), cursor)),
    // The merged rows checked over their facts (the filters' own conditions as they are).
    recheck: { ...sql(within(p.scopeOverFacts), cursor), facts: p.scopeOverFacts.facts },
    orderBy: { column, direction },
    limit: args.first + 1,
    witnesses: witnessesOf(op.ability, p),
  });
  const rows = await rowsOf(op, plan.sql);
  const page = rows.slice(0, args.first);
  const totalCount = wantTotal ? await countOf(op, sql(where)) : undefined;
  // Relay, forward paging: true when edges exist before `after` in the same scope, filter and order.
  // `is not true` is the exact complement of the after-condition, so together they cover every row.
  const hasPreviousPage =
    cursor && args.previous
      ? await existsOf(
          op,
          sql(where, (params) => `(${cursor(params)}) is not true`),
        )
      : false;
  return {
    views: await projectRows(op, p, plan, page, wanted, subfields),
    cursorAt: lazily(page.length, (i) => cursors.seal(sortValue(page[i].sort_key, key), page[i].id as string)),
    hasNextPage: rows.length > args.first,
    hasPreviousPage,
    totalCount,
  };
}

async function countOf(op: Operation, where: Sql): Promise<number> {
  const [row] = await rowsOf(op, { text: `select count(*)::int as n from returnee r where ${where.text}`, params: where.params });
  return row.n as number;
}

async function existsOf(op: Operation, where: Sql): Promise<boolean> {
  const [row] = await rowsOf(op, { text: `select exists (select 1 from returnee r where ${where.text}) as e`, params: where.params });
  return row.e === true;
}

/** `make(i)` for i in [0, n), each computed once, when first asked for. */
function lazily(n: number, make: (i: number) => string): (i: number) => string {
  const made: (string | undefined)[] = new Array<string | undefined>(n);
  return (i) => {
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new Error(`no cursor at ${i} on a page of ${n}`);
    return (made[i] ??= make(i));
  };
}

function sortValue(v: unknown, key: string): string {
  if (key === 'createdAt') return new Date(v as Date | string).toISOString();
  return String(v);
}

function afterCursor(key: string, column: string, direction: 'asc' | 'desc', cursors: Cursors, cursor: string): Clause {
  const { value, id } = cursors.openOrThrow(cursor);
  const cmp = direction === 'asc' ? '>' : '<';
  const v = key === 'createdAt' ? new Date(value) : value;
  return (params) => {
    params.push(v, id);
    // A row comparison, which an index on (…, sort key, id) answers as a range: the next page
    // costs what the first does.
    return `(${column}, r.id) ${cmp} (?, ?)`;
  };
}
