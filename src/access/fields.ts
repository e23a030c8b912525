import { permittedFieldsOf } from '@casl/ability/extra';
import type { Action, AppAbility } from './ability';
import { ALL_RETURNEE_FIELDS } from './sections';

/**
 * Field scope. Every Returnee rule of one action carries the same field list on each scope
 * branch, so once a row is known to be in scope (it came back from a scoped query) its
 * permitted fields are the type-level permitted fields.
 */
export function permittedReturneeFields(ability: AppAbility, action: Action): Set<string> {
  return new Set(permittedFieldsOf(ability, action, 'Returnee', { fieldsFrom: (rule) => rule.fields ?? [...ALL_RETURNEE_FIELDS] }));
}

/** Fields the caller may not read, for the record's `redactedFields`. */
export function redactedReturneeFields(readable: Set<string>): string[] {
  return ALL_RETURNEE_FIELDS.filter((f) => !readable.has(f));
}
