/**
 * `npm run perf:web`: measures the web client the way a caseworker on a poor link meets it, in
 * Debian's Chromium under Chrome DevTools' "Slow 3G" profile (2 s round trip, 50 kB/s each way,
 * set through CDP Network.emulateNetworkConditions), cold cache, against a hub on a scratch
 * database (DATABASE_URL's server, default the machine's PostgreSQL):
 * - the bytes of the first load (compressed, as sent) and of the whole build (gzip);
 * - first load: navigation until the sign-in form is usable;
 * - time to a record: navigation, sign-in, a search and opening the record, with no typing time;
 * - GraphQL requests per screen, for /app/ and /audit/.
 * Prints a JSON summary; docs/web-client.md quotes it. Not part of `npm test` (it takes minutes).
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { WEB_DIR } from '../../src/paths';
import { createScratchDb } from '../../test/support/audit-scratch-db';
import { launchBrowser } from '../../test/support/browser';
import { startHub, tokenFor } from '../../test/support/hub';
import { asUser, makeAgency, makeStaff, register } from '../../test/support/web-fixtures';

// Read when the scratch database is made (testDatabaseUrl), not at import.
process.env.HUB_TEST_DATABASE_URL ??= process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

const SLOW_3G = { offline: false, latency: 2000, downloadThroughput: ((500 * 1000) / 8) * 0.8, uploadThroughput: ((500 * 1000) / 8) * 0.8 };

async function main(): Promise<void> {
  const scratch = await createScratchDb('webperf');
  const hub = await startHub({ DATABASE_URL: scratch.url, HUB_REQUIRE_PURPOSE: '1' });
  const browser = await launchBrowser();
  try {
    const social = await makeAgency(hub, 'kz-perf-social', 'Aqtobe Social Protection Department', 'SOCIAL');
    const polyclinic = await makeAgency(hub, 'kz-perf-health', 'Aqtobe Regional Polyclinic No. 3', 'HEALTH');
    const sw = await makeStaff(hub, social, 'perf-social', 'Dana Serikova', ['CASEWORKER', 'SUPERVISOR']);
    const health = await makeStaff(hub, polyclinic, 'perf-health', 'Dr. Marat Iskakov', ['CASEWORKER']);
    await makeStaff(hub, await makeAgency(hub, 'kz-perf-dpo', 'Data Protection Office', 'OVERSIGHT'), 'perf-auditor', 'Saule Abenova', [
      'AUDITOR',
    ]);
    let target = '';
    const names = ['Aigerim', 'Madina', 'Zarina', 'Aruzhan', 'Dilnoza', 'Gulnara', 'Saule', 'Aliya', 'Dana', 'Kamila'];
    for (let i = 0; i < 40; i++) {
      const r = await register(hub, sw, {
        givenName: i === 0 ? 'Aigerim' : `${names[i % names.length]}-${'abcdefghij'[Math.floor(i / 10)]}`,
        familyName: 'Nurlanova',
        sex: 'FEMALE',
        dateOfBirth: '1994-03-12',
        region: 'Aqtobe',
      });
      await asUser(hub, sw.token, 'Perf setup', 'mutation($i: GrantCaseAccessInput!) { grantCaseAccess(input: $i) { id } }', {
        i: { returneeId: r.id, agencyId: polyclinic, reason: 'Screening' },
      });
      await asUser(hub, sw.token, 'Perf setup', 'mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id } }', {
        i: { returneeId: r.id, givenBy: 'SELF', sectors: ['HEALTH'], sections: ['IDENTITY'], purpose: 'Screening' },
      });
      if (i === 0) target = r.id;
    }

    const page = await browser.newPage();
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.clearBrowserCache');
    await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
    let bytes = 0;
    cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => {
      bytes += e.encodedDataLength;
    });
    const gqlCalls: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/graphql')) gqlCalls.push(/(?:query|mutation)\s+(\w+)/.exec(r.postData() ?? '')?.[1] ?? '?');
    });
    const perScreen: Record<string, string[]> = {};
    const step = async (name: string, action: () => Promise<unknown>) => {
      const before = gqlCalls.length;
      const t = Date.now();
      await action();
      perScreen[name] = gqlCalls.slice(before);
      return Date.now() - t;
    };

    const t0 = Date.now();
    const firstLoad = await step('sign-in page', async () => {
      await page.goto(`${hub.url}/app/`);
      await page.waitForSelector('#sign-in-form');
    });
    const firstLoadBytes = bytes;
    const signIn = await step('sign in', async () => {
      await page.fill('#token', health.token);
      await page.click('#sign-in-form button[type=submit]');
      await page.waitForSelector('#whoami');
    });
    const find = await step('find a person', async () => {
      await page.fill('#f-search', 'aigerim');
      await page.click('#find');
      await page.waitForSelector('#results tbody tr');
    });
    const open = await step('record', async () => {
      await page.click(`a[href="#/record/${target}"]`);
      await page.waitForSelector('.record-section[data-section="HEALTH_FLAGS"]');
    });
    const timeToRecord = Date.now() - t0;
    await step('history tab', async () => {
      await page.click('a.tab[data-view="history"]');
      await page.waitForSelector('#history-title');
    });
    await step('sharing tab', async () => {
      await page.click('a.tab[data-view="sharing"]');
      await page.waitForSelector('#consents-title');
    });
    await step('referrals', async () => {
      await page.click('a[href="#/referrals"]');
      await page.waitForSelector('#referrals-count');
    });
    // A second visit: the hashed assets come from the cache, only the page and the API go over the link.
    await page.evaluate(`location.hash = '#/record/${target}'`);
    const t1 = Date.now();
    await page.reload();
    await page.waitForSelector('.record-section[data-section="HEALTH_FLAGS"]');
    const warmRecord = Date.now() - t1;

    const audit = await browser.newPage();
    const acdp = await browser.context.newCDPSession(audit);
    await acdp.send('Network.enable');
    await acdp.send('Network.emulateNetworkConditions', SLOW_3G);
    audit.on('request', (r) => {
      if (r.url().endsWith('/graphql')) gqlCalls.push(/(?:query|mutation)\s+(\w+)/.exec(r.postData() ?? '')?.[1] ?? '?');
    });
    const auditLoad = await step('audit: sign-in page', async () => {
      await audit.goto(`${hub.url}/audit/`);
      await audit.waitForSelector('#sign-in-form');
    });
    await step('audit: events', async () => {
      await audit.fill('#token', await tokenFor('perf-auditor'));
      await audit.click('#sign-in-form button[type=submit]');
      await audit.waitForSelector('#events tbody tr');
    });
    await step('audit: report', async () => {
      await audit.click(`#events tbody button[data-returnee]`);
      await audit.waitForSelector('#report .agency-card');
    });
    await step('audit: integrity', async () => {
      await audit.click('.tab[data-view="integrity"]');
      await audit.waitForSelector('#integrity .verdict');
    });

    const assets = path.join(WEB_DIR, 'assets');
    const gz = readdirSync(assets).filter((f) => f.endsWith('.gz'));
    const size = (files: string[]) => files.reduce((n, f) => n + statSync(path.join(assets, f)).size, 0);
    const summary = {
      network: 'Slow 3G (DevTools preset: 2000 ms latency, 50 kB/s down and up), cold cache',
      bundleGzipBytes: {
        caseworkerFirstLoad: size(gz.filter((f) => /^(app|ui|i18n-en-(common|app))-/.test(f))),
        auditorFirstLoad: size(gz.filter((f) => /^(audit|ui|i18n-en-(common|audit))-/.test(f))),
        wholeBuild: size(gz),
      },
      firstLoadTransferredBytes: firstLoadBytes,
      firstLoadMs: firstLoad,
      signInMs: signIn,
      findMs: find,
      openRecordMs: open,
      timeToRecordMs: timeToRecord,
      warmCacheRecordMs: warmRecord,
      auditorFirstLoadMs: auditLoad,
      graphqlRequestsPerScreen: Object.fromEntries(
        Object.entries(perScreen).map(([k, v]) => [k, `${v.length}${v.length ? ` (${v.join(', ')})` : ''}`]),
      ),
    };
    console.log(JSON.stringify(summary, null, 2));
  } finally {
    await browser.close();
    await hub.stop();
    await scratch.drop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
