import fc from 'fast-check';
import {
  getNamedType,
  isInputObjectType,
  isListType,
  isNonNullType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import type { RootField, Slot } from './schema-samples';

/**
 * Hostile text for the hostile-value property (test/hostile-values.test.ts): the values that
 * break code which counts UTF-16 units, trusts a string to be well-formed Unicode or printable,
 * or cuts text at a column's width. The slots come from the schema the hub actually serves
 * (buildHubSchema), so an argument added tomorrow is covered without touching the test.
 */
const EMOJI = '😀';
const UUID = '5f0c3f2e-8d7b-4c1a-9e6f-2b3a4c5d6e7f';

/** Each of these, in every slot, deterministically (the boundaries are the columns' widths: 64, 100, 200). */
export const BOUNDARY_VALUES: readonly string[] = [
  `${'a'.repeat(63)}${EMOJI}`, // the review's attack: cut after 64 UTF-16 units, it ends in half a pair
  `${'a'.repeat(64)}${EMOJI}`,
  `${'a'.repeat(99)}${EMOJI}`,
  `${'a'.repeat(199)}${EMOJI}`,
  `${'a'.repeat(63)}\ud83d`,
  '\ud800',
  'a\udc00b',
  'a\u0000b',
  `${UUID}${EMOJI}`,
  '\u202eexe.txt\u200f',
];

const ASTRAL = fc.constantFrom(EMOJI, '𝕳', '\u{10ffff}', '👩‍👩‍👧', '🇰🇿');
const NASTY = fc.constantFrom(
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  '\u0000',
  '\u0001',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u202e',
  '\u200f',
  '\u200e',
  '\u2066',
  '\ufeff',
  '\uffff',
  '\ufffe',
  '%',
  "'",
  '\\',
  '"',
  '\n',
  '\t',
);

/** `n` ASCII characters then one astral character, around a width. */
const aroundWidth = fc
  .tuple(fc.constantFrom(64, 100, 200), fc.integer({ min: -3, max: 2 }), ASTRAL, fc.string({ maxLength: 3 }))
  .map(([w, d, astral, tail]) => `${'a'.repeat(w + d)}${astral}${tail}`);

/** Random hostile text: boundaries, lone surrogates, controls, bidi marks, long runs, any code point. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...BOUNDARY_VALUES) },
  { weight: 3, arbitrary: aroundWidth },
  {
    weight: 3,
    arbitrary: fc
      .array(fc.oneof(fc.string({ unit: 'binary', maxLength: 20 }), NASTY, ASTRAL), { minLength: 1, maxLength: 12 })
      .map((p) => p.join('')),
  },
  // Long runs, up to ~70 kB of UTF-8: under the 100 kB body limit, so the hub reads them.
  {
    weight: 1,
    arbitrary: fc.tuple(fc.integer({ min: 1000, max: 4000 }), fc.oneof(ASTRAL, NASTY, fc.constant('x'))).map(([n, c]) => c.repeat(n)),
  },
  { weight: 1, arbitrary: fc.tuple(fc.uuid(), NASTY).map(([u, c]) => `${u}${c}`) },
);

const isText = (t: GraphQLInputType) => ['ID', 'String'].includes(getNamedType(t).name);

/** Every place text can go in a root field of `schema`: ID and String arguments and input fields, lists of them too. */
export function textSlots(schema: GraphQLSchema): Slot[] {
  const roots: RootField[] = [
    ...Object.values(schema.getQueryType()!.getFields()).map((field) => ({
      kind: 'query' as const,
      field: field as GraphQLField<unknown, unknown>,
    })),
    ...Object.values(schema.getMutationType()!.getFields()).map((field) => ({
      kind: 'mutation' as const,
      field: field as GraphQLField<unknown, unknown>,
    })),
  ];
  const out: Slot[] = [];
  const walk = (root: RootField, path: string[], types: GraphQLInputType[], depth: number) => {
    const type = types.at(-1)!;
    if (isText(type)) out.push({ root, path, types, type });
    const named = getNamedType(type);
    if (isInputObjectType(named) && depth < 4) {
      for (const f of Object.values(named.getFields())) walk(root, [...path, f.name], [...types, f.type], depth + 1);
    }
  };
  for (const root of roots) for (const a of root.field.args) walk(root, [a.name], [a.type], 0);
  return out;
}

/** The value a slot takes: the text itself, or a one-item list of it. */
export function slotValue(slot: Slot, text: string): unknown {
  const inner = isNonNullType(slot.type) ? slot.type.ofType : slot.type;
  return isListType(inner) ? [text] : text;
}

export const slotLabel = (slot: Slot) => `${slot.root.field.name}(${slot.path.join('.')})`;
