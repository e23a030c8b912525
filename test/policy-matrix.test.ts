import { randomUUID } from 'node:crypto';
import type { GraphQLSchema } from 'graphql';
import type { Client } from 'pg';
import { POLICIES } from '../policies';
import type { Sector } from '../src/access/policy';
import { Section, SECTION_FIELDS } from '../src/access/sections';
import type { Returnee } from '../src/returnee/returnee.entity';
import { buildHubSchema } from '../src/graphql/schema';
import type { HubServer } from '../src/server';
import type { AuditRow } from './support/audit';
import {
  addAssessment,
  giveConsent,
  grantAccess,
  makeAgency,
  makeAgreement,
  makeReturnee,
  makeSectorUser,
  type StaffFixture,
} from './support/factories';
import { errorCode, gql, sqlClient, startHub } from './support/hub';
import {
  expectedBasis,
  MATRIX_SECTIONS,
  MATRIX_SECTORS,
  matrixRole,
  READ_RECORDS,
  readCases,
  sectionReadQuery,
  writeCases,
  type ReadCase,
  type ReadRecordKey,
  type RecordState,
  type WriteCase,
  type WriteTarget,
} from './support/matrix';
import { fillSections } from './support/section-factories';

/**
 * The policy matrix (DESIGN.md §3), over real HTTP against a real hub: every sector × every
 * section × read, create and update, each cell its own test, named like
 * "HEALTH × CONTACT × update → refused".
 *
 * Expectations are computed from POLICIES (policies/*.policy.ts) and SECTION_FIELDS by
 * test/support/matrix.ts, never written per cell: change a policy file and the expectations
 * change with it.
 *
 * - read: a record registered by a SOCIAL agency of the sector's country, every section filled,
 *   to which the sector's agency holds case access; the sector's staff member asks for every
 *   field of the section (selections generated from the schema the hub serves). Three records per sector:
 *   "with consent" (an active consent covering the four case sectors and every section),
 *   "no consent, adult" and "no consent, minor". A section is visible when the policy grants it
 *   `write` (own), or `read` and a consent covers the sector and the section, or `read` and the
 *   record is a minor and the policy's `minorsWithoutConsent` names the section. Visible: every
 *   field carries a value and is not in redactedFields; otherwise: null and listed there. REFERENCE
 *   fields (caseNumber) stay visible to anyone who sees the record (OVERSIGHT sees only those).
 *   The READ audit event lists the returned fields in `fields` and the withheld in
 *   `denied_fields`. A role that reads no records (ADMINISTRATION) is FORBIDDEN, with a DENY event.
 * - update / create: the section's write path as the sector's caseworker (or its only role), on a
 *   fresh record (see the write-path table in test/support/matrix.ts for what create and update
 *   mean per section, including the summary sections, which have no rows of their own and map to
 *   the closest path). Allowed iff the policy grants `write` on the section and on every field the
 *   operation writes (an assessment also writes HEALTH_FLAGS, a session's engagement status also
 *   PSYCHOSOCIAL, a document status DOCUMENTS) and, to register, `registersReturnees`. Allowed:
 *   the stored value (read back with SQL) changes as sent, with SUCCESS CREATE/UPDATE events and
 *   no DENY. Refused: FORBIDDEN, one DENY event (outcome DENIED) naming the fields the sector may
 *   not write, and the stored value unchanged (nothing created).
 */

const CASE_SECTORS = ['HEALTH', 'EDUCATION', 'SOCIAL', 'NGO'] as const;
/** A record with a value in every field of every section (with fillSections and addAssessment). */
const FULL_RECORD: Partial<Returnee> = {
  patronymic: 'Serikovna',
  dateOfBirthEstimated: true,
  status: 'RESETTLED',
  guardianName: 'Saule Nurlanova',
  guardianRelation: 'grandmother',
};
const MINOR_DATE_OF_BIRTH = '2015-04-01';

let hub: HubServer;
let db: Client;
/** The schema the hub serves: read selections are generated from it. */
let schema: GraphQLSchema;
/** Agencies that register and fill the fixtures (not under test). */
const owners = {} as Record<(typeof CASE_SECTORS)[number], StaffFixture>;

beforeAll(async () => {
  hub = await startHub();
  schema = await buildHubSchema();
  db = await sqlClient();
  for (const s of CASE_SECTORS) owners[s] = await makeSectorUser(hub.db.orm, s);
});
afterAll(async () => {
  await db?.end();
  await hub?.stop();
});

/**
 * A record registered by the SOCIAL owner, shared with `user`'s agency through case access;
 * `filled`: every section has data (its guardian, when given, is a returnee in the same scope).
 */
