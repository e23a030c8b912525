import { randomUUID } from 'node:crypto';
import type { HubServer } from '../src/server';
import { auditRowsFor } from './support/audit';
import { grantAccess, makeReturnee, makeSectorUser, makeStaff, type StaffFixture } from './support/factories';
import { fillSections } from './support/section-factories';
import { errorCode, gql, startHub, sqlRows } from './support/hub';

/**
 * Break-glass (issue 14, item 2) over HTTP against PostgreSQL: who may break the glass is the
 * policy's `breakGlass` (policies/health.policy.ts, social.policy.ts); a window opens a record
 * outside the caller's scope (or consent-gated sections) until it closes or expires, checked by
 * the database's clock on every request; every read under it names the window (basis
 * BREAK_GLASS); refusals are DENY events; supervisors of both agencies review it afterwards.
 */
const RECORD = `query($id: ID!) { returnee(id: $id) {
  id caseNumber givenName phone healthAssessments { id } socialSupport { kind } supportSessions { id } civilDocuments { number }
  redactedFields revealedByBreakGlass } }`;
const WINDOW = `id returneeId openedBy reasonCode sections outsideScope openedAt expiresAt closedAt open reviewOutcome reviewOverdue
  reviews { side outcome note agency { id } }`;
const BREAK = `mutation($input: BreakGlassInput!) { breakGlass(input: $input) { ${WINDOW} } }`;
const CLOSE = `mutation($id: ID!) { closeBreakGlass(id: $id) { ${WINDOW} } }`;
const REVIEW = `mutation($input: ReviewBreakGlassInput!) { reviewBreakGlass(input: $input) { ${WINDOW} } }`;
const QUEUE = `query($s: BreakGlassReviewStatus) { breakGlassReviews(status: $s, first: 100) { totalCount nodes { id reviewOverdue } } }`;

let hub: HubServer;
const u = {} as Record<'EDUCATION' | 'SOCIAL' | 'NGO', StaffFixture>;

beforeAll(async () => {
  hub = await startHub();
  for (const s of ['EDUCATION', 'SOCIAL', 'NGO'] as const) u[s] = await makeSectorUser(hub.db.orm, s);
});
afterAll(() => hub.stop());

const sql = sqlRows;

/** A record of the social agency with every section filled, outside any health agency's scope. */
async function record() {
  const r = await makeReturnee(hub.db.orm, u.SOCIAL.agency);
  await fillSections(hub.db.orm, r, u);
  return r;
}

const input = (returneeId: string, extra: Record<string, unknown> = {}) => ({
  returneeId,
  reasonCode: 'CHILD_HEALTH_EMERGENCY',
  reasonText: 'Child brought in unconscious, guardian unknown',
  ...extra,
});

async function open(who: StaffFixture, returneeId: string, extra: Record<string, unknown> = {}) {
  const res = await gql(hub, who.token, BREAK, { input: input(returneeId, extra) });
  expect(res.errors).toBeUndefined();
  return res.data.breakGlass as {
    id: string;
    open: boolean;
    sections: string[];
    openedAt: string;
    expiresAt: string;
    outsideScope: boolean;
  };
}

async function lastRead(who: StaffFixture, id: string) {
  const reads = (await auditRowsFor(who.staff.id)).filter(
    (e) => e.action === 'READ' && e.entity_type === 'Returnee' && e.returnee_id === id,
  );
  return reads.at(-1) as unknown as { fields: string[]; basis: { section: string; kind: string; ref?: string }[] };
}

