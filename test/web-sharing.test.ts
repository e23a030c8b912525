import path from 'node:path';
import type { Page } from 'playwright-core';
import type { HubServer } from '../src/server';
import { createScratchDb, type ScratchDb } from './support/audit-scratch-db';
import { ARTIFACTS, launchBrowser, seriousViolations, type Browser } from './support/browser';
import { startHub } from './support/hub';
import { asUser, makeAgency, makeStaff, register, type Person } from './support/web-fixtures';

/**
 * Sharing from the web client (/app/): a social caseworker records a consent and revokes it, sends
 * a referral to an agency in another country (refused by the form until marked cross-border), and
 * a social supervisor grants case access and ends it. Each change is checked in the database and
 * in the audit trail; axe on the sharing screen; no console error.
 */
let scratch: ScratchDb;
let hub: HubServer;
let browser: Browser;
let caseworker: Person;
let supervisor: Person;
let ngoAgency: string;
let kgHealth: string;
let person: { id: string; caseNumber: string };

async function signIn(page: Page, who: Person) {
  await page.goto(`${hub.url}/app/`);
  await page.waitForSelector('#sign-in-form');
  await page.selectOption('select[name="purpose-choice"]', 'referral');
  await page.fill('#token', who.token);
  await page.click('#sign-in-form button[type=submit]');
  await page.waitForSelector('#whoami');
}

const rows = (sql: string, params: unknown[]) => scratch.query(sql, params);

beforeAll(async () => {
  scratch = await createScratchDb('webshare');
  hub = await startHub({ DATABASE_URL: scratch.url, HUB_REQUIRE_PURPOSE: '1' });
  const social = await makeAgency(hub, 'kz-osh-social', 'Aqtobe Social Protection Department', 'SOCIAL');
  ngoAgency = await makeAgency(hub, 'kz-rehab-ngo', 'Aqtobe Rehabilitation Centre', 'NGO');
  kgHealth = await makeAgency(hub, 'kg-osh-health', 'Osh Regional Hospital', 'HEALTH', 'KG');
  caseworker = await makeStaff(hub, social, 'share-social', 'Dana Serikova', ['CASEWORKER']);
  supervisor = await makeStaff(hub, social, 'share-social-lead', 'Yerlan Abishev', ['SUPERVISOR']);
  person = await register(hub, caseworker, {
    givenName: 'Gulnara',
    familyName: 'Tulegenova',
    sex: 'FEMALE',
    dateOfBirth: '1991-11-05',
    region: 'Osh',
  });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  await scratch?.drop();
});

