import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { leaks } from './raw-http';

/**
 * fast-check arbitraries for the hostile-input suite: GraphQL documents grown from the hub's
 * own schema (so many get past parsing and validation into the resolvers), with arguments
 * and variables of the right and of the wrong shape, then sometimes corrupted character by
 * character; and HTTP envelopes, methods, content types and headers of every kind.
 */
export const SCHEMA: GraphQLSchema = buildSchema(readFileSync(path.resolve(__dirname, '../../schema/schema.graphql'), 'utf8'));

/** Ids the documents draw from: real ones (so resolvers run on real rows) and broken ones. */
export interface IdPool {
  real: string[];
}

const clean = (s: string) => leaks(s) === undefined;

/** `arb` one time in `n`, else undefined (fc.option's freq is the chance of the empty side). */
const sometimes = <T>(arb: fc.Arbitrary<T>, n: number): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: n - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

const nasty = fc.constantFrom(
  '',
  ' ',
  "' OR '1'='1",
  "'; DROP TABLE returnee; --",
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '\u0000',
  'a\u0000b',
  '%',
  '%%',
  '_',
  '\\',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '../../etc/passwd',
  'null',
  'undefined',
  'NaN',
  '𝕳𝖊𝖑𝖑𝖔',
  '\ud800',
  'ɑ̷̛͓̓',
  'Айгерим',
  'x'.repeat(300),
  'é'.repeat(2000),
  '\u202e\u0041',
  '1e309',
  '-0',
  '0x10',
);

const text: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 2, arbitrary: nasty },
    { weight: 1, arbitrary: fc.string({ minLength: 150, maxLength: 6000, unit: fc.constantFrom('a', 'ж', ' ', "'", '\u0000') }) },
  )
  .filter(clean);

const date = fc.oneof(
  fc.date({ min: new Date('1890-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.constantFrom(
    '0001-01-01',
    '0000-01-01',
    '9999-12-31',
    '2024-02-30',
    '2023-13-01',
    '1999-1-1',
    'yesterday',
    '2024-02-29T00:00:00Z',
    '',
  ),
);

const dateTime = fc.oneof(
  fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom(
    '2024-01-01',
    '2024-01-01T25:00:00Z',
    'now',
    '275760-09-13T00:00:00.001Z',
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59.999Z',
  ),
);

const int = fc.oneof(fc.integer({ min: -5, max: 120 }), fc.constantFrom(0, -1, 100, 101, 1000, 2147483647, -2147483648));

/** A JS value for a variable of `type`: usually of the right shape, sometimes not. */
export function valueFor(type: GraphQLInputType, ids: IdPool, depth = 0): fc.Arbitrary<unknown> {
  const wrong = fc.oneof(fc.constant(null), text, int, fc.boolean(), fc.constant([]), fc.constant({}), fc.double());
  return fc.oneof({ weight: 40, arbitrary: rightValue(type, ids, depth) }, { weight: 1, arbitrary: wrong });
}

function rightValue(type: GraphQLInputType, ids: IdPool, depth: number): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return rightValue(type.ofType, ids, depth);
  if (isListType(type)) {
    const item = valueFor(type.ofType, ids, depth + 1);
    return fc.oneof(
      { weight: 5, arbitrary: fc.array(item, { maxLength: 4 }) },
      { weight: 1, arbitrary: fc.array(item, { minLength: 40, maxLength: 400 }) },
    );
  }
  if (isEnumType(type))
    return fc.oneof({ weight: 20, arbitrary: fc.constantFrom(...type.getValues().map((v) => v.name)) }, { weight: 1, arbitrary: text });
  if (isInputObjectType(type)) {
    if (depth > 3) return fc.constant({});
    const fields = Object.values(type.getFields());
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    for (const f of fields) record[f.name] = valueFor(f.type, ids, depth + 1);
    const required = fields.filter((f) => isNonNullType(f.type) && f.defaultValue === undefined).map((f) => f.name);
    // Required fields are there nearly always; an unknown key (mass assignment) now and then.
    return fc
      .tuple(
        fc.record(record, { requiredKeys: [] }),
        fc.record(record, { requiredKeys: required }),
        fc.nat(30),
        sometimes(
          fc.tuple(
            text.filter((k) => k.length > 0),
            text,
          ),
          40,
        ),
      )
      .map(([loose, full, pick, extra]) => {
        const obj = pick === 0 ? loose : { ...full, ...loose };
        return extra ? { ...obj, [extra[0]]: extra[1] } : obj;
      });
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'ID':
        return fc.oneof(
          { weight: 6, arbitrary: fc.constantFrom(...ids.real) },
          { weight: 2, arbitrary: fc.uuid() },
          { weight: 1, arbitrary: text },
        );
      case 'Int':
        return int;
      case 'Float':
        return fc.double();
      case 'Boolean':
        return fc.boolean();
      case 'LocalDate':
        return date;
      case 'DateTimeISO':
        return dateTime;
      default:
        return text;
    }
  }
  return fc.constant(null);
}

