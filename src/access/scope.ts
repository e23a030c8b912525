import { rulesToCondition } from '@casl/ability/extra';
import type { FilterQuery } from '@mikro-orm/core';
import type { Returnee } from '../returnee/returnee.entity';
import type { Action, AppAbility } from './ability';

/**
 * Row scope as SQL: the CASL rules for (action, Returnee[, field]) become a MikroORM filter,
 * so the database returns only rows in scope and counts only them. `null` means "no rows at
 * all": callers must short-circuit rather than run an unfiltered query.
 *
 * For `read`, the rows in scope are those whose reference fields (id, case number) the
 * caller may read; other fields may carry further conditions (consent), see projection.ts.
 *
 * Translation from CASL's mongo dialect: `$elemMatch` on a collection becomes MikroORM's
 * `$some` (an EXISTS subquery: one row however many children match), and `$all` on an array
 * column becomes `$contains` (PostgreSQL `@>`).
 */
export function returneeScope(ability: AppAbility, action: Action): FilterQuery<Returnee> | null {
  return conditionFor(ability, action, action === 'read' ? 'id' : undefined);
}

export function conditionFor(ability: AppAbility, action: Action, field?: string): FilterQuery<Returnee> | null {
  const condition = rulesToCondition(
    ability.rulesFor(action, 'Returnee', field),
    (rule) => (rule.inverted ? { $not: toMikroOrm(rule.conditions) } : toMikroOrm(rule.conditions)),
    { and: (all) => ({ $and: all }), or: (any) => ({ $or: any }), empty: () => ({}) },
  );
  return condition as FilterQuery<Returnee> | null;
}

const OPERATORS: Record<string, string> = { $elemMatch: '$some', $all: '$contains' };

function toMikroOrm(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toMikroOrm);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [OPERATORS[k] ?? k, toMikroOrm(v)]),
  );
}