it('opens a record outside the scope for the window only, names the window on every read, and closing cuts access on the next request', async () => {
  const clinic = await makeSectorUser(hub.db.orm, 'HEALTH');
  const r = await record();
  expect(errorCode(await gql(hub, clinic.token, RECORD, { id: r.id }))).toBe('NOT_FOUND');

  const w = await open(clinic, r.id, { minutes: 30 });
  expect(w).toMatchObject({
    open: true,
    outsideScope: true,
    sections: ['IDENTITY', 'CONTACT', 'HEALTH', 'HEALTH_FLAGS', 'SOCIAL_SUPPORT', 'PSYCHOSOCIAL_SUMMARY'],
  });
  expect(Date.parse(w.expiresAt) - Date.parse(w.openedAt)).toBe(30 * 60_000);
  const created = (await auditRowsFor(clinic.staff.id)).find((e) => e.action === 'CREATE' && e.entity_type === 'BreakGlass');
  expect(created).toMatchObject({ entity_id: w.id, returnee_id: r.id, outcome: 'SUCCESS' });

  const res = await gql(hub, clinic.token, RECORD, { id: r.id });
  expect(res.errors).toBeUndefined();
  const seen = res.data.returnee;
  expect(seen).toMatchObject({
    givenName: 'Aigerim',
    phone: '+7 701 555 0101',
    socialSupport: [{ kind: 'BENEFIT' }],
    healthAssessments: [],
  });
  // Sections the window does not name stay closed: psychosocial sessions, civil documents.
  expect(seen.supportSessions).toBeNull();
  expect(seen.civilDocuments).toBeNull();
  expect(seen.redactedFields).toEqual(expect.arrayContaining(['supportSessions', 'civilDocuments']));
  expect(seen.revealedByBreakGlass).toEqual(
    expect.arrayContaining(['id', 'caseNumber', 'givenName', 'phone', 'socialSupport', 'healthAssessments']),
  );
  const read = await lastRead(clinic, r.id);
  expect(read.basis.length).toBeGreaterThan(0);
  for (const b of read.basis) expect(b).toMatchObject({ kind: 'BREAK_GLASS', ref: w.id });
  expect(read.basis.map((b) => b.section).sort()).toEqual(['CONTACT', 'HEALTH', 'IDENTITY', 'REFERENCE', 'SOCIAL_SUPPORT']);

  const closed = await gql(hub, clinic.token, CLOSE, { id: w.id });
  expect(closed.errors).toBeUndefined();
  expect(closed.data.closeBreakGlass).toMatchObject({ open: false, closedAt: expect.any(String) });
  expect(errorCode(await gql(hub, clinic.token, RECORD, { id: r.id }))).toBe('NOT_FOUND');
  expect(errorCode(await gql(hub, clinic.token, CLOSE, { id: w.id }))).toBe('CONFLICT');
});

it('ends at expiry by the database clock, and opens only the consent-gated sections of a record already in scope', async () => {
  const clinic = await makeSectorUser(hub.db.orm, 'HEALTH');
  const r = await record();
  await grantAccess(hub.db.orm, r, clinic.agency);
  const before = (await gql(hub, clinic.token, RECORD, { id: r.id })).data.returnee;
  expect(before).toMatchObject({ givenName: null, socialSupport: null, revealedByBreakGlass: [] });

  const w = await open(clinic, r.id);
  expect(w.outsideScope).toBe(false);
  expect(Date.parse(w.expiresAt) - Date.parse(w.openedAt)).toBe(4 * 3600_000); // the policy's time box by default
  const during = (await gql(hub, clinic.token, RECORD, { id: r.id })).data.returnee;
  expect(during).toMatchObject({ givenName: 'Aigerim', socialSupport: [{ kind: 'BENEFIT' }] });
  expect(during.revealedByBreakGlass).not.toContain('id');
  expect(during.revealedByBreakGlass).toEqual(expect.arrayContaining(['givenName', 'socialSupport']));
  const read = await lastRead(clinic, r.id);
  expect(read.basis).toContainEqual({ section: 'REFERENCE', kind: 'OWN_SECTOR' });
  expect(read.basis).toContainEqual({ section: 'SOCIAL_SUPPORT', kind: 'BREAK_GLASS', ref: w.id });

  // The window ran out (in the database's time): the next request is back to the policy alone.
  await sql(`update break_glass set opened_at = now() - interval '5 hours', expires_at = now() - interval '1 hour' where id = $1`, [w.id]);
  const after = (await gql(hub, clinic.token, RECORD, { id: r.id })).data.returnee;
  expect(after).toMatchObject({ givenName: null, socialSupport: null, revealedByBreakGlass: [] });
  expect((await lastRead(clinic, r.id)).basis.map((b) => b.kind)).not.toContain('BREAK_GLASS');
});