/** The same value written inline in the document (GraphQL literal syntax). */
export function literal(value: unknown, type: GraphQLInputType): string {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map((v) => literal(v, isListType(inner) ? inner.ofType : inner)).join(', ')}]`;
  if (typeof value === 'object') {
    const fields = isInputObjectType(inner) ? inner.getFields() : {};
    return `{ ${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${/^[_A-Za-z][_0-9A-Za-z]*$/.test(k) ? k : 'x'}: ${literal(v, fields[k]?.type ?? inner)}`)
      .join(', ')} }`;
  }
  if (typeof value === 'string' && isEnumType(inner) && /^[_A-Za-z][_0-9A-Za-z]*$/.test(value)) return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

interface Built {
  text: string;
  variables: Record<string, unknown>;
  varDefs: string[];
  fragments: string[];
}

const NAME = fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,6}$/);

/** A selection set on `type`, `budget` levels deep at most, with aliases, fragments and directives. */
function selectionOn(type: GraphQLObjectType, budget: number, ids: IdPool): fc.Arbitrary<Built> {
  const fields = Object.values(type.getFields());
  return fc.array(fieldOn(fields, budget, ids), { minLength: 1, maxLength: 3 }).chain((parts) =>
    fc.record({ spread: fc.nat(9), name: NAME }).map(({ spread, name }) => {
      const merged = merge(parts);
      if (spread === 0) {
        // The same selection as a named fragment, sometimes spread twice or under a wrong type.
        const on = name.length === 7 && name.endsWith('q') ? 'Query' : type.name;
        return { ...merged, text: `...F${name}`, fragments: [...merged.fragments, `fragment F${name} on ${on} { ${merged.text} }`] };
      }
      if (spread === 1) return { ...merged, text: `... on ${type.name} { ${merged.text} }` };
      return merged;
    }),
  );
}