describe('sharing from the web client', () => {
  it('records and revokes a consent, and refers across a border only when marked', async () => {
    const page = await browser.newPage();
    await signIn(page, caseworker);
    await page.goto(`${hub.url}/app/#/record/${person.id}/sharing`);
    await page.waitForSelector('#open-consent');
    await page.click('#open-consent');
    await page.check('#consent-by-SELF');
    await page.check('#consent-sector-HEALTH');
    await page.check('#consent-section-IDENTITY');
    await page.check('#consent-section-HEALTH_FLAGS');
    await page.fill('#consent-purpose', 'Treatment in Osh');
    expect(await seriousViolations(page)).toEqual([]);
    await page.click('#consent-form button[type=submit]');
    await page.waitForSelector('#consents [data-consent]');
    await expect(page.textContent('#consents')).resolves.toContain('Shares Identity and Health flags with Health');
    const [consent] = await rows('select id, sectors, sections, revoked_at from consent where returnee_id = $1', [person.id]);
    expect(consent).toMatchObject({ sectors: ['HEALTH'], sections: ['IDENTITY', 'HEALTH_FLAGS'], revoked_at: null });

    // Refer to a hospital in Kyrgyzstan: the form will not send until the referral is marked cross-border.
    await page.click('#open-refer');
    await page.focus('#refer-agency');
    await page.selectOption('#refer-agency', { label: 'Osh Regional Hospital (kg-osh-health, Health, KG)' });
    await page.fill('#refer-service', 'Specialist treatment');
    await page.fill('#refer-reason', 'Moved to Osh with her family');
    await expect(page.textContent('#refer-form')).resolves.toContain('This agency is in another country (KG)');
    expect(await page.isDisabled('#refer-form button[type=submit]')).toBe(true);
    await page.check('#refer-cross-border');
    await page.click('#refer-form button[type=submit]');
    await page.waitForSelector('.alert.ok');
    const referrals = await rows('select cross_border, status, to_agency_id from referral where returnee_id = $1', [person.id]);
    expect(referrals).toEqual([{ cross_border: true, status: 'PENDING', to_agency_id: kgHealth }]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'web-app-refer.png'), fullPage: true });

    // Revoke the consent with a reason.
    await page.click(`[data-consent="${consent.id}"] button.link`);
    await page.fill(`#revoke-${consent.id}`, 'Withdrawn by the person');
    await page.click(`[data-consent="${consent.id}"] form button[type=submit]`);
    await page.waitForSelector(`[data-consent="${consent.id}"].inactive`);
    const [revoked] = await rows('select revoked_at from consent where id = $1', [consent.id]);
    expect(revoked.revoked_at).not.toBeNull();
    const audited = await rows(
      `select operation, action, outcome, purpose from audit_event where staff_id = $1 and action <> 'READ' and operation <> 'registerReturnee' order by id`,
      [caseworker.id],
    );
    expect(audited.map((e) => `${e.operation} ${e.action} ${e.outcome}`)).toEqual(
      expect.arrayContaining(['recordConsent CREATE SUCCESS', 'referReturnee CREATE SUCCESS', 'revokeConsent UPDATE SUCCESS']),
    );
    expect(audited.every((e) => e.purpose === 'Referral to another agency')).toBe(true);
    expect(browser.errors).toEqual([]);
    await page.close();
  });

  it('lets a supervisor grant case access and end it', async () => {
    const page = await browser.newPage();
    await signIn(page, supervisor);
    await page.goto(`${hub.url}/app/#/record/${person.id}/sharing`);
    await page.waitForSelector('#open-grant');
    await page.click('#open-grant');
    await page.focus('#grant-agency');
    await page.selectOption('#grant-agency', { label: 'Aqtobe Rehabilitation Centre (kz-rehab-ngo, NGO, KZ)' });
    await page.fill('#grant-reason', 'Counselling after resettlement');
    await page.click('#grant-form button[type=submit]');
    await page.waitForSelector('#accesses li');
    const [access] = await rows('select id, agency_id, revoked_at from case_access where returnee_id = $1', [person.id]);
    expect(access).toMatchObject({ agency_id: ngoAgency, revoked_at: null });
    await page.click('#accesses li button.link');
    await page.fill(`#revoke-${access.id}`, 'Counselling finished');
    await page.click('#accesses li form button[type=submit]');
    await page.waitForSelector('#accesses li.inactive');
    const [ended] = await rows('select revoked_at from case_access where id = $1', [access.id]);
    expect(ended.revoked_at).not.toBeNull();
    expect(await seriousViolations(page)).toEqual([]);
    expect(browser.errors).toEqual([]);
    await page.close();
  });
  it('offers consent controls only to the sectors whose policy records consent (a health caseworker sees consents, cannot change them)', async () => {
    const kzHealth = await makeAgency(hub, 'kz-aqtobe-health', 'Aqtobe City Polyclinic No. 2', 'HEALTH');
    const clinician = await makeStaff(hub, kzHealth, 'share-health', 'Asel Nurmukhanova', ['CASEWORKER']);
    await asUser(
      hub,
      supervisor.token,
      'Referral to another agency',
      'mutation($i: GrantCaseAccessInput!) { grantCaseAccess(input: $i) { id } }',
      {
        i: { returneeId: person.id, agencyId: kzHealth, reason: 'Vaccination follow-up' },
      },
    );
    await asUser(
      hub,
      caseworker.token,
      'Referral to another agency',
      'mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id } }',
      { i: { returneeId: person.id, givenBy: 'SELF', sectors: ['HEALTH'], sections: ['IDENTITY'], purpose: 'Vaccination' } },
    );
    const page = await browser.newPage();
    await signIn(page, clinician);
    await page.goto(`${hub.url}/app/#/record/${person.id}/sharing`);
    await page.waitForSelector('#consents li');
    expect(await page.locator('#open-consent').count()).toBe(0);
    expect(await page.locator('#consents li button').count()).toBe(0);
    expect(browser.errors).toEqual([]);
    await page.close();
  });
});
