import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { getNamedType, GraphQLNonNull, GraphQLObjectType, isObjectType, type GraphQLField, type GraphQLSchema } from 'graphql';
import { renderSchema } from '../src/cli/run';
import { buildHubSchema } from '../src/graphql/schema';

/**
 * The schema is the integrator's documentation. The SDL the hub emits goes through the
 * third-party linter exactly as `npm run lint:schema` runs it (graphql-schema-linter with the
 * committed .graphql-schema-linterrc.json: Relay connection rules, descriptions everywhere), and
 * the test fails with the linter's own list of problems. The Relay rules of graphql-schema-linter
 * 3 do not look at PageInfo.startCursor nor at what an edge holds; the second test checks those
 * on every connection of the schema.
 */
const ROOT = path.resolve(__dirname, '..');
const LINTER = path.join(ROOT, 'node_modules', 'graphql-schema-linter', 'lib', 'cli.js');

interface LintError {
  message: string;
  rule: string;
  location: { line: number; column: number };
}

function lint(sdl: string): { status: number | null; errors: LintError[] } {
  // --stdin: the schema just rendered, not the file on disk (contract.test.ts checks that they agree).
  const run = spawnSync(process.execPath, [LINTER, '--stdin', '--format', 'json', '--config-directory', ROOT], {
    cwd: ROOT,
    input: sdl,
    encoding: 'utf8',
  });
  if (run.error) throw run.error;
  return { status: run.status, errors: (JSON.parse(run.stdout) as { errors: LintError[] }).errors };
}

const problems = (errors: LintError[]) => errors.map((e) => `${e.location.line}:${e.location.column} ${e.message} (${e.rule})`);

describe('the emitted SDL', () => {
  it('passes graphql-schema-linter with the committed rules', async () => {
    const result = lint(await renderSchema());
    expect(problems(result.errors)).toEqual([]);
    expect(result.status).toBe(0);
  });

  it('makes every connection a Relay cursor connection: edges { cursor node }, pageInfo with both directions', async () => {
    const schema = await buildHubSchema();
    expect(relayProblems(schema)).toEqual([]);
  });
});

describe('the check itself', () => {
  it('reports undescribed elements and connections without pageInfo or edges', () => {
    const result = lint('type Query { items(first: Int, after: String): ItemConnection! }\ntype ItemConnection { nodes: [Int!]! }');
    expect(result.status).not.toBe(0);
    expect(result.errors.map((e) => e.rule)).toEqual(
      expect.arrayContaining([
        'types-have-descriptions',
        'fields-have-descriptions',
        'relay-connection-types-spec',
        'relay-page-info-spec',
      ]),
    );
  });
});

const nonNull = (field: GraphQLField<unknown, unknown> | undefined, type: string) =>
  field !== undefined && field.type instanceof GraphQLNonNull && getNamedType(field.type).name === type;

/** What the Relay spec asks of PageInfo and of every *Connection's edges beyond graphql-schema-linter's rules. */
function relayProblems(schema: GraphQLSchema): string[] {
  const out: string[] = [];
  const pageInfo = schema.getType('PageInfo');
  if (!isObjectType(pageInfo)) return ['PageInfo is missing'];
  const pf = pageInfo.getFields();
  if (!nonNull(pf.hasPreviousPage, 'Boolean') || !nonNull(pf.hasNextPage, 'Boolean'))
    out.push('PageInfo needs hasPreviousPage and hasNextPage: Boolean!');
  for (const name of ['startCursor', 'endCursor']) {
    if (!pf[name] || pf[name].type instanceof GraphQLNonNull || getNamedType(pf[name].type).name !== 'String')
      out.push(`PageInfo.${name} must be String (null on an empty page)`);
  }
  const connections = Object.values(schema.getTypeMap()).filter(
    (t): t is GraphQLObjectType => isObjectType(t) && t.name.endsWith('Connection'),
  );
  for (const c of connections) {
    const edge = c.getFields().edges && getNamedType(c.getFields().edges.type);
    if (!isObjectType(edge)) {
      out.push(`${c.name}.edges must list edge objects`);
      continue;
    }
    const ef = edge.getFields();
    if (!nonNull(ef.cursor, 'String')) out.push(`${edge.name}.cursor must be String!`);
    if (!ef.node || !(ef.node.type instanceof GraphQLNonNull)) out.push(`${edge.name}.node must be a non-null node`);
  }
  if (connections.length === 0) out.push('no connection found');
  return out;
}
