import fc from 'fast-check';
import type { GraphQLSchema } from 'graphql';
import { UNCHECKED_ID } from '../src/request/operation';
import { KNOWN_CODES } from '../src/errors';
import { buildHubSchema } from '../src/graphql/schema';
import type { HubServer } from '../src/server';
import { giveConsent, grantAccess, makeReturnee, makeSectorUser, type StaffFixture } from './support/factories';
import { gql, sqlClient, startHub, tokenFor, type GqlResponse } from './support/hub';
import { BOUNDARY_VALUES, hostileText, slotLabel, slotValue, textSlots } from './support/hostile-values';
import { leaks } from './support/raw-http';
import { documentFor, variablesFor, withValue, type Slot } from './support/schema-samples';

/**
 * Hostile-value property. Hostile text — astral characters, lone surrogates, NUL and other
 * controls, bidi marks, values one code point either side of the audit columns' widths, long
 * runs — goes into every ID and String argument and input field of every query and mutation
 * of the schema the hub serves, from callers with and without the right to the operation,
 * while other people read concurrently (their events share the recorder's group-commit
 * batches with the hostile ones). Whatever is sent:
 * - every honest read succeeds;
 * - every hostile request gets a valid answer or a coded error: never INTERNAL_SERVER_ERROR,
 *   never a stack trace or SQL;
 * - every hostile request that was refused left its own refusal event (found by the
 *   X-Request-Id it was answered with), and no id reached the trail unvalidated (UNCHECKED_ID).
 */
const SEED = Number(process.env.HUB_FUZZ_SEED ?? 20241203);
const RUNS = 60;
const PER_RUN = 4;
const GROUP = 12;

let hub: HubServer;
let schema: GraphQLSchema;
const as: Record<string, StaffFixture> = {};
let adminToken: string;
let ids: Record<string, string>;
const honestReaders: { token: string; returneeId: string }[] = [];
const tally = { hostile: 0, refused: 0, answered: 0, unread: 0, honest: 0, codes: new Map<string, number>() };

beforeAll(async () => {
  schema = await buildHubSchema();
  // Batching on purpose: concurrent requests' events share one INSERT, as under load.
  hub = await startHub({ HUB_AUDIT_BATCH_DELAY_MS: '10' });
  const orm = hub.db.orm;
  for (const [name, sector, roles, country] of [
    ['social', 'SOCIAL', ['SUPERVISOR'], 'KZ'],
    ['health', 'HEALTH', ['CASEWORKER'], 'KZ'],
    ['edu', 'EDUCATION', ['CASEWORKER'], 'KZ'],
    ['ngo', 'NGO', ['CASEWORKER'], 'KZ'],
    ['auditor', 'OVERSIGHT', ['AUDITOR'], 'KZ'],
    ['outsider', 'HEALTH', ['SUPERVISOR'], 'UZ'],
  ] as const) {
    as[name] = await makeSectorUser(orm, sector, [...roles], country);
  }
  const r = await makeReturnee(orm, as.social.agency);
  for (const s of ['health', 'edu', 'ngo'] as const) await grantAccess(orm, r, as[s].agency);
  const consent = await giveConsent(orm, r, as.social);
  adminToken = await tokenFor('admin');
  ids = {
    id: r.id,
    returneeId: r.id,
    agencyId: as.social.agency.id,
    toAgencyId: as.outsider.agency.id,
    measureId: consent.id,
    guardianReturneeId: r.id,
  };
  // Honest readers: other agencies, their own records, untouched by anything the hostile requests name.
  for (const sector of ['SOCIAL', 'SOCIAL', 'NGO'] as const) {
    const reader = await makeSectorUser(orm, sector);
    honestReaders.push({ token: reader.token, returneeId: (await makeReturnee(orm, reader.agency)).id });
  }
}, 120_000);

afterAll(async () => {
  process.stdout.write(
    `hostile-values: ${tally.hostile} hostile requests (${tally.refused} refused, ${tally.answered} answered, ${tally.unread} too large to read), ${tally.honest} honest reads; codes ${JSON.stringify(Object.fromEntries(tally.codes))}\n`,
  );
  await hub?.stop();
});

type Caller = 'entitled' | 'edu' | 'outsider' | 'auditor' | 'admin';
const CALLERS: readonly Caller[] = ['entitled', 'edu', 'outsider', 'auditor', 'admin'];

/** The caller the operation is meant for (so the value gets past authorization), or a low-privilege one. */
function tokenOf(slot: Slot, caller: Caller): string {
  if (caller === 'admin') return adminToken;
  if (caller !== 'entitled') return as[caller].token;
  const name = slot.root.field.name;
  if (['createAgency', 'createStaffMember', 'deactivateStaffMember'].includes(name)) return adminToken;
  if (['auditEvents', 'disclosureReport', 'auditIntegrity'].includes(name)) return as.auditor.token;
  if (name === 'recordHealthAssessment') return as.health.token;
  if (name === 'updateEducation') return as.edu.token;
  if (name === 'recordSupportSession') return as.ngo.token;
  return as.social.token;
}

/** Well-formed values for every argument (defaults spelled out: the document declares every argument). */
function baseVariables(slot: Slot): Record<string, unknown> {
  const variables = variablesFor(slot.root.field, ids);
  for (const a of slot.root.field.args) if (!(a.name in variables) && a.defaultValue !== undefined) variables[a.name] = a.defaultValue;
  return variables;
}

interface Probe {
  slot: Slot;
  text: string;
  caller: Caller;
}