it('refuses sectors, roles and reasons the policy does not name, with a DENY event, and windows beyond the time box', async () => {
  const r = await record();
  const refused = [
    await makeSectorUser(hub.db.orm, 'NGO'),
    await makeSectorUser(hub.db.orm, 'EDUCATION', ['SUPERVISOR']),
    await makeSectorUser(hub.db.orm, 'SOCIAL'), // a caseworker: social protection lets supervisors only
    await makeSectorUser(hub.db.orm, 'OVERSIGHT', ['AUDITOR']),
  ];
  for (const who of refused) {
    const res = await gql(hub, who.token, BREAK, { input: input(r.id, { reasonCode: 'RISK_TO_LIFE' }) });
    expect(errorCode(res)).toBe('FORBIDDEN');
    const deny = (await auditRowsFor(who.staff.id)).filter((e) => e.action === 'DENY' && e.entity_type === 'BreakGlass');
    expect(deny).toEqual([expect.objectContaining({ returnee_id: r.id, outcome: 'DENIED' })]);
  }
  const clinic = await makeSectorUser(hub.db.orm, 'HEALTH');
  expect(errorCode(await gql(hub, clinic.token, BREAK, { input: input(r.id, { reasonCode: 'SAFEGUARDING' }) }))).toBe('FORBIDDEN');
  expect((await auditRowsFor(clinic.staff.id)).filter((e) => e.action === 'DENY')).toHaveLength(1);
  expect(errorCode(await gql(hub, clinic.token, BREAK, { input: input(r.id, { minutes: 241 }) }))).toBe('BAD_USER_INPUT');
  // Not a record of the country (or none at all): nothing to open.
  const abroad = await makeReturnee(hub.db.orm, (await makeSectorUser(hub.db.orm, 'SOCIAL', ['CASEWORKER'], 'KG')).agency);
  expect(errorCode(await gql(hub, clinic.token, BREAK, { input: input(abroad.id) }))).toBe('NOT_FOUND');
  expect(errorCode(await gql(hub, clinic.token, BREAK, { input: input(randomUUID()) }))).toBe('NOT_FOUND');
  // A social-protection supervisor may, for its reasons.
  const chief = await makeSectorUser(hub.db.orm, 'SOCIAL', ['SUPERVISOR']);
  expect((await open(chief, r.id, { reasonCode: 'SAFEGUARDING', minutes: 120 })).open).toBe(true);
  expect(errorCode(await gql(hub, chief.token, BREAK, { input: input(r.id, { reasonCode: 'SAFEGUARDING' }) }))).toBe('CONFLICT');
  const rows = await sql('select count(*)::int as n from break_glass where returnee_id = $1', [r.id]);
  expect(rows[0].n).toBe(1);
});

it('offers breakGlassAvailable only to callers who may break the glass, identically for unknown and existing ids', async () => {
  const r = await record();
  const mayBreak = [await makeSectorUser(hub.db.orm, 'HEALTH'), await makeSectorUser(hub.db.orm, 'SOCIAL', ['SUPERVISOR'])];
  const mayNot = [
    await makeSectorUser(hub.db.orm, 'NGO'),
    await makeSectorUser(hub.db.orm, 'EDUCATION'),
    await makeSectorUser(hub.db.orm, 'SOCIAL'),
  ];
  const errorOf = async (who: StaffFixture, id: string) => {
    const res = await gql(hub, who.token, RECORD, { id });
    expect(res.data?.returnee ?? null).toBeNull();
    return res.errors![0];
  };
  for (const who of [...mayBreak, ...mayNot]) {
    const existing = await errorOf(who, r.id);
    const unknown = await errorOf(who, randomUUID());
    expect(existing).toEqual(unknown); // byte for byte: message, code, extensions, path
    expect(existing.extensions?.code).toBe('NOT_FOUND');
    expect(existing.extensions?.breakGlassAvailable).toBe(mayBreak.includes(who) ? true : undefined);
  }
});

