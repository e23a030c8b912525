import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { HubServer } from '../src/server';
import { auditRowsFor } from './support/audit';
import { ARTIFACTS, launchBrowser } from './support/browser';
import { giveConsent, grantAccess, makeReturnee, makeSectorUser, makeStaff, type StaffFixture } from './support/factories';
import { errorCode, gql, sqlClient, startHub } from './support/hub';
import { LOCALES } from '../i18n/translator';
import { foldStatement, type StatementGroupRow } from '../src/statement/statement-fold';
import { statementTranslator } from '../src/statement/statement-i18n';
import { sentenceOf } from '../src/statement/statement-text';

/**
 * The person's own statement (issue 14, item 4), over HTTP against PostgreSQL: exactly that
 * person's successful events in the trail, grouped per agency, day, purpose and basis; agencies
 * named, staff never; both languages; the printable page rendered in Chromium (screenshot kept
 * in test/artifacts/) and the PDF; producing it is audited; every other caller is refused with a
 * DENY row, or answered NOT_FOUND exactly as a missing record when the record is out of scope.
 */
const STATEMENT = `query($id: ID!, $lang: String!) { disclosureStatement(returneeId: $id, language: $lang) {
  returneeId caseNumber language eventCount truncated title paragraphs producedBy { name registeringAgency }
  entries { day access sections topics purpose times sentence agency { name sector registeringAgency } basis { kind ref version legalBasis breakGlassReview } }
} }`;
const RECORD = `query($id: ID!) { returnee(id: $id) { id caseNumber givenName familyName followUpNeeded phone } }`;

let hub: HubServer;
let social: StaffFixture;
let health: StaffFixture;
let ngo: StaffFixture;
let personId: string;
let otherId: string;
let consentId: string;

async function sql<T extends object>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = await sqlClient();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  hub = await startHub({ HUB_DSR_DUE_DAYS: '21' });
  const orm = hub.db.orm;
  social = await makeSectorUser(orm, 'SOCIAL');
  health = await makeSectorUser(orm, 'HEALTH');
  ngo = await makeSectorUser(orm, 'NGO');
  const tag = social.agency.id.slice(0, 6);
  await sql(`update agency set name = $2 where id = $1`, [social.agency.id, `Aqtobe Social Protection ${tag}`]);
  await sql(`update agency set name = $2 where id = $1`, [health.agency.id, `Aqtobe City Polyclinic ${tag}`]);
  await sql(`update agency set name = $2 where id = $1`, [ngo.agency.id, `Rehabilitation Centre NGO ${tag}`]);
  for (const s of [social, health, ngo])
    await sql(`update staff_member set display_name = 'Staff-Name-Secret' where id = $1`, [s.staff.id]);
  const person = await makeReturnee(orm, social.agency);
  const other = await makeReturnee(orm, social.agency);
  personId = person.id;
  otherId = other.id;
  for (const r of [person, other]) {
    await grantAccess(orm, r, health.agency);
    await grantAccess(orm, r, ngo.agency);
  }
  consentId = (await giveConsent(orm, person, social, ['HEALTH'], ['IDENTITY', 'CONTACT'])).id;
  // Health reads under the person's consent; the NGO reads its own sector's sections; the
  // registering agency reads its own; the other person is read by everyone too.
  for (const who of [health, ngo, social]) {
    for (const id of [personId, otherId]) expect((await gql(hub, who.token, RECORD, { id })).errors).toBeUndefined();
  }
}, 60_000);
afterAll(() => hub.stop());

type Entry = {
  access: string;
  sections: string[];
  topics: string[];
  purpose: string | null;
  times: number;
  sentence: string;
  agency: { name: string; registeringAgency: boolean } | null;
  basis: { kind: string | null; ref: string | null };
};

