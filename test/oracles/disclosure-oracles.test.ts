import { getNamedType, type GraphQLSchema } from 'graphql';
import type { Client } from 'pg';
import { SECTORS, type Sector } from '../../src/access/policy';
import { buildHubSchema } from '../../src/graphql/schema';
import type { HubServer } from '../../src/server';
import type { AuditRow } from '../support/audit';
import { gql, sqlClient, startHub } from '../support/hub';
import { checkExchange, namedRecords, type Exchange, type Problem } from './check-response';
import { DISCLOSURES, unclassified } from './disclosure-map';
import { buildOracleWorld, type OracleWorld } from './oracle-world';
import { actorOf, recordAttributes, RecordAccess } from './record-access';
import { everything, randomPicker, rootCalls, type RootCall } from './schema-queries';

/**
 * The mechanism-level checks of issue 11, generated from the schema and the policies:
 * every root query, with every nested path (and random subsets of them), run as each sector on
 * records with every section filled (adult and minor, with and without consent), then checked
 * field by field against the compiled policy (projection oracle) and against the audit events
 * of the same request, matched by its X-Request-Id (audit completeness oracle).
 */
const RANDOM_SELECTIONS = 3;
const CONCURRENCY = 4;

let hub: HubServer;
let db: Client;
let schema: GraphQLSchema;
let world: OracleWorld;

beforeAll(async () => {
  hub = await startHub();
  db = await sqlClient();
  schema = await buildHubSchema();
  world = await buildOracleWorld(hub);
});
afterAll(async () => {
  await db?.end();
  await hub?.stop();
});

it('classifies every field of every object type of the schema (a new one fails here until it is)', () => {
  expect(unclassified(schema)).toEqual([]);
});

it('calls every root query field of the schema', () => {
  expect(rootCalls(schema, everything).map((c) => c.field).sort()).toEqual(Object.keys(schema.getQueryType()!.getFields()).sort());
});

/** Root fields whose answer is directory data only (me, agencies, auditIntegrity): one full call is enough. */
function directoryOnly(call: RootCall): boolean {
  return !!DISCLOSURES[getNamedType(schema.getQueryType()!.getFields()[call.field].type).name]?.directory;
}

/** Every call of every root query, for every fixture record where the root field takes one. */
function exchangesToRun(): { call: RootCall; label: string; rid?: string }[] {
  const calls = [everything, ...Array.from({ length: RANDOM_SELECTIONS }, (_, i) => randomPicker(1103 * (i + 1)))]
    .flatMap((pick, i) => rootCalls(schema, pick).filter((call) => i === 0 || !directoryOnly(call))
      .map((call) => ({ call, variant: i === 0 ? 'all fields' : `random selection ${i}` })));
  return calls.flatMap(({ call, variant }) => (call.recordArg
    ? Object.entries(world.records).map(([kind, rid]) => ({ call, rid, label: `${call.field} (${variant}) of the ${kind} record` }))
    : [{ call, label: `${call.field} (${variant})` }]));
}

async function run(user: { token: string }, todo: ReturnType<typeof exchangesToRun>): Promise<Exchange[]> {
  const out: Exchange[] = new Array(todo.length);
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const i = next++;
      const { call, rid, label } = todo[i];
      const res = await gql(hub, user.token, call.query, rid ? { rid } : {});
      const requestId = res.headers.get('x-request-id');
      if (!requestId) throw new Error(`${label}: no X-Request-Id`);
      out[i] = { label, root: call.field, rid, requestId, data: res.data, errors: res.errors };
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return out;
}

async function auditRowsOf(requestIds: string[]): Promise<Map<string, AuditRow[]>> {
  const { rows } = await db.query<AuditRow>('select * from audit_event where request_id = any($1) order by id', [requestIds]);
  const out = new Map<string, AuditRow[]>(requestIds.map((id) => [id, []]));
  for (const r of rows) out.get(r.request_id)!.push(r);
  return out;
}

/** Records in the caller's scope, by the compiled policy: what totalCount must count. */
function inScope(access: RecordAccess, candidates: string[]): number {
  return candidates.filter((id) => access.canRead(id, 'id')).length;
}

describe.each(SECTORS.map((s) => [s]))('%s', (sector: Sector) => {
  const problems: Problem[] = [];
  let exchanges = 0;

  beforeAll(async () => {
    const user = world.users[sector];
    const done = await run(user, exchangesToRun());
    exchanges = done.length;
    const rows = await auditRowsOf(done.map((x) => x.requestId));
    const { rows: candidates } = await db.query<{ id: string }>('select id from returnee where country = $1', [user.agency.country]);
    const ids = new Set([...candidates.map((c) => c.id), ...Object.values(world.records)]);
    for (const x of done) for (const id of namedRecords(schema, x)) ids.add(id);
    const access = new RecordAccess(await actorOf(db, user.staff.id), await recordAttributes(db, [...ids]));
    const scope = inScope(access, candidates.map((c) => c.id));
    for (const x of done) {
      for (const p of checkExchange(schema, x, rows.get(x.requestId)!, access, scope, Object.values(world.records)).problems) {
        problems.push(p);
      }
    }
  });

  it('projection oracle: every value a response carries is readable by the policy, or null and named in redactedFields', () => {
    expect(exchanges).toBeGreaterThan(0);
    expect(problems.filter((p) => p.oracle === 'projection').map((p) => p.text)).toEqual([]);
  });

  it('audit completeness oracle: the request\'s READ events list exactly the record fields returned', () => {
    expect(problems.filter((p) => p.oracle === 'audit').map((p) => p.text)).toEqual([]);
  });
});
