import type { HubServer } from '../src/server';
import { auditRowsFor } from './support/audit';
import { giveConsent, makeReturnee, makeSectorUser, makeStaff, type StaffFixture } from './support/factories';
import { gql, sqlRows, startHub } from './support/hub';
import { announce, FAST_WEBHOOKS, subscribe } from './support/webhooks';

/**
 * Ids that count everyone's rows. A bigserial key is a hub-wide counter: shown to a caller, the
 * gap between two of its own rows' ids is how many rows every other agency, of every country,
 * wrote in between (and a caller who writes and reads back in a loop watches the hub's activity
 * as it happens). The same class as `potentialDuplicates.complete` over the whole table: a value
 * outside the fields that depends on other agencies' data. So an id a caller sees must be
 * derived from what the caller may see of the row itself, never from the table's sequence.
 *
 * (AuditEvent.id stays the trail's sequence number: it is the chain's key, and only auditors,
 * who read a whole country's events, see it. See the report of this change.)
 */
/**
 * Every column the database numbers from a sequence, read from the catalogue, and how its values
 * reach clients. A new one fails the first test until it is placed here, so whoever adds a
 * bigserial decides whether a caller could read it as a counter of others' rows.
 */
const SEQUENCES: Record<string, 'derived' | 'auditors' | 'internal'> = {
  // Shown under an id derived from the row (src/common/ids.ts derivedId), tested below.
  'returnee_revision.id': 'derived',
  'webhook_delivery.id': 'derived',
  // The trail's own numbering, shown to auditors only (event ids, chain positions, seals,
  // checkpoints): an auditor of one country can count the hub's events of all countries this
  // way, as through auditIntegrity's head position; the trail is one chain for the whole hub.
  'audit_event.id': 'auditors',
  'audit_checkpoint.id': 'auditors',
  'audit_seal.id': 'auditors',
  'audit_month_archive.id': 'auditors',
  'audit_legal_hold.id': 'auditors',
  // Never shown: dispatcher order, attempt rows (shown without their ids), the migration log.
  'webhook_event.seq': 'internal',
  'webhook_attempt.id': 'internal',
  'mikro_orm_migrations.id': 'internal',
};

let hub: HubServer;
let ngo: StaffFixture;
let foreign: StaffFixture;

beforeAll(async () => {
  // No dispatcher here: deliveries stay PENDING and listed, nothing is sent anywhere.
  hub = await startHub({ ...FAST_WEBHOOKS, HUB_WEBHOOK_DISPATCH: '0' });
  ngo = await makeSectorUser(hub.db.orm, 'NGO', ['CASEWORKER']);
  foreign = await makeSectorUser(hub.db.orm, 'SOCIAL', ['SUPERVISOR'], 'UZ');
}, 120_000);
afterAll(() => hub.stop());

const UPDATE = `mutation($id: ID!, $v: Int!, $name: String!) {
  updateReturnee(id: $id, expectedVersion: $v, input: { givenName: $name }) { returnee { version } } }`;
const HISTORY = `query($id: ID!) { returneeHistory(returneeId: $id) { id version fields } }`;

async function rename(who: StaffFixture, id: string, v: number, name: string): Promise<void> {
  const res = await gql(hub, who.token, UPDATE, { id, v, name });
  expect(res.errors).toBeUndefined();
}

/** Whether `shown` is a number, or one of the table's key values. */
function carriesKey(shown: string, keys: string[]): boolean {
  return /^\d+$/.test(shown) || keys.includes(shown);
}

it('knows every sequence-numbered column of the database', async () => {
  const rows = await sqlRows(
    `select c.relname || '.' || a.attname as col
       from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
       left join pg_attrdef d on d.adrelid = c.oid and d.adnum = a.attnum
      where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition and a.attnum > 0 and not a.attisdropped
        and (a.attidentity <> '' or pg_get_expr(d.adbin, d.adrelid) like 'nextval(%')
      order by 1`,
  );
  expect(rows.map((r) => r.col as string).sort()).toEqual(Object.keys(SEQUENCES).sort());
});

