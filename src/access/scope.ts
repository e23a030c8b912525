import { rulesToCondition } from '@casl/ability/extra';
import type { FilterQuery } from '@mikro-orm/core';
import type { Returnee } from '../returnee/returnee.entity';
import type { Action, AppAbility } from './ability';
import { existsFilter, isExistsCollection } from './exists';

/**
 * Row scope as SQL: the CASL rules for (action, Returnee[, field]) become a MikroORM filter,
 * so the database returns only rows in scope and counts only them. `null` means "no rows at
 * all": callers must short-circuit rather than run an unfiltered query.
 *
 * For `read`, the rows in scope are those whose reference fields (id, case number) the
 * caller may read; other fields may carry further conditions (consent), see projection.ts.
 *
 * Translation from CASL's mongo dialect: `$elemMatch` on a collection becomes a correlated
 * EXISTS subquery (one row however many children match; see exists.ts for why not MikroORM's
 * `$some`), and `$all` on an array column becomes `$contains` (PostgreSQL `@>`).
 *
 * A condition is built in two steps: a template (plain JSON, cacheable, what projection.ts
 * keeps per field group) and `materialize()`, which makes the raw EXISTS fragments afresh for
 * each query, as MikroORM consumes a raw fragment once.
 */
export function returneeScope(ability: AppAbility, action: Action): FilterQuery<Returnee> | null {
  return conditionFor(ability, action, action === 'read' ? 'id' : undefined);
}

export function conditionFor(ability: AppAbility, action: Action, field?: string): FilterQuery<Returnee> | null {
  const template = conditionTemplate(ability, action, field);
  return template === null ? null : materialize(template);
}

/** The condition as plain JSON (collection rules still as `$elemMatch`). */
export function conditionTemplate(ability: AppAbility, action: Action, field?: string): Record<string, unknown> | null {
  const condition = rulesToCondition(
    ability.rulesFor(action, 'Returnee', field),
    (rule) => (rule.inverted ? { $not: rule.conditions } : rule.conditions),
    { and: (all) => ({ $and: all }), or: (any) => ({ $or: any }), empty: () => ({}) },
  );
  return condition as Record<string, unknown> | null;
}

/** A template as a MikroORM filter: EXISTS for collection rules, `$contains` for `$all`. */
export function materialize(template: unknown): FilterQuery<Returnee> {
  return toMikroOrm(template) as FilterQuery<Returnee>;
}

function toMikroOrm(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toMikroOrm);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const elemMatch = isExistsCollection(k) && v !== null && typeof v === 'object' ? (v as Record<string, unknown>).$elemMatch : undefined;
    if (elemMatch !== undefined) {
      if (Object.keys(v as object).length !== 1) throw new Error(`scope: ${k} takes only $elemMatch`);
      Object.assign(out, existsFilter(k, elemMatch as Record<string, unknown>));
    } else {
      out[k === '$all' ? '$contains' : k] = toMikroOrm(v);
    }
  }
  return out;
}
