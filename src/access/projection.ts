import type { FilterQuery } from '@mikro-orm/core';
import type { Returnee } from '../returnee/returnee.entity';
import type { AppAbility } from './ability';
import { permittedReturneeFields } from './fields';
import { conditionTemplate, materialize } from './scope';

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
  /** The condition as a template, for condition-sql.ts (the single-statement read). */
  template: Record<string, unknown>;
  /** Fresh filter each call (MikroORM consumes a raw fragment once). */
  condition: () => FilterQuery<Returnee>;
}

export interface ReadProjection {
  scope: () => FilterQuery<Returnee>;
  /** The row scope as a template, for condition-sql.ts. */
  scopeTemplate: Record<string, unknown>;
  base: Set<string>;
  groups: FieldGroup[];
  /** Every field the caller may read on some record in scope. */
  readable: Set<string>;
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
  // the scope (those granting `id`) is readable on every record in scope, whatever else grants it.
  const scopeRules = ability.rulesFor('read', 'Returnee', 'id');
  for (const field of readable) {
    if (scopeRules.every((rule) => !rule.fields || rule.fields.includes(field))) {
      base.add(field);
      continue;
    }
    const template = conditionTemplate(ability, 'read', field);
    if (template === null) continue; // no rule grants it after all: never shown
    const json = JSON.stringify(template);
    const group = byCondition.get(json) ?? { fields: new Set<string>(), template };
    group.fields.add(field);
    byCondition.set(json, group);
  }
  return {
    scope: () => materialize(scope),
    scopeTemplate: scope,
    base,
    groups: [...byCondition.values()].map((g) => ({
      fields: g.fields,
      template: g.template,
      condition: () => materialize(g.template),
    })),
    readable,
  };
}

/** The condition under which `field` is readable: undefined when always (within scope). */
export function fieldCondition(p: ReadProjection, field: string): FieldGroup | undefined {
  return p.groups.find((g) => g.fields.has(field));
}
