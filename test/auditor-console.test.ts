import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { Agency } from '../src/agency/agency.entity';
import { sealAll } from '../src/trail/audit-sealer';
import { CONSOLE_CSP } from '../src/http/console';
import type { HubServer } from '../src/server';
import { StaffMember } from '../src/staff/staff.entity';
import type { Role, Sector } from '../src/access/policy';
import { createScratchDb, type ScratchDb } from './support/audit-scratch-db';
import { giveConsent, grantAccess, makeAgreement, type StaffFixture } from './support/factories';
import { errorCode, gql, startHub, tokenFor } from './support/hub';
import { ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, seriousViolations, until } from './support/browser';
import { Returnee } from '../src/returnee/returnee.entity';

/**
 * The auditor console (/audit/) end to end in headless Chromium (Debian's package): an
 * oversight auditor signs in with a token, filters the trail by returnee, opens that person's
 * disclosure report, checks integrity and exports the filter as CSV; a caseworker is refused.
 * The hub runs on a database of its own, so every number on screen can be checked against SQL.
 * Screenshots are kept in test/artifacts/ (gitignored).
 */

let scratch: ScratchDb;
let hub: HubServer;
let userDataDir: string;
let browser: BrowserContext;
let auditor: StaffFixture;
let social: StaffFixture;
let health: StaffFixture;
let education: StaffFixture;
let aigerim: { id: string; caseNumber: string };
let timur: { id: string; caseNumber: string };
let madina: { id: string; caseNumber: string };
let agreementId: string;
const pageErrors: string[] = [];

async function person(
  sector: Sector,
  code: string,
  agencyName: string,
  username: string,
  displayName: string,
  roles: Role[],
): Promise<StaffFixture> {
  const em = hub.db.orm.em.fork();
  const agency = new Agency(code, agencyName, sector, 'KZ');
  const staff = new StaffMember(username, displayName, em.getReference(Agency, agency.id, { wrapped: true }), roles);
  await em.persist([agency, staff]).flush();
  return { staff, agency, token: await tokenFor(username) };
}

const as = async (who: StaffFixture, purpose: string, query: string, variables: Record<string, unknown> = {}) =>
  gql(hub, who.token, query, variables, { 'x-purpose-of-use': purpose });

async function register(givenName: string, familyName: string, sex: 'FEMALE' | 'MALE', dateOfBirth: string) {
  const res = await as(
    social,
    'Registration on arrival',
    `mutation($input: RegisterReturneeInput!) { registerReturnee(input: $input) { returnee { id caseNumber } } }`,
    { input: { givenName, familyName, sex, dateOfBirth, region: 'Aqtobe', returnedFrom: 'SY', returnedOn: '2019-05-30' } },
  );
  expect(res.errors).toBeUndefined();
  return res.data.registerReturnee.returnee as { id: string; caseNumber: string };
}

async function eventCount(where: string, params: unknown[]): Promise<number> {
  const [row] = await scratch.query<{ n: number }>(`select count(*)::int as n from audit_event where ${where}`, params);
  return row.n;
}

