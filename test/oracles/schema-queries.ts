import {
  getNamedType,
  isLeafType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

/**
 * Queries generated from the schema the hub serves: every root query field, selecting every
 * field below it (every nested path), or a random subset of them (a client asking for a few
 * fields must be audited for exactly those). Nothing here names a field of the API.
 */

/** Which of a type's fields to select. */
export type Picker = (type: GraphQLObjectType, fields: string[]) => string[];

export const everything: Picker = (_type, fields) => fields;

/** A seeded random subset (never empty), always with `id` where the type has one: the oracles name objects by it. */
export function randomPicker(seed: number): Picker {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (_type, fields) => {
    const kept = fields.filter((f) => f === 'id' || next() < 0.4);
    return kept.length > 0 ? kept : [fields[Math.floor(next() * fields.length)]];
  };
}

const MAX_DEPTH = 6;

function selection(type: GraphQLObjectType, pick: Picker, depth: number): string {
  const all = Object.values(type.getFields()).filter((f) => f.args.every((a) => !isNonNullType(a.type) || a.defaultValue !== undefined));
  const usable = all.filter((f) => isLeafType(getNamedType(f.type)) || depth < MAX_DEPTH);
  const names = pick(
    type,
    usable.map((f) => f.name),
  );
  if (usable.some((f) => f.name === 'id') && !names.includes('id')) names.unshift('id');
  return names
    .map((name) => {
      const field = usable.find((f) => f.name === name)!;
      const named = getNamedType(field.type);
      return isObjectType(named) ? `${name} { ${selection(named, pick, depth + 1)} }` : name;
    })
    .join(' ');
}

export interface RootCall {
  field: string;
  query: string;
  /** The name of the argument naming a returnee (id, returneeId), when the root field takes one. */
  recordArg?: string;
}

const RECORD_ARGS = ['id', 'returneeId'];

/**
 * Root fields whose required arguments are not a record's id, and what to send. likelyDuplicates:
 * a person no oracle world holds (its matching, scope and audit are test/dedup-*.test.ts's; here
 * the call must answer, and disclose nothing, like every root field).
 */
const FIXED_ARGS: Readonly<Record<string, string>> = {
  likelyDuplicates: '(input: { givenName: "Oracle", familyName: "Probeson" })',
  // A subscription no oracle world holds: the call must answer NOT_FOUND and disclose nothing
  // (delivery logs, their scope and audit are test/webhooks-*.test.ts's).
  webhookDeliveries: '(subscriptionId: "00000000-0000-4000-8000-000000000000")',
};

/** One call per root query field whose required arguments the oracles can fill (a returnee's id). */
export function rootCalls(schema: GraphQLSchema, pick: Picker): RootCall[] {
  const query = schema.getQueryType();
  if (!query) return [];
  const calls: RootCall[] = [];
  for (const field of Object.values(query.getFields()) as GraphQLField<unknown, unknown>[]) {
    const required = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
    const named = getNamedType(field.type);
    const body = isObjectType(named) ? ` { ${selection(named, pick, 1)} }` : '';
    if (FIXED_ARGS[field.name]) {
      calls.push({ field: field.name, query: `query Oracle { ${field.name}${FIXED_ARGS[field.name]}${body} }` });
      continue;
    }
    if (required.some((a) => !RECORD_ARGS.includes(a.name)))
      throw new Error(`the oracles cannot fill the required arguments of ${field.name}: teach schema-queries.ts`);
    const recordArg = required[0]?.name;
    const args = recordArg ? `(${recordArg}: $rid)` : '';
    calls.push({ field: field.name, recordArg, query: `query Oracle${recordArg ? '($rid: ID!)' : ''} { ${field.name}${args}${body} }` });
  }
  return calls;
}

export interface MutationCall {
  field: string;
  query: string;
  /** The variable each argument of the field is passed as (a scenario fills them by these names). */
  variables: Record<string, string>;
}

/** Variable names the write paths of test/support/matrix.ts use for these arguments. */
const VARIABLE_OF: Readonly<Record<string, string>> = { id: 'id', returneeId: 'id', expectedVersion: 'v', input: 'input' };

/**
 * One call per root mutation field whose payload leads to something the disclosure map says
 * tells about a record (not directory data): its arguments as variables, its payload selected
 * by `pick` down every path. Which mutations these are comes from the schema and the map.
 */
export function mutationCalls(schema: GraphQLSchema, pick: Picker, disclosing: (typeName: string) => boolean): MutationCall[] {
  const mutation = schema.getMutationType();
  if (!mutation) return [];
  return Object.values(mutation.getFields())
    .filter((field) => disclosing(getNamedType(field.type).name))
    .map((field) => {
      const variables = Object.fromEntries(field.args.map((a) => [a.name, VARIABLE_OF[a.name] ?? a.name]));
      const declared = field.args.map((a) => `$${variables[a.name]}: ${a.type.toString()}`).join(', ');
      const args = field.args.map((a) => `${a.name}: $${variables[a.name]}`).join(', ');
      const named = getNamedType(field.type) as GraphQLObjectType;
      return {
        field: field.name,
        variables,
        query: `mutation Oracle(${declared}) { ${field.name}(${args}) { ${selection(named, pick, 1)} } }`,
      };
    });
}