function fieldOn(fields: GraphQLField<unknown, unknown>[], budget: number, ids: IdPool): fc.Arbitrary<Built> {
  return fc
    .record({
      field: fc.constantFrom(...fields),
      alias: sometimes(NAME, 5),
      directive: sometimes(
        fc.oneof(
          { weight: 30, arbitrary: fc.constantFrom('@include(if: true)', '@skip(if: false)', '@skip(if: true)', '@include(if: $b)') },
          { weight: 1, arbitrary: fc.constantFrom('@deprecated', '@nope', '@include') },
        ),
        8,
      ),
      unknown: fc.nat(120),
    })
    .chain(({ field, alias, directive, unknown }) => {
      const name =
        unknown === 0
          ? 'nope'
          : unknown === 1
            ? '__schema { types { name } }'
            : unknown === 2
              ? '__type(name: "Returnee") { fields { name } }'
              : field.name;
      const args = field.args.map((a) =>
        fc.record({ use: fc.nat(5), inline: fc.boolean(), value: valueFor(a.type, ids) }).map((r) => ({ arg: a, ...r })),
      );
      const target = getNamedType(field.type);
      const sub: fc.Arbitrary<Built | undefined> =
        isObjectType(target) && name === field.name
          ? budget > 0
            ? selectionOn(target, budget - 1, ids)
            : fc.constant({ text: '__typename', variables: {}, varDefs: [], fragments: [] })
          : fc.constant(undefined);
      return fc.tuple(fc.tuple(...args), sub, fc.nat(1_000_000)).map(([argv, selection, salt]) => {
        const variables: Record<string, unknown> = { ...(selection?.variables ?? {}) };
        const varDefs = [...(selection?.varDefs ?? [])];
        const rendered: string[] = [];
        for (const { arg, use, inline, value } of argv) {
          if (use === 0 && !isNonNullType(arg.type)) continue;
          if (inline) {
            rendered.push(`${arg.name}: ${literal(value, arg.type)}`);
          } else {
            const v = `v${salt}_${arg.name}`;
            variables[v] = value;
            varDefs.push(`$${v}: ${String(arg.type)}`);
            rendered.push(`${arg.name}: $${v}`);
          }
        }
        if (directive === '@include(if: $b)') {
          const b = `b${salt}`;
          varDefs.push(`$${b}: Boolean!`);
          variables[b] = salt % 2 === 0;
        }
        const head = `${alias ? `${alias}${salt}: ` : ''}${name}${rendered.length ? `(${rendered.join(', ')})` : ''}`;
        const dir = name !== field.name ? '' : directive === '@include(if: $b)' ? `@include(if: $b${salt})` : (directive ?? '');
        return {
          text: `${head} ${dir}${selection ? ` { ${selection.text} }` : ''}`,
          variables,
          varDefs,
          fragments: selection?.fragments ?? [],
        };
      });
    });
}

function merge(parts: Built[]): Built {
  return {
    text: parts.map((p) => p.text).join(' '),
    variables: Object.assign({}, ...parts.map((p) => p.variables)),
    varDefs: parts.flatMap((p) => p.varDefs),
    fragments: parts.flatMap((p) => p.fragments),
  };
}

/** A character-level corruption of a document: what a broken client or a fuzzer sends. */
const corrupt = (doc: string) =>
  fc
    .record({
      at: fc.nat(Math.max(doc.length - 1, 0)),
      kind: fc.nat(4),
      ch: fc.constantFrom('{', '}', '(', ')', '$', '"', '\\', '@', '...', ':', '#', '!', '\u0000', 'é'),
    })
    .map(
      ({ at, kind, ch }) =>
        [
          doc.slice(0, at) + doc.slice(at + 1),
          doc.slice(0, at) + ch + doc.slice(at),
          doc.slice(0, at),
          doc + doc,
          doc.slice(0, at) + ch.repeat(50) + doc.slice(at),
        ][kind],
    );

export interface GeneratedOperation {
  query: string;
  variables: Record<string, unknown>;
  operationName?: string;
}

/** A whole operation: query or mutation over the schema, sometimes corrupted. */
export function operationArb(ids: IdPool): fc.Arbitrary<GeneratedOperation> {
  const root = fc.constantFrom(SCHEMA.getQueryType()!, SCHEMA.getQueryType()!, SCHEMA.getMutationType()!);
  return fc
    .tuple(root, fc.integer({ min: 0, max: 6 }))
    .chain(([type, depth]) => selectionOn(type, depth, ids).map((b) => ({ type, b })))
    .chain(({ type, b }) => {
      const keyword = type.name === 'Mutation' ? 'mutation' : 'query';
      const doc = `${keyword} Op${b.varDefs.length ? `(${b.varDefs.join(', ')})` : ''} { ${b.text} } ${b.fragments.join(' ')}`;
      return fc.record({
        query: fc.oneof({ weight: 8, arbitrary: fc.constant(doc) }, { weight: 1, arbitrary: corrupt(doc) }),
        variables: fc.constant(b.variables),
        operationName: fc.constantFrom<string | undefined>(undefined, undefined, 'Op', 'Op', 'Op', 'Other'),
      });
    });
}

/** Who sends a request: a key the suite turns into an Authorization header. */
export const CALLERS = [
  'edu',
  'auditor',
  'admin',
  'outsider',
  'anonymous',
  'deactivated',
  'algNone',
  'wrongKey',
  'expired',
  'garbage',
  'basic',
] as const;
export type Caller = (typeof CALLERS)[number];