async function newPage(): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`);
  });
  return page;
}

/** Waits until the element's text matches (the page updates after its GraphQL call returns). */
async function waitForText(page: Page, selector: string, text: RegExp): Promise<void> {
  await page.locator(selector, { hasText: text }).waitFor({ timeout: 15_000 });
}

async function signIn(page: Page, token: string, purpose = 'Quarterly oversight review') {
  await page.goto(`${hub.url}/audit/`);
  await page.fill('#token', token);
  await page.fill('#purpose', purpose);
  await page.click('#sign-in-form button[type=submit]');
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium; .ci/run does it)`);
  await mkdir(ARTIFACTS, { recursive: true });
  scratch = await createScratchDb('console');
  // Sealing by hand (timer off): verification is not one snapshot, and a seal landing in the middle
  // of it reads as a truncated chain; the test wants the console's verdict, not that race.
  hub = await startHub({ DATABASE_URL: scratch.url, HUB_AUDIT_CHECKPOINT_INTERVAL_S: '1', HUB_AUDIT_SEAL_INTERVAL_MS: '0' });

  auditor = await person('OVERSIGHT', 'kz-dpo', 'Data Protection Office of Kazakhstan', 'dpo-auditor', 'Saule Abenova', ['AUDITOR']);
  social = await person('SOCIAL', 'kz-aqtobe-social', 'Aqtobe Social Protection Department', 'aqtobe-social', 'Dana Serikova', [
    'CASEWORKER',
  ]);
  health = await person('HEALTH', 'kz-aqtobe-health', 'Aqtobe Regional Polyclinic No. 3', 'aqtobe-health', 'Dr. Marat Iskakov', [
    'CASEWORKER',
  ]);
  education = await person('EDUCATION', 'kz-aqtobe-school', 'Aqtobe Boarding School No. 1', 'aqtobe-school', 'Gulnara Tulegenova', [
    'CASEWORKER',
  ]);

  aigerim = await register('Aigerim', 'Nurlanovna', 'FEMALE', '1994-03-12');
  timur = await register('Timur', 'Nurlanov', 'MALE', '2015-08-01');
  const read = (who: StaffFixture, purpose: string, id: string) =>
    as(who, purpose, 'query($id: ID!) { returnee(id: $id) { id givenName address followUpNeeded redactedFields } }', { id });
  expect((await read(social, 'Housing assessment', aigerim.id)).errors).toBeUndefined();
  expect((await read(social, 'Benefit application', aigerim.id)).errors).toBeUndefined();
  // Health has no access to Aigerim yet: the attempt is recorded as NOT_FOUND.
  expect(errorCode(await read(health, 'Medical screening', aigerim.id))).toBe('NOT_FOUND');
  const em = hub.db.orm.em.fork();
  const ref = await em.findOneOrFail(Returnee, { id: aigerim.id });
  await grantAccess(hub.db.orm, ref, health.agency);
  await giveConsent(hub.db.orm, ref, social, ['HEALTH']);
  expect((await read(health, 'Medical screening', aigerim.id)).errors).toBeUndefined();
  const upd = await as(
    health,
    'Follow-up after screening',
    'mutation($id: ID!) { updateReturnee(id: $id, expectedVersion: 1, input: { followUpNeeded: true }) { returnee { id } } }',
    { id: aigerim.id },
  );
  expect(upd.errors).toBeUndefined();
  // Madina's social-support section reaches the polyclinic only under a data-sharing agreement
  // (and her consent): that read names the agreement as its basis.
  madina = await register('Madina', 'Karimova', 'FEMALE', '1990-11-02');
  const madinaRef = await em.findOneOrFail(Returnee, { id: madina.id });
  await grantAccess(hub.db.orm, madinaRef, health.agency);
  await giveConsent(hub.db.orm, madinaRef, social, ['HEALTH']);
  agreementId = (await makeAgreement(hub.db.orm, social.agency, health, { sections: ['SOCIAL_SUPPORT'] })).id;
  const support = await as(
    health,
    'Home visit planning',
    'query($id: ID!) { returnee(id: $id) { id socialSupport { kind } redactedFields } }',
    {
      id: madina.id,
    },
  );
  expect(support.errors).toBeUndefined();
  expect(support.data.returnee.redactedFields).not.toContain('socialSupport');
  // An education caseworker trying the audit trail is refused (a DENY event of its own).
  expect(errorCode(await as(education, 'Curiosity', 'query { auditEvents { totalCount } }'))).toBe('FORBIDDEN');
  await sealAll(hub.runtime.audit.knex, { wait: true });

  userDataDir = await mkdtemp(path.join(os.tmpdir(), 'hub-console-chromium-'));
  browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
    timezoneId: 'Asia/Almaty',
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
  await hub?.stop();
  await scratch?.drop();
});

