import { randomUUID } from 'node:crypto';
import { POLICIES } from '../policies';
import type { Sector } from '../src/access/policy';
import type { HubServer } from '../src/server';
import { auditRowsFor } from './support/audit';
import { makeReturnee, makeSectorUser, type StaffFixture } from './support/factories';
import { errorCode, gql, startHub, sqlRows } from './support/hub';

/**
 * The per-staff daily limit of break-glass openings (`breakGlass.maxPerDay` in policies/*.policy.ts,
 * docs/disclosure-basis.md): generated from every policy that lets anyone break the glass, so a
 * new sector's limit is tested the day its policy names one. Past the limit the next opening is
 * FORBIDDEN with reason BREAK_GLASS_LIMIT and a DENY event, the same answer for every id.
 */
const BREAK = `mutation($input: BreakGlassInput!) { breakGlass(input: $input) { id open } }`;
const CLOSE = `mutation($id: ID!) { closeBreakGlass(id: $id) { id open } }`;

let hub: HubServer;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(() => hub.stop());

const sql = sqlRows;

const SECTORS = (Object.keys(POLICIES) as Sector[]).filter((s) => POLICIES[s].breakGlass);

function termsOf(sector: Sector) {
  const glass = POLICIES[sector].breakGlass!;
  return {
    glass,
    role: glass.roles[0],
    input: (returneeId: string) => ({ returneeId, reasonCode: glass.reasons[0], reasonText: 'A person in danger right now', minutes: 10 }),
  };
}

/** A record of another agency of the country, outside the breaker's scope. */
async function otherRecord() {
  const registrar = await makeSectorUser(hub.db.orm, 'SOCIAL');
  return makeReturnee(hub.db.orm, registrar.agency);
}

/** `n` openings of `who` in the last 24 hours, closed long ago, written directly (the limit counts them whatever their state). */
async function pastOpenings(who: StaffFixture, n: number, hoursAgo = 2) {
  for (let i = 0; i < n; i++) {
    const r = await otherRecord();
    await sql(
      `insert into break_glass (id, actor_id, agency_id, returnee_id, record_agency_id, country, reason_code, reason_text, sections,
         outside_scope, opened_at, expires_at, closed_at)
       values ($1, $2, $3, $4, $5, 'KZ', 'RISK_TO_LIFE', 'An earlier emergency', '{IDENTITY}', true,
         now() - make_interval(hours => $6), now() - make_interval(hours => $6) + interval '10 minutes', now() - make_interval(hours => $6) + interval '5 minutes')`,
      [randomUUID(), who.staff.id, who.agency.id, r.id, r.registeringAgency.id, hoursAgo],
    );
  }
}

it('every policy that lets anyone break the glass names a positive whole daily limit', () => {
  expect(SECTORS.length).toBeGreaterThan(0);
  for (const s of SECTORS) {
    const { maxPerDay } = POLICIES[s].breakGlass!;
    expect(Number.isInteger(maxPerDay) && maxPerDay > 0).toBe(true);
  }
});

describe.each(SECTORS)('%s', (sector) => {
  it('allows maxPerDay openings in 24 hours and refuses the next, audited, the same for every id', async () => {
    const { glass, role, input } = termsOf(sector);
    const me = await makeSectorUser(hub.db.orm, sector, [role]);
    await pastOpenings(me, glass.maxPerDay - 1);
    const last = await gql(hub, me.token, BREAK, { input: input((await otherRecord()).id) });
    expect(last.errors).toBeUndefined();
    expect(last.data.breakGlass.open).toBe(true);

    const existing = await otherRecord();
    const abroad = await makeReturnee(hub.db.orm, (await makeSectorUser(hub.db.orm, 'SOCIAL', ['CASEWORKER'], 'KG')).agency);
    const answers = [];
    for (const id of [existing.id, randomUUID(), abroad.id]) {
      const res = await gql(hub, me.token, BREAK, { input: input(id) });
      expect(res.data).toBeNull();
      expect(errorCode(res)).toBe('FORBIDDEN');
      expect(res.errors![0].extensions).toMatchObject({ reason: 'BREAK_GLASS_LIMIT', limit: glass.maxPerDay });
      answers.push(res.errors);
    }
    // Existence of a record does not show through the refusal: one answer for all three ids.
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    const denies = (await auditRowsFor(me.staff.id)).filter((e) => e.action === 'DENY' && e.entity_type === 'BreakGlass');
    expect(denies).toHaveLength(3);
    expect(denies[0]).toMatchObject({ returnee_id: existing.id, outcome: 'DENIED' });
    const rows = await sql('select count(*)::int as n from break_glass where actor_id = $1', [me.staff.id]);
    expect(rows[0].n).toBe(glass.maxPerDay);
  });
});