async function newRecord(
  user: StaffFixture,
  opts: { filled: boolean; guardianReturneeId?: string } & Partial<RecordState>,
): Promise<Returnee> {
  const orm = hub.db.orm;
  // An agreement belongs to the agency that registered the record: a record under one (in force
  // or ended) is registered by an agency of its own, so no other record of the suite falls under it.
  const holder = opts.agreement ? await makeAgency(orm, 'SOCIAL') : owners.SOCIAL.agency;
  if (opts.agreement) await makeAgreement(orm, holder, user, opts.agreement === 'expired' ? { validUntil: '2021-12-31' } : {});
  const r = await makeReturnee(orm, holder, {
    ...FULL_RECORD,
    guardianReturneeId: opts.guardianReturneeId,
    ...(opts.minor ? { dateOfBirth: MINOR_DATE_OF_BIRTH } : {}),
  });
  await grantAccess(orm, r, user.agency);
  if (opts.filled) {
    await fillSections(orm, r, owners);
    await addAssessment(orm, r, owners.HEALTH);
  }
  if (opts.consent) await giveConsent(orm, r, owners.SOCIAL, opts.consent.sectors as Sector[], opts.consent.sections);
  // A break-glass window of the reader on the record, as breakGlass would open it (its sections
  // come from the policy; the read rules look only at the window and the database's clock).
  if (opts.window) {
    const ended = opts.window === 'expired';
    await db.query(
      `insert into break_glass (id, actor_id, agency_id, returnee_id, record_agency_id, country, reason_code, reason_text, sections,
         outside_scope, opened_at, expires_at)
       values ($1, $2, $3, $4, $5, 'KZ', 'RISK_TO_LIFE', 'policy matrix', '{}', false, now() - $6::interval, now() + $7::interval)`,
      [randomUUID(), user.staff.id, user.agency.id, r.id, holder.id, ended ? '5 hours' : '0', ended ? '-1 hour' : '1 hour'],
    );
  }
  return r;
}

async function eventsOf(user: StaffFixture, requestId: string): Promise<AuditRow[]> {
  return (
    await db.query<AuditRow>('select * from audit_event where staff_id = $1 and request_id = $2 order by id', [user.staff.id, requestId])
  ).rows;
}

const isEmpty = (v: unknown) => v === null || v === undefined || (Array.isArray(v) && v.length === 0);
const letters = (hex: string) => hex.replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)]);

describe('the generated matrix', () => {
  it('covers every sector × section of DESIGN.md §3 with read, create and update cases', () => {
    expect([...MATRIX_SECTIONS]).toEqual([
      'IDENTITY',
      'CONTACT',
      'HEALTH',
      'HEALTH_FLAGS',
      'EDUCATION',
      'EDUCATION_SUMMARY',
      'DOCUMENTS',
      'DOCUMENTS_STATUS',
      'SOCIAL_SUPPORT',
      'PSYCHOSOCIAL',
      'PSYCHOSOCIAL_SUMMARY',
    ]);
    expect([...MATRIX_SECTORS]).toEqual(Object.keys(POLICIES));
    for (const sector of MATRIX_SECTORS) {
      const reads = readCases(sector);
      const writes = writeCases(sector);
      for (const section of MATRIX_SECTIONS) {
        expect(reads.filter((c) => c.section === section)).toHaveLength(Object.keys(READ_RECORDS).length);
        expect(writes.filter((c) => c.section === section).map((c) => c.action)).toEqual(['create', 'update']);
      }
    }
  });
});