it('lists exactly the person’s events: agencies, sections, purposes and bases, no staff names, no one else’s events', async () => {
  const [{ n }] = await sql<{ n: number }>(
    `select count(*)::int as n from audit_event where returnee_id = $1 and outcome = 'SUCCESS' and action <> 'DENY'`,
    [personId],
  );
  const res = await gql(hub, social.token, STATEMENT, { id: personId, lang: 'en' });
  expect(res.errors).toBeUndefined();
  const s = res.data.disclosureStatement;
  expect(s.eventCount).toBe(n);
  expect(s.truncated).toBe(false);
  expect(s.producedBy).toEqual({ name: expect.stringContaining('Aqtobe Social Protection'), registeringAgency: true });
  const entries = s.entries as Entry[];
  const byAgency = (name: string) => entries.filter((e) => e.agency?.name.startsWith(name));
  const healthSaw = byAgency('Aqtobe City Polyclinic').filter((e) => e.access === 'SAW');
  expect(healthSaw).toContainEqual(
    expect.objectContaining({
      sections: expect.arrayContaining(['IDENTITY', 'CONTACT']),
      basis: expect.objectContaining({ kind: 'CONSENT', ref: consentId }),
    }),
  );
  expect(healthSaw).toContainEqual(
    expect.objectContaining({ sections: expect.arrayContaining(['HEALTH_FLAGS']), basis: expect.objectContaining({ kind: 'OWN_SECTOR' }) }),
  );
  expect(healthSaw.every((e) => e.purpose === 'test: case review' && e.times === 1)).toBe(true);
  const ngoSaw = byAgency('Rehabilitation Centre NGO').filter((e) => e.access === 'SAW');
  expect(ngoSaw).toContainEqual(
    expect.objectContaining({ sections: expect.arrayContaining(['IDENTITY']), basis: expect.objectContaining({ kind: 'OWN_SECTOR' }) }),
  );
  expect(ngoSaw.some((e) => e.basis.kind === 'CONSENT')).toBe(false); // no consent covers the NGO
  // Own-agency reads are listed, marked as the registering agency's.
  expect(entries.some((e) => e.agency?.registeringAgency && e.access === 'SAW')).toBe(true);
  // The consent the registering agency recorded is not an audited event of the fixture; its reads are.
  const text = JSON.stringify(s);
  expect(text).not.toContain('Staff-Name-Secret');
  for (const who of [social, health, ngo]) {
    expect(text).not.toContain(who.staff.username);
    expect(text).not.toContain(who.staff.id);
  }
  expect(text).not.toContain(otherId);
  expect(s.paragraphs.join(' ')).toContain('21 days'); // HUB_DSR_DUE_DAYS
  const line = healthSaw.find((e) => e.basis.kind === 'CONSENT')!.sentence;
  expect(line).toMatch(
    /Aqtobe City Polyclinic .* saw Identity and Contact and household once; purpose: test: case review; basis: your consent\./,
  );
  writeFileSync(
    path.join(await artifacts(), 'statement-en.txt'),
    [s.title, s.caseNumber, ...s.paragraphs, '', ...entries.map((e) => e.sentence)].join('\n'),
  );
});

async function artifacts(): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  return ARTIFACTS;
}

it('speaks Russian, and says so; an unknown language is BAD_USER_INPUT', async () => {
  const res = await gql(hub, social.token, STATEMENT, { id: personId, lang: 'ru' });
  expect(res.errors).toBeUndefined();
  const s = res.data.disclosureStatement;
  expect(s.language).toBe('ru');
  expect(s.title).toBe('Кто видел ваше дело');
  const consent = (s.entries as Entry[]).find((e) => e.basis.kind === 'CONSENT')!;
  expect(consent.sentence).toContain('ваше согласие');
  expect(consent.sentence).toContain('Личные данные');
  expect(s.paragraphs.join(' ')).toContain('21 дня');
  const bad = await gql(hub, social.token, STATEMENT, { id: personId, lang: 'xx' });
  expect(errorCode(bad)).toBe('BAD_USER_INPUT');
});

it('records its production as an event naming the person', async () => {
  const before = (await auditRowsFor(social.staff.id)).length;
  await gql(hub, social.token, STATEMENT, { id: personId, lang: 'en' });
  const rows = (await auditRowsFor(social.staff.id)).slice(before);
  expect(rows).toContainEqual(
    expect.objectContaining({
      action: 'READ',
      entity_type: 'DisclosureStatement',
      returnee_id: personId,
      outcome: 'SUCCESS',
      fields: ['caseNumber', 'disclosureStatement:data:en'],
    }),
  );
  // A later statement lists the earlier one (the trail about the person is a topic of its own).
  const again = await gql(hub, social.token, STATEMENT, { id: personId, lang: 'en' });
  expect((again.data.disclosureStatement.entries as Entry[]).some((e) => e.topics.includes('AUDIT_TRAIL'))).toBe(true);
});

