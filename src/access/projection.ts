import type { AppAbility } from './ability';
import { permittedReturneeFields } from './fields';
import { compileCondition, compileOverFacts, type Sql } from './condition-sql';
import { RowFacts, type FactSql } from './row-facts';
import { conditionTemplate } from './scope';
import { breakGlassBaseWitness } from './basis';

/**
 * Field scope per record, decided in SQL. Fields whose read rules are exactly the row scope
 * form the base group (loaded with the page). Every other group of fields shares one extra
 * condition (e.g. "an active consent covers my sector and this section"); its columns are
 * returned only for the rows of the page that satisfy it (a CASE in the page's one statement,
 * returnee/returnee-select.ts). So a value the caller may not see never leaves the database,
 * and the number of queries does not grow with the page.
 */
export interface FieldGroup {
  fields: Set<string>;
  /**
   * When the group is readable ON A RECORD IN SCOPE, as a template for condition-sql.ts. Only
   * ever combined with the row scope (the page's WHERE, a filter's gate), never used alone.
   */
  template: Record<string, unknown>;
  /** The template compiled over the returnee row `r`. */
  sql: Sql;
  /**
   * The same over `r` and the row's facts (row-facts.ts), for the read statement, which computes
   * each fact once per row however many groups and bases use it (returnee-select.ts).
   */
  overFacts: FactSql;
}

export interface ReadProjection {
  /** The row scope as a template, for condition-sql.ts, and compiled over the returnee row `r`. */
  scopeTemplate: Record<string, unknown>;
  scopeSql: Sql;
  /** The row scope over `r` and its facts, for reads of records named by id (returnee-select.ts `byIds`). */
  scopeOverFacts: FactSql;
  /**
   * The branches of the row scope when it is a disjunction (`registering agency`, `case access
   * in my country`, `cross-border access`), each compiled over `r`: a page reads each branch in
   * index order with its own limit and merges them (returnee-select.ts), so its cost does not
   * grow with the size of the scope. Their OR is exactly `scopeSql`. Empty: read the scope whole.
   */
  scopeBranches: Sql[];
  base: Set<string>;
  groups: FieldGroup[];
  /** Every field the caller may read on some record in scope. */
  readable: Set<string>;
  /**
   * Break-glass: over `r`, null on a record of the caller's regular scope, else the BREAK_GLASS
   * basis of the window that opened it (access/basis.ts); undefined when no window can widen the scope.
   */
  baseWitness?: FactSql;
  /** The facts of a row the groups and the bases of this ability read (row-facts.ts). */
  facts: RowFacts;
}

/** Per ability (abilities are shared by an actor's requests, see ability.ts): worked out once. */
const projections = new WeakMap<AppAbility, ReadProjection | null>();

export function readProjection(ability: AppAbility): ReadProjection | null {
  if (!projections.has(ability)) projections.set(ability, buildProjection(ability));
  return projections.get(ability)!;
}

function buildProjection(ability: AppAbility): ReadProjection | null {
  const scope = conditionTemplate(ability, 'read', 'id');
  if (scope === null) return null;
  const readable = permittedReturneeFields(ability, 'read');
  const base = new Set<string>();
  const byCondition = new Map<string, { fields: Set<string>; template: Record<string, unknown> }>();
  // Every read rule carries a scope branch, so a field granted by all the rules that define
  // the scope (those granting `id`) is readable on every record in scope, whatever else grants
  // it, unless a `cannot` rule takes it away from some records.
  const scopeRules = ability.rulesFor('read', 'Returnee', 'id');
  for (const field of readable) {
    const unconditional = scopeRules.every((rule) => !rule.fields || rule.fields.includes(field));
    if (unconditional && ability.rulesFor('read', 'Returnee', field).every((rule) => !rule.inverted)) {
      base.add(field);
      continue;
    }
    const template = withinScope(ability, field, scopeRules) ?? conditionTemplate(ability, 'read', field);
    if (template === null) continue; // no rule grants it after all: never shown
    const json = JSON.stringify(template);
    const group = byCondition.get(json) ?? { fields: new Set<string>(), template };
    group.fields.add(field);
    byCondition.set(json, group);
  }
  const facts = new RowFacts();
  return {
    scopeTemplate: scope,
    scopeSql: compileCondition(scope),
    scopeOverFacts: compileOverFacts(scope, facts),
    scopeBranches: branchesOf(scope).map(compileCondition),
    base,
    groups: [...byCondition.values()].map((g) => ({
      fields: g.fields,
      template: g.template,
      sql: compileCondition(g.template),
      overFacts: compileOverFacts(g.template, facts),
    })),
    readable,
    baseWitness: breakGlassBaseWitness(ability, facts),
    facts,
  };
}

