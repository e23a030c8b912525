import type { HubServer } from '../src/server';
import { cspWith } from '../src/http/console';
import { createScratchDb, type ScratchDb } from './support/audit-scratch-db';
import { launchBrowser, type Browser } from './support/browser';
import { startFakeProvider, type FakeProvider } from './support/fake-oidc-provider';
import { startHub } from './support/hub';
import { makeAgency, makeStaff } from './support/web-fixtures';

/**
 * Signing in to the web client through an identity provider: OIDC authorization code with
 * PKCE (S256) against the issuer the hub is configured with, in Chromium. The provider checks
 * the verifier; the hub checks the access token it issues; a forged return is refused.
 */
let scratch: ScratchDb;
let hub: HubServer;
let idp: FakeProvider;
let browser: Browser;

beforeAll(async () => {
  scratch = await createScratchDb('weboidc');
  idp = await startFakeProvider('hub-web', () => hub.url);
  hub = await startHub({ DATABASE_URL: scratch.url, HUB_OIDC_ISSUER: idp.issuer, HUB_OIDC_AUDIENCE: 'hub-web' });
  const agency = await makeAgency(hub, 'kz-oidc-health', 'Aqtobe Regional Polyclinic No. 3', 'HEALTH');
  await makeStaff(hub, agency, 'oidc-health', 'Dr. Aigul Sadykova', ['CASEWORKER']);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  await idp?.stop();
  await scratch?.drop();
});

describe('web client sign-in with OIDC', () => {
  it('publishes the issuer and client id, and lets the page connect to that issuer only', async () => {
    const res = await fetch(`${hub.url}/app/config.json`);
    expect(await res.json()).toEqual({ oidc: { issuer: idp.issuer, clientId: 'hub-web', scope: 'openid' } });
    expect(res.headers.get('content-security-policy')).toBe(cspWith([idp.origin]));
    expect(res.headers.get('content-security-policy')).toContain(`connect-src 'self' ${idp.origin};`);
  });

  it('signs a caseworker in with authorization code and PKCE, and refuses a forged return', async () => {
    idp.user = 'oidc-health';
    const page = await browser.newPage();
    await page.goto(`${hub.url}/app/`);
    await page.waitForSelector('#oidc-sign-in');
    await page.selectOption('select[name="purpose-choice"]', 'caseConference');
    await page.click('#oidc-sign-in');
    await page.waitForSelector('#whoami');
    await expect(page.textContent('#whoami')).resolves.toBe('Dr. Aigul Sadykova · Aqtobe Regional Polyclinic No. 3');
    await expect(page.textContent('#purpose-shown')).resolves.toBe('Case conference');
    expect(idp.exchanges).toEqual([{ ok: true }]);
    expect(page.url()).not.toMatch(/[?&](code|state)=/); // the code and state are gone from the address
    await page.click('#sign-out');
    await page.waitForSelector('#sign-in-form');

    // A return that this tab did not start (no pending state) is refused before any token request.
    await page.goto(`${hub.url}/app/?code=stolen&state=forged`);
    await page.waitForSelector('#alert');
    await expect(page.textContent('#alert')).resolves.toContain('Sign-in through your organisation failed');
    expect(idp.exchanges).toHaveLength(1);
    expect(await page.evaluate('sessionStorage.getItem("hub-app-session")')).toBeNull();
    expect(browser.errors).toEqual([]);
    await page.close();
  });
});
