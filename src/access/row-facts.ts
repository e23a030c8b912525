/**
 * Facts about a returnee row drawn from its child rows (consents, case accesses, agreements of
 * its registering agency, open break-glass windows), each computed ONCE per row of a read, so
 * that field groups and disclosure bases refer to them instead of each running its own subquery.
 *
 * Why: the read statement used to hold one correlated subquery per condition of each field group
 * and each section's basis (the same consent, agreement and break-glass tests written out again
 * per group: 58 subplans in one `returnee(id)` of every section). PostgreSQL plans every one of
 * them on every request, used or not: planning took four times the execution (EXPLAIN ANALYZE,
 * docs/bench.md). Here every fact of one collection is an aggregate of ONE scan of that
 * collection's rows of the record (a LATERAL subquery per collection), and the conditions above
 * it are plain boolean expressions over the fact columns.
 *
 * A fact is exactly the subquery it replaces: `(array_agg(v order by o) filter (where c))[1]`
 * over the record's rows is `(select v … where c order by o limit 1)`, null when no row matches
 * (`o` ends with the primary key, so it names one row). With `v` the row's id, `is not null` on
 * it is `exists (select 1 … where c)`: the filter keeps the rows where `c` is true, as WHERE does.
 *
 * The facts of an ability are registered once (projection.ts, basis.ts) under stable column
 * names `h0`, `h1`, …; a statement computes only the facts its columns use (`laterals`).
 */
interface Collection {
  table: string;
  foreignKey: string;
  /** The returnee column the foreign key matches (`id` unless the rows belong to something else). */
  rowKey: string;
}

interface Fact {
  column: string;
  collection: Collection;
  value: string;
  order: string;
  /** The condition on the collection's row `x`: conjuncts, each with its values. */
  conjuncts: readonly Sql[];
}

/** SQL text with its `?` values in text order (condition-sql.ts's `Sql`, which this file does not import). */
interface Sql {
  text: string;
  params: readonly unknown[];
}

/** A condition or value compiled over the returnee row `r` and the fact columns it names. */
export interface FactSql extends Sql {
  facts: readonly string[];
}

export class RowFacts {
  private readonly byKey = new Map<string, Fact>();
  private readonly byColumn = new Map<string, Fact>();

  /**
   * The column (over `r`) of the first row's id (by id) of the collection satisfying the
   * conjuncts (over `x` and `r`), null when none does: `r.<column> is not null` is the collection
   * rule's EXISTS, and a basis naming that row (a consent, an agreement) reads the same fact.
   */
  firstId(collection: Collection, conjuncts: readonly Sql[]): string {
    return this.first(collection, conjuncts, 'x.id', 'x.id');
  }

  /** The column holding `value` of the first row `x` satisfying the conjuncts in `order`, or null. */
  first(collection: Collection, conjuncts: readonly Sql[], value: string, order: string): string {
    const key = JSON.stringify([collection.table, value, order, conjuncts.map((c) => [c.text, c.params])]);
    let fact = this.byKey.get(key);
    if (!fact) {
      fact = { column: `h${this.byKey.size}`, collection, value, order, conjuncts };
      this.byKey.set(key, fact);
      this.byColumn.set(fact.column, fact);
    }
    return fact.column;
  }

  /** `used` without repeats, in the order the facts were registered. */
  static columns(used: Iterable<string>): string[] {
    return [...new Set(used)].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  }

  /**
   * ` cross join lateral (select <facts> from <table> x where x.<fk> = r.<key> and <shared>) h_<table>`
   * for each collection among `used` (column names): one scan per collection per row of `r`. The
   * conjuncts every fact of the collection has (`shared`: e.g. "not revoked, in force today") filter
   * the scan once, the rest each fact's own rows: a row is in a fact's FILTER after that WHERE exactly
   * when all its conjuncts are true, as before. An aggregate without GROUP BY yields exactly one row,
   * so the joins neither drop nor repeat a record.
   */
  laterals(used: Iterable<string>): Sql {
    const byTable = new Map<string, Fact[]>();
    for (const column of RowFacts.columns(used)) {
      const fact = this.byColumn.get(column);
      if (!fact) throw new Error(`row-facts: unknown fact ${column}`);
      byTable.set(fact.collection.table, [...(byTable.get(fact.collection.table) ?? []), fact]);
    }
    const params: unknown[] = [];
    const key = (c: Sql) => JSON.stringify([c.text, c.params]);
    const text = [...byTable.values()]
      .map((facts) => {
        const { table, foreignKey, rowKey } = facts[0].collection;
        const shared = facts[0].conjuncts.filter((c) => facts.every((f) => f.conjuncts.some((d) => key(d) === key(c))));
        const sharedKeys = new Set(shared.map(key));
        const columns = facts.map((f) => {
          const own = f.conjuncts.filter((c) => !sharedKeys.has(key(c)));
          own.forEach((c) => params.push(...c.params));
          const filter = own.length > 0 ? ` filter (where ${own.map((c) => c.text).join(' and ')})` : '';
          return `(array_agg(${f.value} order by ${f.order})${filter})[1] as ${f.column}`;
        });
        shared.forEach((c) => params.push(...c.params));
        const where = [`x.${foreignKey} = r.${rowKey}`, ...shared.map((c) => c.text)].join(' and ');
        return ` cross join lateral (select ${columns.join(', ')} from ${table} x where ${where}) h_${table}`;
      })
      .join('');
    return { text, params };
  }
}