describe('auditor console', () => {
  it('is served with a strict Content-Security-Policy and no inline script', async () => {
    const redirect = await fetch(`${hub.url}/audit`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/audit/');
    const res = await fetch(`${hub.url}/audit/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toContain('unsafe-inline');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // every script is a file
    expect(html).not.toMatch(/\son[a-z]+=/i); // no inline handlers
    // The console is built with the web client (app/): its script is a hashed file under /app/assets/.
    const script = /<script[^>]*src="([^"]+)"/.exec(html)![1];
    expect(script).toMatch(/^\/app\/assets\/audit-[\w-]+\.js$/);
    expect((await fetch(`${hub.url}${script}`)).headers.get('content-type')).toMatch(/javascript/);
  });

  it('lets an auditor sign in, filter by returnee, open the disclosure report, verify integrity and export CSV', async () => {
    const page = await newPage();
    await signIn(page, auditor.token);
    await page.waitForSelector('#app:not([hidden])');
    await expect(page.textContent('#whoami-text')).resolves.toContain('Saule Abenova (dpo-auditor)');
    await page.waitForSelector('#events tbody tr');

    // Filter: Aigerim's events. The total shown is the database's count at the time of the search.
    const expected = await eventCount('returnee_id = $1', [aigerim.id]);
    await page.fill('#f-returnee', aigerim.id);
    await page.click('#search');
    await waitForText(page, '#results-title', new RegExp(`^${expected} events? —`));
    const rows = page.locator('#events tbody tr');
    expect(await rows.count()).toBe(expected);
    const table = (await page.textContent('#events tbody'))!;
    for (const text of [
      'Dana Serikova',
      'Dr. Marat Iskakov',
      'Housing assessment',
      'Medical screening',
      'NOT_FOUND',
      'kz-aqtobe-health',
      aigerim.caseNumber,
    ]) {
      expect(table).toContain(text);
    }
    expect(table).not.toContain(timur.caseNumber);
    expect(table).not.toContain('Nurlanovna'); // field names only, never values
    await page.screenshot({ path: path.join(ARTIFACTS, 'auditor-console-events.png'), fullPage: true });

    // Narrow to one outcome: the refused attempt.
    await page.selectOption('#f-outcome', 'NOT_FOUND');
    await page.click('#search');
    await waitForText(page, '#results-title', /^1 event —/);
    await expect(page.textContent('#events tbody')).resolves.toContain('Medical screening');

    // Signing in read no agency directory; opening the agency menu does (each agency read is audited).
    const agencyReads = () => eventCount(`staff_id = $1 and entity_type = 'Agency'`, [auditor.staff.id]);
    expect(await agencyReads()).toBe(0);
    await page.selectOption('#f-outcome', '');
    await page.focus('#f-agency');
    await page.selectOption('#f-agency', { label: 'kz-aqtobe-health — Aqtobe Regional Polyclinic No. 3' });
    expect(await agencyReads()).toBe(5); // the four agencies of this test and the bootstrap admin's
    await page.click('#search');
    const healthEvents = await eventCount('returnee_id = $1 and agency_id = $2', [aigerim.id, health.agency.id]);
    await waitForText(
      page,
      '#results-title',
      new RegExp(`^${healthEvents} events — returnee ${aigerim.id.slice(0, 8)} · kz-aqtobe-health$`),
    );
    expect(new Set(await page.locator('#events tbody td:nth-child(6)').allTextContents())).toEqual(new Set(['kz-aqtobe-health']));
    await page.selectOption('#f-agency', '');
    await page.selectOption('#f-outcome', 'NOT_FOUND');
    await page.click('#search');
    await waitForText(page, '#results-title', /^1 event —/);

    // Open the report from the case number in the table.
    await page.click(`#events tbody button[data-returnee="${aigerim.id}"]`);
    await page.waitForSelector('#report .agency-card');
    const report = (await page.textContent('#report'))!;
    expect(report).toContain(`Disclosure report — case ${aigerim.caseNumber}`);
    const cards = page.locator('#report .agency-card');
    const names = await cards.locator('h3').allTextContents();
    expect(names).toEqual(expect.arrayContaining(['Aqtobe Social Protection Department', 'Aqtobe Regional Polyclinic No. 3']));
    const healthCard = cards.filter({ hasText: 'Aqtobe Regional Polyclinic No. 3' });
    const healthText = (await healthCard.textContent())!;
    expect(healthText).toMatch(/Read:.*IDENTITY/);
    expect(healthText).toMatch(/Changed:.*HEALTH_FLAGS/);
    expect(healthText).toContain('Dr. Marat Iskakov (aqtobe-health) changed');
    expect(healthText).toContain('Dr. Marat Iskakov (aqtobe-health) tried to read the record (Returnee) out of scope or missing');
    expect(healthText).toContain('Follow-up after screening');
    const socialText = (await cards.filter({ hasText: 'Aqtobe Social Protection Department' }).textContent())!;
    expect(socialText).toContain('Dana Serikova (aqtobe-social) read');
    expect(socialText).toContain('Housing assessment');
    expect(socialText).toContain('Dana Serikova (aqtobe-social) created');
    const bySection = (await page.textContent('#report .by-section'))!;
    expect(bySection).toMatch(/HEALTH_FLAGS.*kz-aqtobe-health/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'auditor-console.png'), fullPage: true });

    // Integrity: the chain verifies and a signed checkpoint exists.
    await until(async () => (await scratch.query('select 1 from audit_checkpoint limit 1')).length === 1, 20_000);
    await sealAll(hub.runtime.audit.knex, { wait: true });
    await page.click('.tab[data-view="integrity"]');
    await page.waitForSelector('#integrity .verdict');
    const integrity = (await page.textContent('#integrity'))!;
    expect(integrity).toContain('Intact');
    expect(integrity).toMatch(/Signature\s*valid/);
    expect(integrity).toMatch(/Chain still matches\s*matches/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'auditor-console-integrity.png'), fullPage: true });

    // Export the current filter (all of Aigerim's events) as CSV.
    await page.click('.tab[data-view="events"]');
    await page.selectOption('#f-outcome', '');
    await page.fill('#f-returnee', aigerim.id);
    const exported = await eventCount('returnee_id = $1', [aigerim.id]);
    await page.click('#search');
    await waitForText(page, '#results-title', new RegExp(`^${exported} events? —`));
    const totalAtExport = await eventCount('returnee_id = $1', [aigerim.id]); // the search above is itself an event about Aigerim
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    expect(download.suggestedFilename()).toMatch(/^audit-events-.*\.csv$/);
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'occurredAt,action,outcome,reason,entityType,entityId,returneeId,caseNumber,staffId,staffUsername,agencyCode,agencySector,sections,fields,deniedFields,purpose,operation,requestId,chainPosition,eventId,basis',
    );
    expect(lines).toHaveLength(1 + totalAtExport);
    expect(lines.slice(1).every((l) => l.includes(aigerim.id))).toBe(true);
    expect(csv).toContain('aqtobe-health');
    await expect(page.textContent('#export-status')).resolves.toContain(`Exported ${totalAtExport} events`);

    // Everything the console did went through the API and is in the trail under the auditor's purpose.
    expect(
      await eventCount(`staff_id = $1 and purpose = 'Quarterly oversight review' and entity_type = 'AuditEvent'`, [auditor.staff.id]),
    ).toBeGreaterThanOrEqual(5);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('pages through the trail with the cursor', async () => {
    await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        as(social, `Case conference ${i + 1}`, 'query($id: ID!) { returnee(id: $id) { id givenName } }', { id: timur.id }),
      ),
    );
    const page = await newPage();
    await signIn(page, auditor.token);
    await page.waitForSelector('#events tbody tr');
    const expected = await eventCount('returnee_id = $1', [timur.id]);
    expect(expected).toBeGreaterThan(25);
    await page.fill('#f-returnee', timur.id);
    await page.selectOption('#f-size', '20');
    await page.click('#search');
    await waitForText(page, '#results-title', new RegExp(`^${expected} events —`));
    expect(await page.locator('#events tbody tr').count()).toBe(20);
    await expect(page.textContent('#page-info')).resolves.toBe(`1–20 of ${expected}`);
    const firstIds = await page.locator('#events tbody td:last-child').allTextContents();
    await page.click('#next');
    // Keyset paging: page two continues below page one, whatever was recorded meanwhile (the total
    // now also counts the auditor's own first search, two events about Timur newer than page one:
    // the read of the trail and the read of his case number, which the page showed).
    await waitForText(page, '#page-info', new RegExp(`^21–${expected} of ${expected + 2}$`));
    expect(await page.locator('#events tbody tr').count()).toBe(expected - 20);
    expect(await page.isDisabled('#next')).toBe(true);
    const secondTimes = await page.locator('#events tbody td:first-child').allTextContents();
    expect(secondTimes.length).toBe(expected - 20);
    await page.click('#prev');
    await waitForText(page, '#page-info', /^1–20 of/);
    expect(firstIds).toHaveLength(20);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('lets an auditor hide their own reads of the trail, keeps field names whole, and passes axe in English and Russian', async () => {
    const page = await newPage();
    await signIn(page, auditor.token, 'Own-reads review');
    await page.waitForSelector('#events tbody tr');
    // Without the filter the auditor's own reads come first (the search that built this very table).
    await expect(page.locator('#events tbody tr').first().locator('td:nth-child(5)').textContent()).resolves.toContain('Saule Abenova');

    await page.fill('#f-returnee', aigerim.id);
    await page.check('#f-hide-own');
    await page.click('#search');
    const others = () => eventCount(`returnee_id = $1 and not (staff_id = $2 and action = 'READ')`, [aigerim.id, auditor.staff.id]);
    const expected = await others();
    await waitForText(
      page,
      '#results-title',
      new RegExp(`^${expected} events — returnee ${aigerim.id.slice(0, 8)} · my own reads hidden$`),
    );
    expect(await page.locator('#events tbody tr').count()).toBe(expected);
    const staffCells = await page.locator('#events tbody td:nth-child(5)').allTextContents();
    const actions = await page.locator('#events tbody td:nth-child(2)').allTextContents();
    expect(staffCells.filter((who, i) => who.includes('Saule Abenova') && actions[i] === 'READ')).toEqual([]);
    expect(await eventCount(`returnee_id = $1 and staff_id = $2 and action = 'READ'`, [aigerim.id, auditor.staff.id])).toBeGreaterThan(0);
    await page.uncheck('#f-hide-own');
    const all = await eventCount('returnee_id = $1', [aigerim.id]); // before the search, which is itself an event about her
    await page.click('#search');
    await waitForText(page, '#results-title', new RegExp(`^${all} events — returnee ${aigerim.id.slice(0, 8)}$`));

    // Field lists wrap between names, never inside one (the narrow column used to break them letter by letter).
    await page.setViewportSize({ width: 1024, height: 768 });
    // Each name's box in font-size units: one line is about 1.2; a name broken over lines is 2.4 or more.
    const heights = (await page.evaluate(`[...document.querySelectorAll('#events td.fields .field-names span')]
      .map((s) => s.getBoundingClientRect().height / parseFloat(getComputedStyle(s).fontSize))`)) as number[];
    expect(heights.length).toBeGreaterThan(0);
    expect(Math.max(...heights)).toBeLessThan(2);
    await page.screenshot({ path: path.join(ARTIFACTS, 'auditor-console-narrow.png'), fullPage: true });

    // Accessibility on every view, then the same console in Russian with nothing left in English.
    const ready = (view: string) =>
      ({
        events: '#events tbody tr',
        report: '#report .agency-card',
        agreements: '#agreements tbody tr',
        integrity: '#integrity .verdict',
      })[view]!;
    for (const view of ['events', 'report', 'agreements', 'integrity']) {
      if (view === 'report') await page.click(`#events tbody button[data-returnee="${aigerim.id}"]`);
      else await page.click(`.tab[data-view="${view}"]`);
      await page.waitForSelector(ready(view));
      expect({ view, violations: await seriousViolations(page) }).toEqual({ view, violations: [] });
    }
    const en = { ...require('../i18n/en/common.json'), ...require('../i18n/en/audit.json') } as Record<string, string>;
    const ru = { ...require('../i18n/ru/common.json'), ...require('../i18n/ru/audit.json') } as Record<string, string>;
    const english = new Set(
      Object.keys(en)
        .filter((k) => en[k] !== ru[k] && !en[k].includes('{') && /[a-z]{3}/i.test(en[k]))
        .map((k) => en[k]),
    );
    await page.selectOption('.language select', 'ru');
    await page.waitForSelector('.tab[data-view="events"]:text("События аудита")');
    for (const view of ['events', 'report', 'agreements', 'integrity']) {
      await page.click(`.tab[data-view="${view}"]`);
      await page.waitForSelector(ready(view));
      const texts = (await page.evaluate(`[...document.querySelectorAll('body *')].filter((e) => !e.closest('[translate="no"]'))
        .flatMap((e) => [...e.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent.trim())).filter(Boolean)`)) as string[];
      expect({ view, untranslated: texts.filter((t) => english.has(t)) }).toEqual({ view, untranslated: [] });
      if (view === 'report')
        await expect(page.textContent('#report h2')).resolves.toContain(`Отчёт о раскрытии — дело ${aigerim.caseNumber}`);
    }
    await page.screenshot({ path: path.join(ARTIFACTS, 'auditor-console-ru.png'), fullPage: true });
    await page.selectOption('.language select', 'en'); // the choice is kept in the browser: back to English for the next test
    await page.waitForSelector('.tab[data-view="events"]:text("Audit events")');
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('shows the lawful basis of each read, groups the report by basis, and follows an agreement to what it disclosed', async () => {
    const underAgreement = () => eventCount(`basis_keys @> array[$1]::text[]`, [`AGREEMENT:${agreementId}`]);
    expect(await underAgreement()).toBeGreaterThan(0);
    const page = await newPage();
    await signIn(page, auditor.token, 'Agreement review');
    await page.waitForSelector('#events tbody tr');

    // The events of Madina: the polyclinic's read names the agreement (with her consent beside it).
    await page.fill('#f-returnee', madina.id);
    await page.click('#search');
    await page.waitForSelector(`#events tbody button[data-basis-ref="${agreementId}"]`);
    const cell = (await page.locator(`#events tbody td.basis-cell:has(button[data-basis-ref="${agreementId}"])`).first().textContent())!;
    expect(cell).toContain(`AGREEMENT ${agreementId.slice(0, 8)} v1`);
    expect(cell).toContain('SOCIAL_SUPPORT');
    expect(cell).toContain('+ CONSENT');

    // Her report groups the reads by basis: the agreement's row names the section and the polyclinic.
    await page.click(`#events tbody button[data-returnee="${madina.id}"]`);
    await page.waitForSelector('#report .by-basis');
    const agreementRow = page.locator('#report .by-basis tr.basis-agreement');
    await expect(agreementRow.textContent()).resolves.toMatch(/SOCIAL_SUPPORT.*kz-aqtobe-health/);
    await expect(page.textContent('#report .by-basis')).resolves.toContain('OWN_SECTOR');

    // The agreements view: count what the agreement let through, then list exactly those events.
    await page.click('.tab[data-view="agreements"]');
    await page.waitForSelector(`#agreements tr[data-agreement="${agreementId}"]`);
    await page.click(`button[data-agreement-count="${agreementId}"]`);
    const expected = await underAgreement();
    await waitForText(page, `#agreements button[data-agreement-events="${agreementId}"]`, new RegExp(`^${expected} times?$`));
    await page.click(`#agreements button[data-agreement-events="${agreementId}"]`);
    await waitForText(page, '#results-title', new RegExp(`^${expected} events? — basis AGREEMENT ${agreementId.slice(0, 8)}$`));
    expect(await page.locator('#events tbody tr').count()).toBe(expected);
    const bases = await page.locator('#events tbody td.basis-cell').allTextContents();
    expect(bases.every((b) => b.includes(`AGREEMENT ${agreementId.slice(0, 8)}`))).toBe(true);

    // A basis id without its kind is refused in the form, before any request.
    await page.selectOption('#f-basis', '');
    await page.click('#search');
    await waitForText(page, '#alert', /Choose the kind of basis/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'auditor-console-basis.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('refuses a caseworker clearly and keeps no token', async () => {
    const page = await newPage();
    await signIn(page, health.token);
    await page.waitForSelector('#alert:not([hidden])');
    const alert = (await page.textContent('#alert'))!;
    expect(alert).toContain('Access refused: this console is for auditors.');
    expect(alert).toContain(
      'Dr. Marat Iskakov (aqtobe-health, CASEWORKER at Aqtobe Regional Polyclinic No. 3, HEALTH) may not read the audit trail',
    );
    expect(await page.isHidden('#app')).toBe(true);
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    expect(await page.inputValue('#token')).toBe('');
    await page.screenshot({ path: path.join(ARTIFACTS, 'auditor-console-refusal.png') });

    await page.fill('#token', 'not-a-token');
    await page.click('#sign-in-form button[type=submit]');
    await waitForText(page, '#alert', /^Sign-in refused/);
    expect(await page.textContent('#alert')).toContain('The token is not valid');
    // The browser reports the hub's 401 answer to the bad token; nothing else may go wrong.
    expect(pageErrors.filter((e) => !/status of 401/.test(e))).toEqual([]);
    await page.close();
  });
});