/** Signed-in callers most of the time, so documents reach the resolvers; the rest spread over bad tokens. */
export const callerArb: fc.Arbitrary<Caller> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom<Caller>('edu', 'auditor', 'admin', 'outsider') },
  { weight: 1, arbitrary: fc.constantFrom<Caller>('anonymous', 'deactivated', 'algNone', 'wrongKey', 'expired', 'garbage', 'basic') },
);

export interface Envelope {
  method: string;
  contentType?: string;
  /** The body as sent; a string so malformed JSON can be sent too. */
  body?: string;
  query?: string;
  headers: Record<string, string>;
}

const headerValue = fc
  .string({ maxLength: 300, unit: fc.constantFrom(...'abc XYZ019-_.,;:=/+*\'!#$%&|~^`"()<>?@[]{}'.split('')) })
  .filter(clean);

/** Percent-encodes the UTF-8 bytes (a lone surrogate becomes U+FFFD, as a browser sends it). */
const urlEncode = (s: string) =>
  [...Buffer.from(s, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');

/** HTTP around an operation: body shapes, methods, content types and headers, well-formed or not. */
export function envelopeArb(op: fc.Arbitrary<GeneratedOperation>): fc.Arbitrary<Envelope> {
  const envelopeBody = op.chain((o) =>
    fc.oneof(
      { weight: 6, arbitrary: fc.constant(JSON.stringify(o)) },
      { weight: 1, arbitrary: fc.constant(JSON.stringify([o, o])) },
      { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
      {
        weight: 1,
        arbitrary: fc
          .record(
            {
              query: fc.oneof(fc.constant(o.query), fc.json(), fc.constant(null)),
              variables: fc.oneof(fc.json(), fc.constant(o.variables)),
              operationName: fc.oneof(fc.string(), fc.constant(null), fc.integer()),
              extensions: fc.oneof(fc.json(), fc.constant({ persistedQuery: { version: 1, sha256Hash: 'abc' } })),
            },
            { requiredKeys: [] },
          )
          .map((b) => JSON.stringify(b)),
      },
      { weight: 1, arbitrary: fc.constant(JSON.stringify(o)).chain((j) => fc.nat(j.length).map((n) => j.slice(0, n))) },
      { weight: 1, arbitrary: text },
    ),
  );
  return fc
    .record({
      method: fc.oneof(
        { weight: 8, arbitrary: fc.constant('POST') },
        { weight: 2, arbitrary: fc.constant('GET') },
        { weight: 1, arbitrary: fc.constantFrom('PUT', 'DELETE', 'PATCH', 'OPTIONS') },
      ),
      contentType: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8') },
        {
          weight: 3,
          arbitrary: fc.constantFrom(
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'application/graphql',
            'application/json; charset=latin1',
            'image/png',
          ),
        },
        { weight: 1, arbitrary: fc.constant(undefined) },
      ),
      purpose: sometimes(fc.oneof(headerValue, fc.constant('x'.repeat(201))), 3),
      requestId: sometimes(fc.oneof(fc.uuid(), headerValue), 2),
      body: envelopeBody,
      query: fc
        .tuple(op, fc.constantFrom('', '', '', '&x=%E0%A4%A', '&query=%ZZ', '&variables=%7B'))
        .map(([o, tail]) => `?query=${urlEncode(o.query)}&variables=${urlEncode(JSON.stringify(o.variables))}${tail}`),
      preflight: fc.boolean(),
      extra: fc.dictionary(fc.stringMatching(/^x-[a-z-]{1,12}$/), headerValue, { maxKeys: 3 }),
    })
    .map((e) => ({
      method: e.method,
      contentType: e.contentType ?? undefined,
      body: e.method === 'GET' ? undefined : e.body,
      query: e.method === 'GET' ? e.query : undefined,
      headers: {
        ...e.extra,
        ...(e.preflight ? { 'apollo-require-preflight': 'true' } : {}),
        ...(e.purpose ? { 'x-purpose-of-use': e.purpose } : {}),
        ...(e.requestId ? { 'x-request-id': e.requestId } : {}),
      },
    }));
}
