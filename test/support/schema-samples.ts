import { randomUUID } from 'node:crypto';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import { SCHEMA } from './hostile-arbitraries';

/**
 * Well-formed arguments for any root field of the hub's schema, so a suite can call every
 * operation with one argument or input field swapped for a bad value: the refusal is then
 * about that value only. Formats the validators insist on get a sample that satisfies them.
 */
const SAMPLE_STRINGS: Record<string, string> = {
  code: 'sample-agency-code',
  country: 'KZ',
  citizenship: 'KZ',
  returnedFrom: 'SY',
  username: 'sample.user',
  phone: '+7 701 555 0101',
  number: 'N1234567',
  givenName: 'Aigerim',
  familyName: 'Nurlanovna',
  search: 'Aig',
  reason: 'Needs follow-up care',
  service: 'health screening',
  purpose: 'Reintegration support',
};

export function sampleValue(type: GraphQLInputType, name: string, ids: Record<string, string>): unknown {
  if (isNonNullType(type)) return sampleValue(type.ofType, name, ids);
  if (isListType(type)) return [sampleValue(type.ofType, name, ids)];
  if (isEnumType(type)) return type.getValues()[0].name;
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((f) => isNonNullType(f.type) && f.defaultValue === undefined)
        .map((f) => [f.name, sampleValue(f.type, f.name, ids)]),
    );
  }
  switch (getNamedType(type).name) {
    case 'ID':
      return ids[name] ?? randomUUID();
    case 'Int':
      return name === 'expectedVersion' ? 1 : 10;
    case 'Boolean':
      return false;
    case 'LocalDate':
      return '2020-01-01';
    case 'DateTimeISO':
      return '2020-01-01T00:00:00.000Z';
    default:
      return SAMPLE_STRINGS[name] ?? 'Sample text';
  }
}

export interface RootField {
  kind: 'query' | 'mutation';
  field: GraphQLField<unknown, unknown>;
}

export function rootFields(): RootField[] {
  return [
    ...Object.values(SCHEMA.getQueryType()!.getFields()).map((field) => ({ kind: 'query' as const, field })),
    ...Object.values(SCHEMA.getMutationType()!.getFields()).map((field) => ({ kind: 'mutation' as const, field })),
  ];
}

/** A document calling `field` with every argument as a variable, selecting only __typename. */
export function documentFor({ kind, field }: RootField): string {
  const defs = field.args.map((a) => `$${a.name}: ${String(a.type)}`);
  const call = field.args.map((a) => `${a.name}: $${a.name}`);
  const selection = isObjectType(getNamedType(field.type)) ? ' { __typename }' : '';
  return `${kind} Probe${defs.length ? `(${defs.join(', ')})` : ''} { ${field.name}${call.length ? `(${call.join(', ')})` : ''}${selection} }`;
}

/** Variables for every argument of `field`: required ones always, optional input objects too (so their fields can be swapped). */
export function variablesFor(field: GraphQLField<unknown, unknown>, ids: Record<string, string>): Record<string, unknown> {
  return Object.fromEntries(
    field.args
      .filter((a) => isNonNullType(a.type) || isInputObjectType(getNamedType(a.type)))
      .filter((a) => a.defaultValue === undefined || isInputObjectType(getNamedType(a.type)))
      .map((a) => [a.name, sampleValue(a.type, a.name, ids)]),
  );
}

/** Every place a value of a given scalar can go: top-level arguments and input fields (one or two levels down). */
export interface Slot {
  root: RootField;
  /** Path inside the variables, e.g. ['input', 'progressNote', 'note']. */
  path: string[];
  /** The type at each step of the path; the last one is the slot's. */
  types: GraphQLInputType[];
  type: GraphQLInputType;
}

export function slots(predicate: (type: GraphQLInputType) => boolean): Slot[] {
  const out: Slot[] = [];
  const walk = (root: RootField, path: string[], types: GraphQLInputType[], depth: number) => {
    const type = types.at(-1)!;
    if (predicate(type)) out.push({ root, path, types, type });
    const named = getNamedType(type);
    if (isInputObjectType(named) && depth < 3) {
      for (const f of Object.values(named.getFields())) walk(root, [...path, f.name], [...types, f.type], depth + 1);
    }
  };
  for (const root of rootFields()) for (const a of root.field.args as readonly GraphQLArgument[]) walk(root, [a.name], [a.type], 0);
  return out;
}

/** The variables with the slot's value replaced; missing input objects on the way get well-formed samples. */
export function withValue(
  variables: Record<string, unknown>,
  slot: Slot,
  value: unknown,
  ids: Record<string, string>,
): Record<string, unknown> {
  const copy = structuredClone(variables);
  let at = copy as Record<string, unknown>;
  slot.path.slice(0, -1).forEach((key, i) => {
    if (typeof at[key] !== 'object' || at[key] === null) at[key] = sampleValue(slot.types[i], key, ids);
    at = at[key] as Record<string, unknown>;
  });
  at[slot.path.at(-1)!] = value;
  return copy;
}
