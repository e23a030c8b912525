import type { HubServer } from '../src/server';
import { auditRowsFor } from './support/audit';
import { giveConsent, grantAccess, makeReturnee, makeSectorUser, type StaffFixture } from './support/factories';
import { gql, sqlClient, startHub } from './support/hub';
import { healthPolicy } from '../policies/health.policy';

/**
 * Every READ event names the basis of each section it disclosed (issue 14, item 3): the
 * record's reference and the caller's own sections (OWN_SECTOR), another sector's section
 * under a consent (CONSENT and the consent's id), a minor's section under the policy's named
 * legal duty (LEGAL_DUTY and its words). The basis is what held at the moment of the read: a
 * later revocation changes no past event. Over HTTP, against PostgreSQL.
 */
const RECORD = `query($id: ID!) { returnee(id: $id) { id caseNumber givenName followUpNeeded phone enrolmentStatus redactedFields } }`;
const LIST = `query { returnees(first: 50) { nodes { id caseNumber givenName followUpNeeded } } }`;

let hub: HubServer;
let social: StaffFixture;
let health: StaffFixture;

beforeAll(async () => {
  hub = await startHub();
  social = await makeSectorUser(hub.db.orm, 'SOCIAL');
  health = await makeSectorUser(hub.db.orm, 'HEALTH');
});
afterAll(() => hub.stop());

type Basis = { section?: string; kind: string; ref?: string; legalBasis?: string };
const bySection = (basis: Basis[] | null) => Object.fromEntries((basis ?? []).map((b) => [b.section, b]));

async function readEvents(staffId: string, returneeId: string) {
  return (await auditRowsFor(staffId)).filter((e) => e.action === 'READ' && e.returnee_id === returneeId) as unknown as {
    basis: Basis[] | null;
    basis_keys: string[] | null;
    fields: string[];
  }[];
}

it('names the consent that opened another sector’s section, and keeps it after the consent is revoked', async () => {
  const orm = hub.db.orm;
  const adult = await makeReturnee(orm, social.agency);
  await grantAccess(orm, adult, health.agency);
  const consent = await giveConsent(orm, adult, social, ['HEALTH'], ['IDENTITY', 'CONTACT']);

  const res = await gql(hub, health.token, RECORD, { id: adult.id });
  expect(res.errors).toBeUndefined();
  expect(res.data.returnee).toMatchObject({ givenName: 'Aigerim', phone: '+7 701 555 0101', enrolmentStatus: null });
  const [first] = await readEvents(health.staff.id, adult.id);
  expect(bySection(first.basis)).toEqual({
    REFERENCE: { section: 'REFERENCE', kind: 'OWN_SECTOR' },
    IDENTITY: { section: 'IDENTITY', kind: 'CONSENT', ref: consent.id },
    CONTACT: { section: 'CONTACT', kind: 'CONSENT', ref: consent.id },
    HEALTH_FLAGS: { section: 'HEALTH_FLAGS', kind: 'OWN_SECTOR' },
  });
  expect(first.basis_keys).toEqual(['CONSENT', `CONSENT:${consent.id}`, 'OWN_SECTOR']);

  // Revoked: the next read no longer shows those sections, and the first event keeps its basis.
  const sql = await sqlClient();
  try {
    await sql.query('update consent set revoked_at = now() where id = $1', [consent.id]);
  } finally {
    await sql.end();
  }
  const after = await gql(hub, health.token, RECORD, { id: adult.id });
  expect(after.data.returnee.givenName).toBeNull();
  const events = await readEvents(health.staff.id, adult.id);
  expect(events).toHaveLength(2);
  expect(bySection(events[0].basis).IDENTITY).toEqual({ section: 'IDENTITY', kind: 'CONSENT', ref: consent.id });
  expect(bySection(events[1].basis)).toEqual({
    REFERENCE: { section: 'REFERENCE', kind: 'OWN_SECTOR' },
    HEALTH_FLAGS: { section: 'HEALTH_FLAGS', kind: 'OWN_SECTOR' },
  });
});

it('names the policy’s legal duty for a minor’s section read without consent', async () => {
  const orm = hub.db.orm;
  const child = await makeReturnee(orm, social.agency, { dateOfBirth: '2017-04-02' });
  await grantAccess(orm, child, health.agency);
  await gql(hub, health.token, RECORD, { id: child.id });
  const [event] = await readEvents(health.staff.id, child.id);
  const legalBasis = healthPolicy.minorsWithoutConsent!.legalBasis;
  expect(bySection(event.basis)).toMatchObject({
    IDENTITY: { kind: 'LEGAL_DUTY', legalBasis },
    CONTACT: { kind: 'LEGAL_DUTY', legalBasis },
  });
  expect(event.basis_keys).toContain('LEGAL_DUTY');
});

