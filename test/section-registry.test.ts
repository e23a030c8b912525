import { getNamedType, getNullableType, isListType, isObjectType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from 'pg';
import { ALL_RETURNEE_FIELDS, DERIVED_FIELDS, Section, SECTION_FIELDS } from '../src/access/sections';
import { openOrm } from '../src/db/orm';
import { buildHubSchema } from '../src/graphql/schema';
import { CHILD_HANDLING } from '../src/merge/child-tables';
import { SECTION_TABLES } from '../src/seed/bulk';
import { ROW_TABLES, SECTIONS, shownColumns, snakeCase, storedColumns } from '../src/sections/registry';
import { sqlClient, testDatabaseUrl } from './support/hub';

/**
 * The section declarations (src/sections/) against what they describe: the SDL the hub serves,
 * the ORM's entities and the tables the migrations made. Everything that derives from a
 * declaration (page statement, view, audit view, seed, merge, policy matrix) trusts it, so a
 * declaration that drifts from its entity, table or GraphQL type fails here, naming the field.
 */
let schema: GraphQLSchema;
let orm: MikroORM;
let db: Client;

beforeAll(async () => {
  schema = await buildHubSchema();
  orm = await openOrm(testDatabaseUrl());
  db = await sqlClient();
});
afterAll(async () => {
  await db.end();
  await orm.close();
});

const returneeType = () => schema.getType('Returnee') as GraphQLObjectType;

describe('the section declarations', () => {
  it('name each section once, and every field of Returnee is in a section (and only those)', () => {
    expect(new Set(SECTIONS.map((d) => d.name)).size).toBe(SECTIONS.length);
    expect(Object.keys(SECTION_FIELDS)).toEqual(Object.values(Section));
    // Fields about the answer, not the record: what was withheld, what a break-glass window revealed.
    const graphql = Object.keys(returneeType().getFields()).filter((f) => f !== 'redactedFields' && f !== 'revealedByBreakGlass');
    expect([...ALL_RETURNEE_FIELDS].sort()).toEqual(graphql.sort());
    for (const d of SECTIONS)
      for (const f of d.derived ?? [])
        expect({ section: d.name, derived: f, inSection: d.fields.includes(f) }).toMatchObject({ inSection: true });
    expect([...DERIVED_FIELDS].every((f) => ALL_RETURNEE_FIELDS.includes(f))).toBe(true);
  });

  it.each(ROW_TABLES.map((t) => [t.field, t] as const))('%s: the GraphQL row type lists exactly the shown columns, in order', (_, t) => {
    expect(SECTION_FIELDS[t.section]).toContain(t.field);
    const field = returneeType().getFields()[t.field];
    expect(isListType(getNullableType(field.type))).toBe(true);
    const row = getNamedType(field.type);
    expect(isObjectType(row) && row.name).toBe(t.entityType);
    expect(Object.keys((row as GraphQLObjectType).getFields())).toEqual(Object.keys(shownColumns(t)));
  });

  it.each(ROW_TABLES.map((t) => [t.field, t] as const))('%s: the entity and the table hold every stored column', async (_, t) => {
    const meta = orm.getMetadata().find(t.entityType);
    expect(meta?.tableName).toBe(t.table);
    // Every column the entity maps is one the seed writes, and the other way round.
    const mapped = meta!.props.filter((p) => p.fieldNames?.length).flatMap((p) => p.fieldNames);
    expect(
      storedColumns(t)
        .map((c) => c.name)
        .sort(),
    ).toEqual([...mapped].sort());
    const { rows } = await db.query<{ column_name: string; udt_name: string }>(
      'select column_name, udt_name from information_schema.columns where table_schema = current_schema() and table_name = $1',
      [t.table],
    );
    const types = new Map(rows.map((r) => [r.column_name, r.udt_name]));
    const UDT: Record<string, string> = {
      uuid: 'uuid',
      text: 'text',
      'text[]': '_text',
      date: 'date',
      boolean: 'bool',
      int: 'int4',
      timestamptz: 'timestamptz',
    };
    for (const c of storedColumns(t)) {
      // varchar(n) columns (a place, a provider) are read and written as text.
      expect({ column: c.name, type: types.get(c.name) === 'varchar' ? 'text' : types.get(c.name) }).toEqual({
        column: c.name,
        type: UDT[c.type],
      });
    }
    expect(snakeCase(t.stamp)).toMatch(/^(recorded|created)_at$/);
  });

  it('every row table is moved by a merge and written by the seed', () => {
    for (const t of ROW_TABLES) {
      expect({ entity: t.entityType, handling: CHILD_HANDLING[t.entityType] }).toEqual({ entity: t.entityType, handling: 'MOVE' });
      expect(SECTION_TABLES[t.field]).toMatchObject({ table: t.table, entityType: t.entityType });
    }
  });

  it('a declared write names a mutation taking returneeId and its input type, and a free-text marker column', () => {
    const mutations = schema.getMutationType()!.getFields();
    for (const t of ROW_TABLES.filter((r) => r.write)) {
      const w = t.write!;
      const m = mutations[w.mutation];
      expect({ mutation: w.mutation, args: m?.args.map((a) => `${a.name}: ${getNamedType(a.type).name}`).sort() }).toEqual({
        mutation: w.mutation,
        args: [`input: ${w.input}`, 'returneeId: ID'],
      });
      expect(t.columns[w.marker]).toBe('text');
      for (const s of w.alsoWrites ?? []) expect(Object.values(Section)).toContain(s);
    }
  });
});