/** The members of a top-level `$or` with nothing beside it (a condition `{ $or, x }` is not split). */
function branchesOf(scope: Record<string, unknown>): Record<string, unknown>[] {
  const keys = Object.keys(scope);
  const any = scope.$or;
  if (keys.length !== 1 || !Array.isArray(any) || any.length < 2) return [];
  return any as Record<string, unknown>[];
}

/** The condition under which `field` is readable: undefined when always (within scope). */
export function fieldCondition(p: ReadProjection, field: string): FieldGroup | undefined {
  return p.groups.find((g) => g.fields.has(field));
}

type Rule = ReturnType<AppAbility['rulesFor']>[number];

const json = (value: unknown) => JSON.stringify(value);

/**
 * The condition of `field` reduced for records already in scope, or undefined when it cannot
 * be reduced. The policy compiler gives each shared section one rule per scope branch W:
 * `W ∧ E` (E: "a consent covers my sector and this section", or "a minor"). When the same E
 * comes with every branch of the scope, then on a record in scope (some W holds)
 * `∨_W (W ∧ E)` is just E: the branch conditions need not be evaluated again per field group.
 * That matters: each branch holds an EXISTS over case accesses, which PostgreSQL ran once per
 * group in the page's statement (EXPLAIN ANALYZE, docs/bench.md).
 * Anything else (an inverted rule, a rule that does not extend a scope branch, an E that comes
 * with only some branches) keeps the full condition, which is always right.
 */
function withinScope(ability: AppAbility, field: string, scopeRules: readonly Rule[]): Record<string, unknown> | undefined {
  const branches = scopeRules.map((r) => r.conditions as Record<string, unknown> | undefined);
  if (branches.length === 0 || branches.some((b) => !b)) return undefined;
  const extras = new Map<string, { extra: Record<string, unknown>; branches: Set<number> }>();
  const whole = new Set<number>();
  for (const rule of ability.rulesFor('read', 'Returnee', field)) {
    const conditions = rule.conditions as Record<string, unknown> | undefined;
    if (rule.inverted || !conditions) return undefined;
    const b = branches.findIndex((w) => Object.keys(w!).every((k) => k in conditions && json(conditions[k]) === json(w![k])));
    if (b < 0) return undefined;
    const extra = Object.fromEntries(Object.entries(conditions).filter(([k]) => !(k in branches[b]!)));
    if (Object.keys(extra).length === 0) {
      whole.add(b); // readable wherever that branch holds (a break-glass window's branch)
      continue;
    }
    const entry = extras.get(json(extra)) ?? { extra, branches: new Set<number>() };
    entry.branches.add(b);
    extras.set(json(extra), entry);
  }
  const all = [...extras.values()];
  const rest = branches.length - whole.size;
  if (all.length === 0 || all.some((e) => [...e.branches].filter((b) => !whole.has(b)).length !== rest)) return undefined;
  const reduced = all.length === 1 ? all[0].extra : { $or: all.map((e) => e.extra) };
  // On a record in scope: E, or one of the branches that shows the field whole holds.
  return whole.size === 0 ? reduced : { $or: [reduced, ...[...whole].map((b) => branches[b]!)] };
}