it('refuses other agencies and sectors with a DENY row, and answers NOT_FOUND for a record out of scope exactly as for a missing one', async () => {
  const orm = hub.db.orm;
  // A health caseworker sees the record (case access) but did not register it.
  const refused = await gql(hub, health.token, STATEMENT, { id: personId, lang: 'en' });
  expect(errorCode(refused)).toBe('FORBIDDEN');
  expect((await auditRowsFor(health.staff.id)).at(-1)).toMatchObject({
    action: 'DENY',
    outcome: 'DENIED',
    returnee_id: personId,
    entity_type: 'DisclosureStatement',
  });
  // An auditor has no such permission at all.
  const auditor = await makeSectorUser(orm, 'OVERSIGHT', ['AUDITOR']);
  expect(errorCode(await gql(hub, auditor.token, STATEMENT, { id: personId, lang: 'en' }))).toBe('FORBIDDEN');
  expect((await auditRowsFor(auditor.staff.id)).at(-1)).toMatchObject({ action: 'DENY', outcome: 'DENIED', returnee_id: personId });
  // A caseworker of another social agency: out of scope, NOT_FOUND like a missing id.
  const stranger = await makeSectorUser(orm, 'SOCIAL');
  const outOfScope = await gql(hub, stranger.token, STATEMENT, { id: personId, lang: 'en' });
  const missing = await gql(hub, stranger.token, STATEMENT, { id: '00000000-0000-4000-8000-000000000000', lang: 'en' });
  expect(errorCode(outOfScope)).toBe('NOT_FOUND');
  expect(outOfScope.errors![0].message.replace(personId, 'X')).toBe(
    missing.errors![0].message.replace('00000000-0000-4000-8000-000000000000', 'X'),
  );
  // A supervisor of the registering agency may.
  const supervisor = await makeStaff(orm, social.agency, ['SUPERVISOR']);
  expect((await gql(hub, supervisor.token, STATEMENT, { id: personId, lang: 'en' })).errors).toBeUndefined();
});

it('serves the printable page and the PDF over HTTP, renders in Chromium, and refuses like the query', async () => {
  const page = await fetch(`${hub.url}/statement/${personId}?lang=ru`, { headers: { authorization: `Bearer ${social.token}` } });
  expect(page.status).toBe(200);
  expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
  expect(page.headers.get('cache-control')).toBe('no-store');
  const html = await page.text();
  expect(html).toContain('<html lang="ru">');
  expect(html).toContain('Кто видел ваше дело');
  expect(html).not.toContain('Staff-Name-Secret');
  expect(html).toContain('@media print');

  const pdf = await fetch(`${hub.url}/statement/${personId}.pdf?lang=en`, { headers: { authorization: `Bearer ${social.token}` } });
  expect(pdf.status).toBe(200);
  expect(pdf.headers.get('content-type')).toBe('application/pdf');
  const bytes = Buffer.from(await pdf.arrayBuffer());
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  writeFileSync(path.join(await artifacts(), 'statement-en.pdf'), bytes);
  const rows = await auditRowsFor(social.staff.id);
  expect(rows.map((r) => r.fields.join(','))).toEqual(
    expect.arrayContaining(['caseNumber,disclosureStatement:html:ru', 'caseNumber,disclosureStatement:pdf:en']),
  );

  const browser = await launchBrowser({ viewport: { width: 1100, height: 1400 } });
  try {
    await browser.context.setExtraHTTPHeaders({ authorization: `Bearer ${social.token}` });
    for (const lang of ['en', 'ru']) {
      const tab = await browser.newPage();
      const res = await tab.goto(`${hub.url}/statement/${personId}?lang=${lang}`);
      expect(res?.status()).toBe(200);
      const heading = await tab.locator('h1').textContent();
      expect(heading).toBe(lang === 'en' ? 'Who saw your record' : 'Кто видел ваше дело');
      expect(await tab.locator('tbody tr').count()).toBeGreaterThan(2);
      await tab.emulateMedia({ media: 'print' });
      await tab.screenshot({ path: path.join(ARTIFACTS, `statement-${lang}.png`), fullPage: true });
    }
    expect(browser.errors).toEqual([]);
  } finally {
    await browser.close();
  }

  const noToken = await fetch(`${hub.url}/statement/${personId}`);
  expect(noToken.status).toBe(401);
  const forbidden = await fetch(`${hub.url}/statement/${personId}`, { headers: { authorization: `Bearer ${health.token}` } });
  expect(forbidden.status).toBe(403);
  const stranger = await makeSectorUser(hub.db.orm, 'SOCIAL');
  const a = await fetch(`${hub.url}/statement/${personId}`, { headers: { authorization: `Bearer ${stranger.token}` } });
  const b = await fetch(`${hub.url}/statement/00000000-0000-4000-8000-000000000000`, {
    headers: { authorization: `Bearer ${stranger.token}` },
  });
  expect([a.status, b.status]).toEqual([404, 404]);
  expect((await a.text()).replace(personId, 'X')).toBe((await b.text()).replace('00000000-0000-4000-8000-000000000000', 'X'));
  const bad = await fetch(`${hub.url}/statement/not-a-uuid`, { headers: { authorization: `Bearer ${stranger.token}` } });
  expect(bad.status).toBe(400);
  expect((await auditRowsFor(stranger.staff.id)).map((r) => r.outcome)).toEqual(['NOT_FOUND', 'NOT_FOUND', 'INVALID']);
}, 90_000);