it('asks a supervisor of each agency to review, shows the queue to them and the auditors only, and records the outcome', async () => {
  const orm = hub.db.orm;
  const clinic = await makeSectorUser(orm, 'HEALTH');
  const clinicChief = await makeStaff(orm, clinic.agency, ['SUPERVISOR']);
  const holderChief = await makeStaff(orm, u.SOCIAL.agency, ['SUPERVISOR']);
  const stranger = await makeSectorUser(orm, 'HEALTH', ['SUPERVISOR']);
  const auditor = await makeSectorUser(orm, 'OVERSIGHT', ['AUDITOR']);
  const r = await record();
  const w = await open(clinic, r.id);
  expect((await gql(hub, clinic.token, RECORD, { id: r.id })).errors).toBeUndefined(); // a read under the window
  const ids = async (who: StaffFixture, s = 'PENDING') => {
    const res = await gql(hub, who.token, QUEUE, { s });
    expect(res.errors).toBeUndefined();
    return (res.data.breakGlassReviews.nodes as { id: string }[]).map((n) => n.id);
  };
  expect(await ids(clinicChief)).toContain(w.id);
  expect(await ids(holderChief)).toContain(w.id);
  expect(await ids(auditor)).toContain(w.id);
  expect(await ids(stranger)).not.toContain(w.id);
  const caseworkerQueue = await gql(hub, clinic.token, QUEUE, {});
  expect(errorCode(caseworkerQueue)).toBe('FORBIDDEN');
  expect((await auditRowsFor(clinic.staff.id)).filter((e) => e.action === 'DENY' && e.entity_type === 'BreakGlass')).toHaveLength(1);

  const note = (id: string, outcome: string) => ({ input: { id, outcome, note: 'Reviewed with the attending doctor' } });
  expect(errorCode(await gql(hub, clinic.token, REVIEW, note(w.id, 'JUSTIFIED')))).toBe('FORBIDDEN');
  expect(errorCode(await gql(hub, stranger.token, REVIEW, note(w.id, 'JUSTIFIED')))).toBe('NOT_FOUND');
  const first = await gql(hub, clinicChief.token, REVIEW, note(w.id, 'JUSTIFIED'));
  expect(first.errors).toBeUndefined();
  expect(first.data.reviewBreakGlass).toMatchObject({ reviewOutcome: null, reviews: [{ side: 'ACTOR_AGENCY', outcome: 'JUSTIFIED' }] });
  expect(errorCode(await gql(hub, clinicChief.token, REVIEW, note(w.id, 'NOT_JUSTIFIED')))).toBe('CONFLICT');
  const second = await gql(hub, holderChief.token, REVIEW, note(w.id, 'NOT_JUSTIFIED'));
  expect(second.data.reviewBreakGlass).toMatchObject({ reviewOutcome: 'NOT_JUSTIFIED' });
  expect(second.data.reviewBreakGlass.reviews.map((v: { side: string }) => v.side)).toEqual(['ACTOR_AGENCY', 'RECORD_AGENCY']);
  expect(await ids(holderChief, 'REVIEWED')).toContain(w.id);
  expect(await ids(holderChief)).not.toContain(w.id);
  const updates = (await auditRowsFor(holderChief.staff.id)).filter((e) => e.action === 'UPDATE' && e.entity_type === 'BreakGlass');
  expect(updates).toEqual([expect.objectContaining({ entity_id: w.id, returnee_id: r.id, outcome: 'SUCCESS' })]);

  // The person's statement (produced by the registering agency) shows the opening with its review outcome.
  const statement = await gql(
    hub,
    u.SOCIAL.token,
    `query($id: ID!) { disclosureStatement(returneeId: $id, language: "en") { entries { sentence basis { kind ref breakGlassReview } } } }`,
    { id: r.id },
  );
  expect(statement.errors).toBeUndefined();
  const underWindow = (statement.data.disclosureStatement.entries as { sentence: string; basis: { kind: string; ref: string } }[]).filter(
    (e) => e.basis.kind === 'BREAK_GLASS',
  );
  expect(underWindow.length).toBeGreaterThan(0);
  for (const e of underWindow) expect(e.basis).toEqual({ kind: 'BREAK_GLASS', ref: w.id, breakGlassReview: 'NOT_JUSTIFIED' });
});