const honestRead = (i: number) => {
  const r = honestReaders[i % honestReaders.length];
  return i % 2 === 0
    ? gql(hub, r.token, 'query($id: ID!) { returnee(id: $id) { id givenName } }', { id: r.returneeId })
    : gql(hub, r.token, 'query { returnees(first: 5) { totalCount nodes { id } } }');
};

const describeProbe = (p: Probe) =>
  `${slotLabel(p.slot)} as ${p.caller} with ${JSON.stringify(p.text.length > 80 ? `${p.text.slice(0, 80)}… (${p.text.length} units)` : p.text)}`;

/** Sends the probes together with as many honest reads, and checks everything the property says. */
async function probe(probes: Probe[]): Promise<void> {
  const [hostile, honest] = await Promise.all([
    Promise.all(
      probes.map((p) =>
        gql(
          hub,
          tokenOf(p.slot, p.caller),
          documentFor(p.slot.root),
          withValue(baseVariables(p.slot), p.slot, slotValue(p.slot, p.text), ids),
        ),
      ),
    ),
    Promise.all(probes.map((_, i) => honestRead(i))),
  ]);
  tally.honest += honest.length;
  const honestFailures = honest.filter((r) => r.errors).map((r) => r.errors![0]);
  expect(honestFailures).toEqual([]);

  const refused: { probe: Probe; requestId: string }[] = [];
  hostile.forEach((res, i) => {
    tally.hostile++;
    const where = `${describeProbe(probes[i])}: ${JSON.stringify(res.errors ?? res.data).slice(0, 300)}`;
    expect({ where, problem: problemOf(res) }).toEqual({ where, problem: undefined });
    for (const e of res.errors ?? []) tally.codes.set(String(e.extensions?.code), (tally.codes.get(String(e.extensions?.code)) ?? 0) + 1);
    // A body over HUB_MAX_BODY_BYTES is refused unread, before anyone is signed in: nobody to record.
    if (res.status === 413 && res.errors?.[0]?.extensions?.reason === 'BODY_TOO_LARGE') tally.unread++;
    else if (res.errors?.length) refused.push({ probe: probes[i], requestId: res.headers.get('x-request-id')! });
    else tally.answered++;
  });
  tally.refused += refused.length;
  const events = await eventsOf([...hostile.map((r) => r.headers.get('x-request-id')!)]);
  for (const { probe: p, requestId } of refused) {
    const own = events.filter((e) => e.request_id === requestId);
    expect({ probe: describeProbe(p), refusalEvents: own.filter((e) => e.outcome !== 'SUCCESS').length > 0 }).toEqual({
      probe: describeProbe(p),
      refusalEvents: true,
    });
  }
  const unchecked = events.filter((e) => e.reason?.includes(UNCHECKED_ID));
  expect(unchecked.map((e) => `${e.operation} ${e.entity_type} ${e.reason}`)).toEqual([]);
}

function problemOf(res: GqlResponse): string | undefined {
  if (res.data === undefined && res.errors === undefined) return 'not a GraphQL answer';
  for (const e of res.errors ?? []) {
    const code = e.extensions?.code;
    if (typeof code !== 'string' || !KNOWN_CODES.has(code)) return `an error without a known code: ${code}`;
    if (code === 'INTERNAL_SERVER_ERROR') return 'INTERNAL_SERVER_ERROR';
  }
  const leak = leaks(JSON.stringify(res.errors ?? []));
  return leak ? `leaks ${leak}` : undefined;
}

async function eventsOf(
  requestIds: string[],
): Promise<{ request_id: string; outcome: string; reason: string | null; operation: string | null; entity_type: string }[]> {
  const client = await sqlClient();
  try {
    return (
      await client.query('select request_id, outcome, reason, operation, entity_type from audit_event where request_id = any($1::uuid[])', [
        requestIds,
      ])
    ).rows;
  } finally {
    await client.end();
  }
}

describe('hostile values in every text argument, sent while other people read', () => {
  let slots: Slot[];

  beforeAll(() => {
    slots = textSlots(schema);
  });

  it('covers every ID and String argument and input field of the served schema', () => {
    // A floor, not a list: the slots are found in the schema, so new arguments join on their own.
    expect(slots.length).toBeGreaterThanOrEqual(60);
    expect(new Set(slots.map((s) => s.root.field.name)).size).toBeGreaterThanOrEqual(25);
  });

  it("the review's attack in every slot from the entitled caller and a low-privilege one, and the other boundaries in turn", async () => {
    const [attack, ...others] = BOUNDARY_VALUES;
    const probes = slots.flatMap((slot, n): Probe[] => [
      { slot, text: attack, caller: 'entitled' },
      { slot, text: attack, caller: 'edu' },
      // Three more boundaries per slot, rotating, so every one meets every kind of slot.
      ...[0, 1, 2].map((k): Probe => ({ slot, text: others[(n * 3 + k) % others.length], caller: k === 1 ? 'edu' : 'entitled' })),
    ]);
    for (let i = 0; i < probes.length; i += GROUP) await probe(probes.slice(i, i + GROUP));
  }, 300_000);

  it(`${RUNS} runs of ${PER_RUN} random hostile values in random slots from random callers`, async () => {
    // A counterexample prints as slot, caller and (the start of) the text, not the schema objects.
    const probeArb = fc
      .record({ slot: fc.constantFrom(...slots), text: hostileText, caller: fc.constantFrom(...CALLERS) })
      .map((p): Probe => Object.assign(p, { [fc.toStringMethod]: () => describeProbe(p) }));
    await fc.assert(
      fc.asyncProperty(fc.array(probeArb, { minLength: PER_RUN, maxLength: PER_RUN }), (probes) => probe(probes)),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  }, 300_000);
});