describe.each(MATRIX_SECTORS)('%s', (sector) => {
  const policy = POLICIES[sector];
  let user: StaffFixture;
  const records = {} as Record<ReadRecordKey, string>;

  beforeAll(async () => {
    user = await makeSectorUser(hub.db.orm, sector, [matrixRole(policy)]);
    const guardian = await newRecord(user, { filled: false });
    for (const key of Object.keys(READ_RECORDS) as ReadRecordKey[]) {
      records[key] = (await newRecord(user, { filled: true, guardianReturneeId: guardian.id, ...READ_RECORDS[key] })).id;
    }
  });

  describe('read', () => {
    it.each(readCases(sector))('$name', async (c: ReadCase) => {
      const id = records[c.record];
      const res = await gql(hub, user.token, sectionReadQuery(schema, c.section), { id });
      const events = await eventsOf(user, res.headers.get('x-request-id')!);

      if (c.visible === null) {
        expect(errorCode(res)).toBe('FORBIDDEN');
        expect(res.data ?? null).toBeNull();
        expect(events.map((e) => [e.action, e.outcome, e.entity_type])).toEqual([['DENY', 'DENIED', 'Returnee']]);
        return;
      }
      expect(res.errors).toBeUndefined();
      const record = res.data.returnee;
      const wrong: string[] = [];
      for (const f of c.visible) {
        if (isEmpty(record[f])) wrong.push(`${f}: readable, but came back ${JSON.stringify(record[f])}`);
        if (record.redactedFields.includes(f)) wrong.push(`${f}: readable, but listed in redactedFields`);
      }
      for (const f of c.hidden) {
        if (record[f] !== null) wrong.push(`${f}: not readable, but came back ${JSON.stringify(record[f])}`);
        if (!record.redactedFields.includes(f)) wrong.push(`${f}: not readable, but missing from redactedFields`);
      }
      expect(wrong).toEqual([]);

      // Household members the record names are read too (their id and case number), each with its own event.
      const members = events.filter((e) => e.entity_id !== id);
      expect(members.map((e) => [e.action, e.entity_type, e.entity_id, e.fields])).toEqual(
        ((record.household ?? []) as { id: string }[]).map((m) => ['READ', 'Returnee', m.id, ['id', 'caseNumber']]),
      );
      const own = events.filter((e) => e.entity_id === id);
      expect(own).toHaveLength(1);
      const [event] = own;
      expect(event).toMatchObject({ action: 'READ', outcome: 'SUCCESS', entity_type: 'Returnee', returnee_id: id, operation: 'returnee' });
      const audited: string[] = [];
      for (const f of c.visible) {
        if (!event.fields.includes(f)) audited.push(`${f}: returned, but not in the event's fields`);
        if (event.denied_fields.includes(f)) audited.push(`${f}: returned, but in the event's denied_fields`);
      }
      for (const f of c.hidden) {
        if (!event.denied_fields.includes(f)) audited.push(`${f}: withheld, but not in the event's denied_fields`);
        if (event.fields.includes(f)) audited.push(`${f}: withheld, but in the event's fields`);
      }
      for (const f of event.fields) {
        if (!c.visible.includes(f) && !SECTION_FIELDS.REFERENCE.includes(f))
          audited.push(`${f}: in the event's fields, but neither asked for nor returned`);
      }
      for (const f of event.denied_fields) if (!c.hidden.includes(f)) audited.push(`${f}: in the event's denied_fields, but not withheld`);
      expect(audited).toEqual([]);

      // The event names the basis of each section returned, as the policy file says it holds.
      const shownSections = new Set(
        c.visible.map((f) => (SECTION_FIELDS.REFERENCE.includes(f) ? Section.REFERENCE : c.section)).concat(Section.REFERENCE),
      );
      const basis = (event as unknown as { basis: { section: string; kind: string }[] }).basis;
      expect(basis.map((b) => [b.section, b.kind])).toEqual(
        [...shownSections].sort().map((s) => [s, expectedBasis(policy, READ_RECORDS[c.record], s, matrixRole(policy))]),
      );
    });
  });

  /** A fresh record (or, for registrations, a fresh name) for each write, so writes never meet. */
  async function target(c: WriteCase): Promise<WriteTarget> {
    const hex = randomUUID().replace(/-/g, '').slice(0, 10);
    const marker = `m${hex}`;
    const familyName = `Matrix${letters(hex)}`;
    if (c.path.target === 'none') return { returneeId: null, version: 0, marker, familyName };
    const r = await newRecord(user, { filled: c.path.target === 'filled' });
    const { version } = (await db.query('select version from returnee where id = $1', [r.id])).rows[0];
    return { returneeId: r.id, version, marker, familyName };
  }

  describe.each(['update', 'create'] as const)('%s', (action) => {
    it.each(writeCases(sector).filter((c) => c.action === action))('$name', async (c: WriteCase) => {
      const t = await target(c);
      const before = await c.path.probe(db, t);
      const { query, variables } = c.path.request(t);
      const res = await gql(hub, user.token, query, variables);
      const after = await c.path.probe(db, t);
      const events = await eventsOf(user, res.headers.get('x-request-id')!);

      if (c.allowed) {
        expect(res.errors).toBeUndefined();
        expect(after).toEqual(c.path.expected(before, t));
        expect(after).not.toEqual(before);
        const returneeId = t.returneeId ?? res.data[c.path.mutation].returnee.id;
        expect(events.filter((e) => e.action === 'DENY' || e.outcome !== 'SUCCESS')).toEqual([]);
        const writes = events.filter((e) => e.action === 'CREATE' || e.action === 'UPDATE');
        for (const expected of c.path.events) {
          expect(writes).toContainEqual(
            expect.objectContaining({ action: expected.action, entity_type: expected.entityType, returnee_id: returneeId }),
          );
        }
        for (const e of writes) {
          expect(e).toMatchObject({ returnee_id: returneeId, operation: c.path.mutation, denied_fields: [] });
          // A change of the record itself names only fields the operation writes (never values).
          if (e.entity_type === 'Returnee') for (const f of e.fields) expect(c.path.fields).toContain(f);
        }
        return;
      }

      expect(errorCode(res)).toBe(c.refusal);
      expect(res.data ?? null).toBeNull();
      expect(after).toEqual(before);
      expect(events).toHaveLength(1);
      if (c.refusal === 'FORBIDDEN') {
        expect(events[0]).toMatchObject({
          action: 'DENY',
          outcome: 'DENIED',
          returnee_id: t.returneeId,
          operation: c.path.mutation,
          fields: [],
        });
        expect([...events[0].denied_fields].sort()).toEqual([...c.deniedFields].sort());
      } else {
        expect(events[0]).toMatchObject({ outcome: 'NOT_FOUND', returnee_id: t.returneeId, operation: c.path.mutation });
      }
    });
  });
});
