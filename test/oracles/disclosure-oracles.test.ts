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
import { POLICIES } from '../../policies';
import { ALL_RETURNEE_FIELDS } from '../../src/access/sections';
import { matrixRole, readsRecords } from '../support/matrix';
import { actorOf, RecordAccess } from './record-access';
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
  expect(
    rootCalls(schema, everything)
      .map((c) => c.field)
      .sort(),
  ).toEqual(Object.keys(schema.getQueryType()!.getFields()).sort());
});

/** Root fields whose answer is directory data only (me, agencies, auditIntegrity): one full call is enough. */
function directoryOnly(call: RootCall): boolean {
  return !!DISCLOSURES[getNamedType(schema.getQueryType()!.getFields()[call.field].type).name]?.directory;
}

/** Every call of every root query, for every fixture record where the root field takes one. */
function exchangesToRun(): { call: RootCall; label: string; rid?: string }[] {
  const calls = [everything, ...Array.from({ length: RANDOM_SELECTIONS }, (_, i) => randomPicker(1103 * (i + 1)))].flatMap((pick, i) =>
    rootCalls(schema, pick)
      .filter((call) => i === 0 || !directoryOnly(call))
      .map((call) => ({ call, variant: i === 0 ? 'all fields' : `random selection ${i}` })),
  );
  return calls.flatMap(({ call, variant }) =>
    call.recordArg
      ? Object.entries(world.records).map(([kind, rid]) => ({ call, rid, label: `${call.field} (${variant}) of the ${kind} record` }))
      : [{ call, label: `${call.field} (${variant})` }],
  );
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
  let access: RecordAccess;

  beforeAll(async () => {
    const user = world.users[sector];
    const done = await run(user, exchangesToRun());
    exchanges = done.length;
    const rows = await auditRowsOf(done.map((x) => x.requestId));
    const { rows: candidates } = await db.query<{ id: string }>('select id from returnee where country = $1', [user.agency.country]);
    const ids = new Set([...candidates.map((c) => c.id), ...Object.values(world.records)]);
    for (const x of done) for (const id of namedRecords(schema, x)) ids.add(id);
    access = await RecordAccess.load(db, await actorOf(db, user.staff.id), ids);
    const scope = inScope(
      access,
      candidates.map((c) => c.id),
    );
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

  it("audit completeness oracle: the request's READ events list exactly the record fields returned", () => {
    expect(problems.filter((p) => p.oracle === 'audit').map((p) => p.text)).toEqual([]);
  });

  it("the SQL compiled from the rules (condition-sql.ts) decides every field of every record as CASL's own matcher does", () => {
    const disagreements = access
      .ids()
      .flatMap((id) =>
        ALL_RETURNEE_FIELDS.filter((f) => access.canRead(id, f) !== access.memoryCanRead(id, f)).map(
          (f) => `${f} of ${id}: SQL says ${access.canRead(id, f)}, CASL ${access.memoryCanRead(id, f)}`,
        ),
      );
    expect(disagreements).toEqual([]);
    // Not vacuous: where the sector reads records at all, the fixture makes the policy say both yes and no.
    const answers = new Set(access.ids().flatMap((id) => ALL_RETURNEE_FIELDS.map((f) => access.canRead(id, f))));
    expect([...answers].sort()).toEqual(readsRecords(POLICIES[sector], matrixRole(POLICIES[sector])) ? [false, true] : [false]);
  });
});

it('fails a response that shows a hidden value, hides a readable one, or misses its audit (the oracles can fail)', async () => {
  // A real exchange, then the same one as a broken projection or a lost audit event would make it.
  const user = world.users.HEALTH;
  const rid = world.records.adultWithoutConsent;
  const query = 'query($rid: ID!) { returnee(id: $rid) { id caseNumber givenName healthAssessments { id } redactedFields } }';
  const res = await gql(hub, user.token, query, { rid });
  const x: Exchange = {
    label: 'probe',
    root: 'returnee',
    rid,
    requestId: res.headers.get('x-request-id')!,
    data: res.data,
    errors: res.errors,
  };
  const rows = (await auditRowsOf([x.requestId])).get(x.requestId)!;
  const access = await RecordAccess.load(db, await actorOf(db, user.staff.id), [rid]);
  const check = (data: Record<string, unknown>, audit = rows) =>
    checkExchange(schema, { ...x, data }, audit, access, 0, [rid]).problems.map((p) => `${p.oracle}: ${p.text}`);
  const returnee = res.data.returnee as Record<string, unknown>;
  expect(returnee.givenName).toBeNull();
  expect(check(res.data)).toEqual([]);

  expect(check({ returnee: { ...returnee, givenName: 'Saruul' } })).toEqual(
    expect.arrayContaining([expect.stringMatching(/^projection: .*givenName carries givenName .*hides/)]),
  );
  expect(check({ returnee: { ...returnee, redactedFields: [] } })).toEqual([
    expect.stringMatching(/^projection: .*redactedFields is \[\], the policy hides/),
  ]);
  expect(
    check({
      returnee: { ...returnee, healthAssessments: null, redactedFields: [...(returnee.redactedFields as string[]), 'healthAssessments'] },
    }),
  ).toEqual([expect.stringMatching(/^projection: .*redactedFields is .*healthAssessments/)]);
  expect(
    check(
      res.data,
      rows.filter((r) => r.action !== 'READ'),
    ),
  ).toEqual(expect.arrayContaining([expect.stringMatching(/^audit: .*caseNumber was returned, but no READ event/)]));
});