it('shows unreviewed openings older than the review period to the auditors and on /metrics', async () => {
  const clinic = await makeSectorUser(hub.db.orm, 'HEALTH');
  const auditor = await makeSectorUser(hub.db.orm, 'OVERSIGHT', ['AUDITOR']);
  const r = await record();
  const w = await open(clinic, r.id);
  const scrape = async () => {
    await new Promise((resolve) => setTimeout(resolve, 600)); // past the gauge's snapshot
    const text = await (await fetch(`${hub.url}/metrics`)).text();
    return Number(/^hub_break_glass_reviews_overdue (\d+)$/m.exec(text)![1]);
  };
  const overdue = async () => {
    const res = await gql(hub, auditor.token, QUEUE, { s: 'OVERDUE' });
    expect(res.errors).toBeUndefined();
    return res.data.breakGlassReviews.nodes as { id: string; reviewOverdue: boolean }[];
  };
  const before = await scrape();
  expect((await overdue()).map((n) => n.id)).not.toContain(w.id);
  await sql(
    `update break_glass set opened_at = now() - interval '4 days', expires_at = now() - interval '4 days' + interval '1 hour' where id = $1`,
    [w.id],
  );
  expect(await overdue()).toContainEqual({ id: w.id, reviewOverdue: true });
  expect(await scrape()).toBe(before + 1);
});

it('lets an auditor find every disclosure under a break-glass and see it grouped in the disclosure report', async () => {
  const clinic = await makeSectorUser(hub.db.orm, 'HEALTH');
  const auditor = await makeSectorUser(hub.db.orm, 'OVERSIGHT', ['AUDITOR']);
  const r = await record();
  const w = await open(clinic, r.id);
  await gql(hub, clinic.token, RECORD, { id: r.id });
  await gql(hub, clinic.token, RECORD, { id: r.id });
  const EVENTS = `query($f: AuditEventFilter) { auditEvents(filter: $f, first: 50) { totalCount nodes { staff { id } basis { section kind ref } } } }`;
  const res = await gql(hub, auditor.token, EVENTS, { f: { returneeId: r.id, basis: 'BREAK_GLASS', basisRef: w.id } });
  expect(res.errors).toBeUndefined();
  // The two reads of the record, and the opening itself shown to the clinic (it names the record).
  expect(res.data.auditEvents.totalCount).toBe(3);
  for (const n of res.data.auditEvents.nodes) expect(n.staff.id).toBe(clinic.staff.id);
  const all = await gql(hub, auditor.token, EVENTS, { f: { returneeId: r.id, basis: 'BREAK_GLASS' } });
  expect(all.data.auditEvents.totalCount).toBe(3);
  const REPORT = `query($id: ID!) { disclosureReport(returneeId: $id) { byBasis { kind ref sections agencies { id } times } } }`;
  const report = await gql(hub, auditor.token, REPORT, { id: r.id });
  expect(report.errors).toBeUndefined();
  expect(report.data.disclosureReport.byBasis).toContainEqual({
    kind: 'BREAK_GLASS',
    ref: w.id,
    sections: ['CONTACT', 'HEALTH', 'IDENTITY', 'REFERENCE', 'SOCIAL_SUPPORT'],
    agencies: [{ id: clinic.agency.id }],
    times: expect.any(Number),
  });
});
