import { rulesToCondition } from '@casl/ability/extra';
import type { FilterQuery } from '@mikro-orm/core';
import type { Returnee } from '../returnee/returnee.entity';
import type { Action, AppAbility } from './ability';

/**
 * Row scope as SQL: the CASL rules for (action, Returnee) become a MikroORM filter, so the
 * database returns only rows in scope and counts only them. `null` means "no rows at all":
 * callers must short-circuit rather than run an unfiltered query.
 *
 * CASL's `$elemMatch` on a collection becomes MikroORM's `$some` (an EXISTS subquery, so a
 * record with several matching case accesses is still one row).
 */
export function returneeScope(ability: AppAbility, action: Action): FilterQuery<Returnee> | null {
  const condition = rulesToCondition(
    ability.rulesFor(action, 'Returnee'),
    (rule) => (rule.inverted ? { $not: toMikroOrm(rule.conditions) } : toMikroOrm(rule.conditions)),
    { and: (all) => ({ $and: all }), or: (any) => ({ $or: any }), empty: () => ({}) },
  );
  return condition as FilterQuery<Returnee> | null;
}

function toMikroOrm(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toMikroOrm);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k === '$elemMatch' ? '$some' : k, toMikroOrm(v)]),
  );
}