describe('returneeHistory', () => {
  it("shows revision ids that do not count other agencies' changes, each the id its READ event names", async () => {
    const mine = await makeReturnee(hub.db.orm, ngo.agency);
    const theirs = await makeReturnee(hub.db.orm, foreign.agency);
    await rename(ngo, mine.id, 1, 'Aigul');
    // Another country's agency changes its own record in between: none of the caller's business.
    for (const [i, name] of ['Dilnoza', 'Dildora', 'Dilafruz'].entries()) await rename(foreign, theirs.id, i + 1, name);
    await rename(ngo, mine.id, 2, 'Aigerim');

    const res = await gql(hub, ngo.token, HISTORY, { id: mine.id });
    expect(res.errors).toBeUndefined();
    const shown = res.data.returneeHistory as { id: string; version: number }[];
    expect(shown.map((r) => r.version)).toEqual([2, 1]);
    const keys = (await sqlRows(`select id::text as id from returnee_revision`)).map((r) => String(r.id));
    for (const { id } of shown) expect(carriesKey(id, keys)).toBe(false);
    expect(new Set(shown.map((r) => r.id)).size).toBe(2);
    // Stable: the same revision has the same id on every read, and its READ event names that id.
    const again = await gql(hub, ngo.token, HISTORY, { id: mine.id });
    expect(again.data.returneeHistory.map((r: { id: string }) => r.id)).toEqual(shown.map((r) => r.id));
    const reads = (await auditRowsFor(ngo.staff.id)).filter((e) => e.entity_type === 'ReturneeRevision');
    expect(new Set(reads.map((e) => e.entity_id))).toEqual(new Set(shown.map((r) => r.id)));
  });
});

describe('webhookDeliveries', () => {
  const LOG = `query($id: ID!) { webhookDeliveries(subscriptionId: $id) { edges { node { id eventId status } } } }`;

  it("shows delivery ids that do not count other agencies' deliveries", async () => {
    const supervisor = await makeStaff(hub.db.orm, ngo.agency, ['SUPERVISOR']);
    const sub = await subscribe(hub, supervisor.token, 'http://127.0.0.1:9/hooks', ['CONSENT_RECORDED']);
    const theirSub = await subscribe(hub, foreign.token, 'http://127.0.0.1:9/theirs', ['CONSENT_RECORDED']);
    expect(theirSub.id).toBeDefined();
    const mine = await makeReturnee(hub.db.orm, ngo.agency);
    const theirs = await makeReturnee(hub.db.orm, foreign.agency);
    const own = async () =>
      announce(hub.db.orm, [{ type: 'CONSENT_RECORDED', returneeId: mine.id, subjectId: (await giveConsent(hub.db.orm, mine, ngo)).id }]);
    await own();
    for (let i = 0; i < 3; i++) {
      const consent = await giveConsent(hub.db.orm, theirs, foreign);
      await announce(hub.db.orm, [{ type: 'CONSENT_RECORDED', returneeId: theirs.id, subjectId: consent.id }]);
    }
    await own();

    const res = await gql(hub, supervisor.token, LOG, { id: sub.id });
    expect(res.errors).toBeUndefined();
    const shown = res.data.webhookDeliveries.edges.map((e: { node: { id: string } }) => e.node.id) as string[];
    expect(shown).toHaveLength(2);
    const keys = (await sqlRows(`select id::text as id from webhook_delivery`)).map((r) => String(r.id));
    for (const id of shown) expect(carriesKey(id, keys)).toBe(false);
    expect(new Set(shown).size).toBe(2);
    const again = await gql(hub, supervisor.token, LOG, { id: sub.id });
    expect(again.data.webhookDeliveries.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(shown);
  });
});
