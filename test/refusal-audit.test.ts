import { randomUUID } from 'node:crypto';
import { abilityFor } from '../src/access/ability';
import { Operation, UNCHECKED_ID } from '../src/request/operation';
import type { Actor } from '../src/access/actor';
import type { HubServer } from '../src/server';
import { makeReturnee, makeSectorUser, type StaffFixture } from './support/factories';
import { gql, sqlClient, startHub, type GqlResponse } from './support/hub';

/**
 * Denied attempts are events, whatever refused them: a service's own refusal (recorded once,
 * by the service), and the refusals no service decides — the text guard, class-validator, an
 * id that is not a UUID (recorded by src/graphql/refusal-audit.ts). And an id that reaches
 * the trail without having been validated is stored, but flagged for the tests to find.
 */
let hub: HubServer;
let edu: StaffFixture;
let social: StaffFixture;
let returneeId: string;

beforeAll(async () => {
  hub = await startHub();
  edu = await makeSectorUser(hub.db.orm, 'EDUCATION');
  social = await makeSectorUser(hub.db.orm, 'SOCIAL');
  returneeId = (await makeReturnee(hub.db.orm, social.agency)).id;
});

afterAll(() => hub.stop());

interface Row {
  staff_id: string | null;
  action: string;
  outcome: string;
  entity_type: string;
  entity_id: string | null;
  returnee_id: string | null;
  operation: string;
  reason: string | null;
}

async function rowsOf(res: GqlResponse): Promise<Row[]> {
  const client = await sqlClient();
  try {
    return (
      await client.query(
        'select staff_id, action, outcome, entity_type, entity_id, returnee_id, operation, reason from audit_event where request_id = $1 order by id',
        [res.headers.get('x-request-id')],
      )
    ).rows;
  } finally {
    await client.end();
  }
}

describe('refusals no service records', () => {
  it('an id that is not a UUID: one DENY event, INVALID, naming the id as sent', async () => {
    const res = await gql(hub, edu.token, 'query { returnee(id: "abc😀") { id } }');
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await rowsOf(res)).toEqual([
      {
        staff_id: edu.staff.id,
        action: 'DENY',
        outcome: 'INVALID',
        entity_type: 'Returnee',
        entity_id: 'abc😀',
        returnee_id: null,
        operation: 'returnee',
        reason: 'BAD_USER_INPUT',
      },
    ]);
  });

  it('text the guard refuses (a lone surrogate, a NUL): one event, the bad text kept out of the trail', async () => {
    for (const note of ['half \ud800 a pair', 'nul\u0000']) {
      const res = await gql(
        hub,
        social.token,
        'mutation($id: ID!, $note: String!) { closeReferral(input: { id: $id, note: $note }) { id } }',
        { id: randomUUID(), note },
      );
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const rows = await rowsOf(res);
      expect(rows.map((r) => [r.action, r.outcome, r.operation, r.reason])).toEqual([
        ['DENY', 'INVALID', 'closeReferral', 'BAD_USER_INPUT'],
      ]);
    }
  });

  it('input class-validator refuses: one event, with the returnee named when its id is a UUID', async () => {
    const res = await gql(
      hub,
      social.token,
      'mutation($id: ID!) { referReturnee(input: { returneeId: $id, toAgencyId: "nope", service: "x", reason: "y" }) { id } }',
      { id: returneeId },
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await rowsOf(res)).map((r) => [r.outcome, r.entity_id, r.returnee_id])).toEqual([['INVALID', returneeId, returneeId]]);
  });

  it('a refusal the service recorded is not recorded a second time', async () => {
    const res = await gql(hub, edu.token, 'query($id: ID!) { disclosureReport(returneeId: $id) { eventCount } }', { id: returneeId });
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await rowsOf(res)).map((r) => [r.action, r.outcome, r.entity_type, r.returnee_id, r.reason])).toEqual([
      ['DENY', 'DENIED', 'AuditEvent', returneeId, 'FORBIDDEN'],
    ]);
  });

  it('an answered request and an unauthenticated one leave no refusal', async () => {
    const ok = await gql(hub, social.token, 'query($id: ID!) { returnee(id: $id) { id } }', { id: returneeId });
    expect(ok.errors).toBeUndefined();
    expect((await rowsOf(ok)).map((r) => r.outcome)).toEqual(['SUCCESS']);
    const anonymous = await gql(hub, undefined, 'query { returnee(id: "abc") { id } }');
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await rowsOf(anonymous)).toEqual([]);
  });
});

describe('an id that reaches the trail unvalidated', () => {
  it('is stored as clean text and flagged UNCHECKED_ID; a UUID is stored in lower case, unflagged', async () => {
    const actor: Actor = {
      staffId: edu.staff.id,
      username: edu.staff.username,
      displayName: 'Test user',
      roles: ['CASEWORKER'],
      agencyId: edu.agency.id,
      agencyCode: edu.agency.code,
      sector: 'EDUCATION',
      country: 'KZ',
    };
    const requestId = randomUUID();
    const op = new Operation({ requestId, actor, ability: abilityFor(actor), em: hub.db.orm.em.fork(), runtime: hub.runtime }, 'probe');
    await expect(op.notFoundOrThrow('READ', 'Returnee', `${'a'.repeat(63)}😀\u0000`)).rejects.toMatchObject({
      extensions: { code: 'NOT_FOUND' },
    });
    await op.recordDurably([{ action: 'READ', entityType: 'Returnee', returneeId: returneeId.toUpperCase(), outcome: 'SUCCESS' }]);
    const client = await sqlClient();
    try {
      const { rows } = await client.query(
        'select entity_id, returnee_id, outcome, reason from audit_event where request_id = $1 order by id',
        [requestId],
      );
      expect(rows).toEqual([
        { entity_id: `${'a'.repeat(63)}😀`, returnee_id: null, outcome: 'NOT_FOUND', reason: `NOT_FOUND;${UNCHECKED_ID}` },
        { entity_id: null, returnee_id: returneeId, outcome: 'SUCCESS', reason: null },
      ]);
    } finally {
      await client.end();
    }
  });
});