describe.each(SECTORS)('%s: extensions.breakGlassAvailable', (sector) => {
  const READ = `query($id: ID!) { returnee(id: $id) { id } }`;
  it('says false at the daily limit (true below it), one answer for a missing id, one out of scope and one abroad', async () => {
    const { glass, role } = termsOf(sector);
    const me = await makeSectorUser(hub.db.orm, sector, [role]);
    const outOfScope = await otherRecord();
    const abroad = await makeReturnee(hub.db.orm, (await makeSectorUser(hub.db.orm, 'SOCIAL', ['CASEWORKER'], 'KG')).agency);
    const refusals = async () => {
      const out = [];
      for (const id of [randomUUID(), outOfScope.id, abroad.id]) {
        const res = await gql(hub, me.token, READ, { id });
        expect(res.data?.returnee ?? null).toBeNull();
        expect(errorCode(res)).toBe('NOT_FOUND');
        out.push(res.errors);
      }
      // Nothing about the record shows through the hint: the same answer for all three ids.
      expect(out[1]).toEqual(out[0]);
      expect(out[2]).toEqual(out[0]);
      return out[0]![0].extensions?.breakGlassAvailable;
    };
    await pastOpenings(me, glass.maxPerDay - 1);
    expect(await refusals()).toBe(true);
    await pastOpenings(me, 1);
    expect(await refusals()).toBe(false);
  });
});

it('counts closed windows, is per staff member, and frees a place once an opening is 24 hours old', async () => {
  const { glass, role, input } = termsOf(SECTORS[0]);
  const me = await makeSectorUser(hub.db.orm, SECTORS[0], [role]);
  await pastOpenings(me, glass.maxPerDay - 1, 23);
  const opened = await gql(hub, me.token, BREAK, { input: input((await otherRecord()).id) });
  expect(opened.errors).toBeUndefined();
  expect((await gql(hub, me.token, CLOSE, { id: opened.data.breakGlass.id })).errors).toBeUndefined();
  const refused = await gql(hub, me.token, BREAK, { input: input((await otherRecord()).id) });
  expect(refused.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'BREAK_GLASS_LIMIT' });
  const retryAfter = Date.parse(refused.errors![0].extensions!.retryAfter as string);
  expect(retryAfter).toBeGreaterThan(Date.now());
  expect(retryAfter).toBeLessThan(Date.now() + 2 * 3600_000); // the oldest opening, 23 hours old, leaves the count within the hour

  // A colleague of the same agency and role is not held back by my openings.
  const colleague = await makeSectorUser(hub.db.orm, SECTORS[0], [role]);
  expect((await gql(hub, colleague.token, BREAK, { input: input((await otherRecord()).id) })).errors).toBeUndefined();

  // The oldest opening passes 24 hours: one place is free again.
  await sql(
    `update break_glass set opened_at = opened_at - interval '2 hours' where actor_id = $1 and opened_at < now() - interval '22 hours'`,
    [me.staff.id],
  );
  expect((await gql(hub, me.token, BREAK, { input: input((await otherRecord()).id) })).errors).toBeUndefined();
});

it('holds under concurrent openings by one person: never more than maxPerDay windows', async () => {
  const { glass, role, input } = termsOf(SECTORS[0]);
  const me = await makeSectorUser(hub.db.orm, SECTORS[0], [role]);
  await pastOpenings(me, glass.maxPerDay - 1);
  const records = await Promise.all([1, 2, 3, 4].map(() => otherRecord()));
  const answers = await Promise.all(records.map((r) => gql(hub, me.token, BREAK, { input: input(r.id) })));
  // One opens; each other one is refused, over the limit or while that one is being recorded, and audited.
  expect(answers.filter((a) => a.errors === undefined)).toHaveLength(1);
  const refused = answers.filter((a) => a.errors !== undefined).map((a) => a.errors![0].extensions?.reason);
  expect(refused).toHaveLength(3);
  for (const reason of refused) expect(['BREAK_GLASS_LIMIT', 'BREAK_GLASS_IN_PROGRESS']).toContain(reason);
  const audited = (await auditRowsFor(me.staff.id)).filter((e) => e.entity_type === 'BreakGlass' && e.outcome !== 'SUCCESS');
  expect(audited).toHaveLength(3);
  const rows = await sql('select count(*)::int as n from break_glass where actor_id = $1', [me.staff.id]);
  expect(rows[0].n).toBe(glass.maxPerDay);
});