it('has every statement message the server uses in every complete language; planned ones hold no stray key', () => {
  const root = path.join(__dirname, '..');
  const load = (code: string, ns: string) =>
    JSON.parse(readFileSync(path.join(root, 'i18n', code, `${ns}.json`), 'utf8')) as Record<string, string>;
  const used = new Set<string>();
  const prefixes = new Set<string>();
  for (const f of readdirSync(path.join(root, 'src/statement')).filter((x) => x !== 'statement-pdf.ts')) {
    const text = readFileSync(path.join(root, 'src/statement', f), 'utf8');
    for (const m of text.matchAll(/['`](statement\.[\w.]*\w)['`]/g)) used.add(m[1]);
    for (const m of text.matchAll(/`((?:statement|common)\.[\w.]*)\$\{/g)) prefixes.add(m[1]);
  }
  expect(used.size).toBeGreaterThan(15);
  for (const l of LOCALES.filter((x) => x.status === 'complete')) {
    const cat = { ...load(l.code, 'common'), ...load(l.code, 'statement') };
    expect({ locale: l.code, missing: [...used].filter((k) => !(k in cat)) }).toEqual({ locale: l.code, missing: [] });
    for (const p of prefixes) expect(Object.keys(cat).some((k) => k.startsWith(p))).toBe(true);
    for (const kind of ['OWN_SECTOR', 'CONSENT', 'AGREEMENT', 'LEGAL_DUTY', 'BREAK_GLASS'])
      expect(cat[`statement.basis.${kind}`]).toBeTruthy();
  }
});

it('words every basis kind from the trail, break-glass with its review pending, in both languages', () => {
  const agency = { name: 'Osh Regional Hospital', sector: 'HEALTH' as const, country: 'KG', registeringAgency: false };
  const bg = '11111111-1111-4111-8111-111111111111';
  const ag = '22222222-2222-4222-8222-222222222222';
  const group = (basis: StatementGroupRow['basis'], fields: string[]): StatementGroupRow => ({
    agency_id: 'a',
    action: 'READ',
    entity_type: 'Returnee',
    fields,
    purpose: null,
    basis,
    day: '2026-11-30',
    n: 2,
  });
  const entries = foldStatement(
    [
      group([{ section: 'HEALTH', kind: 'BREAK_GLASS', ref: bg }], ['healthAssessments']),
      group([{ section: 'SOCIAL_SUPPORT', kind: 'AGREEMENT', ref: ag, version: 3 }], ['socialSupport']),
      group([{ section: 'IDENTITY', kind: 'LEGAL_DUTY', legalBasis: 'Duty to treat a child' }], ['givenName']),
      group(null, ['phone']),
    ],
    new Map([['a', agency]]),
  );
  expect(entries.map((e) => [e.basis.kind, e.sections, e.times])).toEqual([
    ['BREAK_GLASS', ['HEALTH'], 2],
    ['AGREEMENT', ['SOCIAL_SUPPORT'], 2],
    ['LEGAL_DUTY', ['IDENTITY'], 2],
    [null, ['CONTACT'], 2],
  ]);
  const en = statementTranslator('en');
  expect(entries.map((e) => sentenceOf(en, e))).toEqual([
    'On Nov 30, 2026, Osh Regional Hospital saw Health twice; purpose: no purpose stated; basis: an emergency opening, reviewed afterwards (review: not yet recorded).'.replace(
      'twice',
      '2 times',
    ),
    'On Nov 30, 2026, Osh Regional Hospital saw Social support 2 times; purpose: no purpose stated; basis: a data-sharing agreement (version 3).',
    'On Nov 30, 2026, Osh Regional Hospital saw Identity 2 times; purpose: no purpose stated; basis: a duty set by law: Duty to treat a child.',
    'On Nov 30, 2026, Osh Regional Hospital saw Contact and household 2 times; purpose: no purpose stated; basis: not recorded (before the hub recorded a basis).',
  ]);
  const ru = sentenceOf(statementTranslator('ru'), entries[0]);
  expect(ru).toContain('экстренный доступ с последующей проверкой (проверка: результат ещё не записан)');
  expect(ru).toContain('2 раза');
  // The hub's own writes (imports, maintenance) are not an agency's work with the person.
  const [hubWrite] = foldStatement([{ ...group(null, ['phone']), agency_id: null, action: 'CREATE' }], new Map());
  expect(sentenceOf(en, hubWrite)).toContain('the hub itself (imports and maintenance) recorded or changed Contact and household 2 times');
  expect(sentenceOf(en, hubWrite)).toContain('basis: the hub’s own operation');
  // A planned language shows Russian until its file is translated.
  expect(sentenceOf(statementTranslator('kk'), entries[0])).toContain('экстренный доступ');
});

it('escapes a hostile purpose on the page and runs no script', async () => {
  const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>';
  await gql(hub, ngo.token, RECORD, { id: personId }, { 'x-purpose-of-use': hostile });
  const html = await (await fetch(`${hub.url}/statement/${personId}`, { headers: { authorization: `Bearer ${social.token}` } })).text();
  expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;');
  expect(html).not.toMatch(/<script|<img/i);
});
