import { rulesToCondition } from '@casl/ability/extra';
import { raw, type FilterQuery } from '@mikro-orm/core';
import type { Returnee } from '../returnee/returnee.entity';
import type { Action, AppAbility } from './ability';
import type { SubjectName } from './ability-types';
import { compileCondition, conditionSql } from './condition-sql';

/**
 * Row scope as SQL: the CASL rules for (action, Returnee[, field]) become a MikroORM filter,
 * so the database returns only rows in scope and counts only them. `null` means "no rows at
 * all": callers must short-circuit rather than run an unfiltered query.
 *
 * For `read`, the rows in scope are those whose reference fields (id, case number) the
 * caller may read; other fields may carry further conditions (consent), see projection.ts.
 *
 * The SQL comes from one compiler, condition-sql.ts (correlated EXISTS for collection rules,
 * `@>` for `$all`). A condition is kept as a template (plain JSON, cacheable, what
 * projection.ts compiles per field group) and, for the ORM's queries, `materialize()` makes it a
 * MikroORM filter afresh for each query, as MikroORM consumes a raw fragment once.
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
  return subjectConditionTemplate(ability, action, 'Returnee', field);
}

/** The same for any subject (compile it with `conditionSqlOver` and the subject's field map). */
export function subjectConditionTemplate(
  ability: AppAbility,
  action: Action,
  subject: SubjectName,
  field?: string,
): Record<string, unknown> | null {
  const condition = rulesToCondition(
    ability.rulesFor(action, subject, field),
    (rule) => (rule.inverted ? { $not: rule.conditions } : rule.conditions),
    { and: (all) => ({ $and: all }), or: (any) => ({ $or: any }), empty: () => ({}) },
  );
  return condition as Record<string, unknown> | null;
}

/**
 * A template as a MikroORM filter: one raw SQL condition from `conditionSql`, rendered with the
 * alias MikroORM gives the returnee in the query at hand. A fresh fragment each call, as
 * MikroORM consumes a raw fragment once.
 */
function materialize(template: Record<string, unknown>): FilterQuery<Returnee> {
  const { params } = compileCondition(template);
  const key = raw((alias: string) => conditionSql(template, alias, []), params) as unknown as string;
  return { [key]: true } as FilterQuery<Returnee>;
}
