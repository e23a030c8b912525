import { getNamedType, type GraphQLSchema } from 'graphql';
import type { Client } from 'pg';
import { SECTORS, type Role, type Sector } from '../../src/access/policy';
import { POLICIES } from '../../policies';
import { buildHubSchema } from '../../src/graphql/schema';
import type { HubServer } from '../../src/server';
import type { AuditRow } from '../support/audit';
import { gql, sqlClient, startHub } from '../support/hub';
import { matrixRole } from '../support/matrix';
import { checkExchange, namedRecords, type Problem } from './check-response';
import { DISCLOSURES } from './disclosure-map';
import { SCENARIOS } from './mutation-scenarios';
import { buildOracleWorld, type OracleWorld, type RecordKind } from './oracle-world';
import { actorOf, RecordAccess } from './record-access';
import { everything, mutationCalls, randomPicker } from './schema-queries';

/**
 * The oracles of disclosure-oracles.test.ts over mutation payloads: every mutation whose payload
 * tells about a record (a consent, a referral, a case access, the record itself), with its
 * payload selected down every path (and a random subset), run as each sector on every kind of
 * record, then checked against the compiled policy as it stands right after the call (the call
 * may have changed it: a consent recorded or revoked, an access ended) and against the audit
 * events of the same request. Staff of the case sectors are caseworkers and supervisors, so the
 * supervisors' mutations (accept, close, grant, revoke) run too; a refusal is checked as well:
 * its message must carry no value the caller may not read.
 */
const MUTATION_COUNTRY = 'MV';

let hub: HubServer;
let db: Client;
let schema: GraphQLSchema;
let world: OracleWorld;

const disclosing = (typeName: string) => DISCLOSURES[typeName] !== undefined && !DISCLOSURES[typeName].directory;
const roles = (sector: Sector): Role[] =>
  POLICIES[sector].recordScope === 'case' ? ['CASEWORKER', 'SUPERVISOR'] : [matrixRole(POLICIES[sector])];

beforeAll(async () => {
  hub = await startHub();
  db = await sqlClient();
  schema = await buildHubSchema();
  world = await buildOracleWorld(hub, { country: MUTATION_COUNTRY, roles });
});
afterAll(async () => {
  await db?.end();
  await hub?.stop();
});

it('has a scenario for every mutation whose payload discloses a record (a new one fails here until mutation-scenarios.ts is taught)', () => {
  const calls = mutationCalls(schema, everything, disclosing).map((c) => c.field);
  expect(calls.filter((f) => !SCENARIOS[f])).toEqual([]);
  expect(Object.keys(SCENARIOS).filter((f) => !calls.includes(f))).toEqual([]);
  // Not only the returnee-payload ones: the sharing mutations are there.
  expect(calls).toEqual(
    expect.arrayContaining([
      'recordConsent',
      'revokeConsent',
      'referReturnee',
      'acceptReferral',
      'declineReferral',
      'closeReferral',
      'grantCaseAccess',
      'revokeCaseAccess',
    ]),
  );
});

async function auditRowsOf(requestId: string): Promise<AuditRow[]> {
  return (await db.query<AuditRow>('select * from audit_event where request_id = $1 order by id', [requestId])).rows;
}

/** Mutation → sectors it succeeded for (to show the oracles checked real payloads, not only refusals). */
const succeeded = new Map<string, Set<Sector>>();

describe.each(SECTORS.map((s) => [s]))('%s', (sector: Sector) => {
  const problems: Problem[] = [];
  let exchanges = 0;

  beforeAll(async () => {
    const caller = world.users[sector];
    const actor = await actorOf(db, caller.staff.id);
    const variants = [everything, randomPicker(7919 * (SECTORS.indexOf(sector) + 1))];
    for (const [v, pick] of variants.entries()) {
      for (const call of mutationCalls(schema, pick, disclosing)) {
        for (const [kind, record] of Object.entries(world.records) as [RecordKind, string][]) {
          const { variables, rid } = await SCENARIOS[call.field]({ orm: hub.db.orm, db, world, sector, caller, kind, record });
          const label = `${call.field} (${v === 0 ? 'all fields' : 'random selection'}) on the ${kind} record`;
          const res = await gql(hub, caller.token, call.query, variables);
          const requestId = res.headers.get('x-request-id');
          if (!requestId) throw new Error(`${label}: no X-Request-Id`);
          const x = { label, root: call.field, mutation: true, rid, requestId, data: res.data, errors: res.errors };
          if (res.data?.[call.field]) succeeded.set(call.field, (succeeded.get(call.field) ?? new Set()).add(sector));
          const fixture = [...Object.values(world.records), world.referredOnly];
          // The policy as it stands after the call: what the response may show is decided now.
          const access = await RecordAccess.load(db, actor, [...fixture, ...namedRecords(schema, x)]);
          problems.push(...checkExchange(schema, x, await auditRowsOf(requestId), access, 0, fixture).problems);
          exchanges++;
        }
      }
    }
  });

  it("projection oracle: every value a mutation's payload or error carries is readable by the policy, or null and named in redactedFields", () => {
    expect(exchanges).toBeGreaterThan(0);
    expect(problems.filter((p) => p.oracle === 'projection').map((p) => p.text)).toEqual([]);
  });

  it("audit completeness oracle: the mutation's READ events list exactly the record fields its payload returned", () => {
    expect(problems.filter((p) => p.oracle === 'audit').map((p) => p.text)).toEqual([]);
  });
});

it('ran every such mutation to a payload for some sector (the checks above saw real payloads)', () => {
  const calls = mutationCalls(schema, everything, disclosing).map((c) => c.field);
  expect(calls.filter((f) => !succeeded.has(f))).toEqual([]);
});