it('gives every READ event of a list page and of the history its basis', async () => {
  const orm = hub.db.orm;
  const nurse = await makeSectorUser(orm, 'HEALTH');
  const a = await makeReturnee(orm, social.agency);
  const b = await makeReturnee(orm, social.agency, { dateOfBirth: '2015-01-01' });
  for (const r of [a, b]) await grantAccess(orm, r, nurse.agency);
  const consent = await giveConsent(orm, a, social, ['HEALTH'], ['IDENTITY']);
  const res = await gql(hub, nurse.token, LIST);
  expect(res.errors).toBeUndefined();
  expect(res.data.returnees.nodes).toHaveLength(2);
  await gql(hub, nurse.token, `query($id: ID!) { returneeHistory(returneeId: $id) { id } }`, { id: a.id });
  const events = (await auditRowsFor(nurse.staff.id)) as unknown as {
    action: string;
    outcome: string;
    returnee_id: string;
    basis: Basis[] | null;
  }[];
  const reads = events.filter((e) => e.action === 'READ' && e.outcome === 'SUCCESS');
  expect(reads.length).toBeGreaterThanOrEqual(2);
  for (const e of reads) expect(e.basis?.length).toBeGreaterThan(0);
  const ofA = reads.find((e) => e.returnee_id === a.id)!;
  const ofB = reads.find((e) => e.returnee_id === b.id)!;
  expect(bySection(ofA.basis).IDENTITY).toEqual({ section: 'IDENTITY', kind: 'CONSENT', ref: consent.id });
  expect(bySection(ofB.basis).IDENTITY).toMatchObject({ kind: 'LEGAL_DUTY' });
});

it('lets an auditor filter the trail by basis and see the disclosure report grouped by basis, through the index', async () => {
  const orm = hub.db.orm;
  const auditor = await makeSectorUser(orm, 'OVERSIGHT', ['AUDITOR']);
  const person = await makeReturnee(orm, social.agency);
  await grantAccess(orm, person, health.agency);
  const consent = await giveConsent(orm, person, social, ['HEALTH'], ['IDENTITY']);
  const other = await giveConsent(orm, person, social, ['NGO'], ['IDENTITY']);
  await gql(hub, health.token, RECORD, { id: person.id });
  await gql(hub, social.token, RECORD, { id: person.id });

  const EVENTS = `query($f: AuditEventFilter) { auditEvents(filter: $f, first: 50) { totalCount nodes { staff { id } basis { section kind ref } } } }`;
  const underConsent = await gql(hub, auditor.token, EVENTS, { f: { returneeId: person.id, basis: 'CONSENT', basisRef: consent.id } });
  expect(underConsent.errors).toBeUndefined();
  expect(underConsent.data.auditEvents.totalCount).toBe(1);
  expect(underConsent.data.auditEvents.nodes[0].staff.id).toBe(health.staff.id);
  expect(underConsent.data.auditEvents.nodes[0].basis).toContainEqual({ section: 'IDENTITY', kind: 'CONSENT', ref: consent.id });
  const none = await gql(hub, auditor.token, EVENTS, { f: { returneeId: person.id, basis: 'CONSENT', basisRef: other.id } });
  expect(none.data.auditEvents.totalCount).toBe(0);
  const bad = await gql(hub, auditor.token, EVENTS, { f: { basisRef: consent.id } });
  expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

  const REPORT = `query($id: ID!) { disclosureReport(returneeId: $id) { byBasis { kind ref sections agencies { id } times } } }`;
  const report = await gql(hub, auditor.token, REPORT, { id: person.id });
  expect(report.errors).toBeUndefined();
  const byBasis = report.data.disclosureReport.byBasis as {
    kind: string;
    ref: string | null;
    sections: string[];
    agencies: { id: string }[];
  }[];
  expect(byBasis.find((b) => b.kind === 'CONSENT')).toEqual({
    kind: 'CONSENT',
    ref: consent.id,
    sections: ['IDENTITY'],
    agencies: [{ id: health.agency.id }],
    times: 1,
  });
  // Own sections of each reader (the auditor's own reads of the trail name the record's reference).
  const own = byBasis.find((b) => b.kind === 'OWN_SECTOR')!.agencies.map((a) => a.id);
  expect(own).toEqual(expect.arrayContaining([health.agency.id, social.agency.id, auditor.agency.id]));

  // The filter is answered from the GIN index over basis_keys, not by reading the trail.
  const sql = await sqlClient();
  try {
    await sql.query('set enable_seqscan = off');
    const plan = await sql.query(`explain select id from audit_event e where e.basis_keys @> array[$1]::text[]`, [`CONSENT:${consent.id}`]);
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/Index Scan on audit_event\w*basis_keys_i(ndex|dx)/); // the parent's index, or each month partition's
  } finally {
    await sql.end();
  }
});
