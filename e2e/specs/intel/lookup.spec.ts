import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fakeProvider, type FakeProvider } from '../../../electron/test/provider-server.ts';
import { createBusyCase, createIntelCase, FAR, LISTED, NOT_FOUND_ONLY, PUBLIC } from '../../fixtures/intel-case.ts';
import { expect, NO_TROUBLE, test as base } from '../../fixtures/test.ts';
import { AlertsPage } from '../../pages/alerts-page.ts';
import { BulkLookupPart } from '../../pages/bulk-lookup.ts';
import type { CasePage } from '../../pages/case-page.ts';
import { EventsPage } from '../../pages/events-page.ts';
import { FilterBarPage } from '../../pages/filter-bar.ts';
import { openAtSettings } from '../../pages/intel-views.ts';
import { screenshotView } from '../../pages/screenshots.ts';

const KEY = 'e2e-ABUSE-KEY-5d2c7e91f0';
const HOSTILE_ISP = '<img src=x onerror=alert(1)>';
const HOSTILE_TAG = '<script>alert(2)</script>';

// Real HTTP servers on loopback that answer as AbuseIPDB and Shodan InternetDB document, with
// hostile text in their answers; the engine is pointed at them through the fixture's providerBaseUrls.
const test = base.extend<{ abuse: FakeProvider; shodan: FakeProvider }>({
  abuse: async ({}, use) => {
    const server = await fakeProvider('abuseipdb', { [LISTED]: { abuseConfidenceScore: 97, totalReports: 40, isp: HOSTILE_ISP } }, KEY);
    await use(server);
    await server.close();
  },
  shodan: async ({}, use) => {
    const server = await fakeProvider('shodan-internetdb', { [LISTED]: { ports: [22, 80], tags: [HOSTILE_TAG, 'scanner'], hostnames: ['<b>x</b>.example'] } });
    await use(server);
    await server.close();
  },
  providerBaseUrls: async ({ abuse, shodan }, use) => {
    await use({ abuseipdb: abuse.url, 'shodan-internetdb': shodan.url });
  },
});

test.describe('online reputation from the window', () => {
  test.describe.configure({ timeout: 120_000 });

  test('a provider turned on with a saved key answers in the dossier; the key never reaches the page, the case or the logs; hostile answers are text', async ({ casePage, app, evidence, trouble, abuse, shodan }, testInfo) => {
    const page = casePage.page;
    const c = await createIntelCase(evidence.dir);
    const { settings, grid, bar, dossier, enrichment } = await openAtSettings(casePage, c.casePath);
    await settings.setEnabled('abuseipdb', true);
    const keyState = settings.provider('abuseipdb').getByTestId('settings-key-state');
    await expect(keyState).toHaveText('key set: no');

    // Without its key AbuseIPDB cannot be asked: the dossier's button says so.
    await casePage.show('events');
    await bar.apply(`src:${LISTED}`);
    await grid.pivotIn(grid.cell(grid.row(0), 'source-ip')).click();
    await dossier.waitUntilReady();
    await expect(enrichment.lookup('abuseipdb')).toBeDisabled();
    await expect(enrichment.lookup('abuseipdb')).toHaveAttribute('title', 'AbuseIPDB needs an API key (Settings)');
    expect(abuse.requests).toHaveLength(0);

    await casePage.show('settings');
    await settings.saveKey('abuseipdb', KEY);
    await expect(keyState).toHaveText('key set: yes');
    await expect(settings.provider('abuseipdb').getByTestId('settings-key-input')).toHaveValue('');
    await settings.setEnabled('shodan-internetdb', true);
    await screenshotView(page, testInfo, 'intel-settings');

    await page.getByTestId('nav-dossier').click();
    await dossier.waitUntilReady();
    await enrichment.lookup('abuseipdb').click();
    await expect(enrichment.answer('abuseipdb')).toHaveAttribute('data-verdict', 'malicious');
    await expect(enrichment.answer('abuseipdb').getByTestId('intel-verdict')).toHaveText('malicious');
    await expect(enrichment.answer('abuseipdb').getByTestId('intel-summary')).toContainText('abuse confidence 97%; 40 report(s)');
    await expect(enrichment.answer('abuseipdb').getByTestId('intel-fetched')).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    expect(abuse.requests.map((r) => r.headers['key'])).toEqual([KEY]);
    expect(abuse.requests[0]?.path).toContain(`ipAddress=${LISTED}`);

    await enrichment.lookup('shodan-internetdb').click();
    await expect(enrichment.answer('shodan-internetdb')).toHaveAttribute('data-verdict', 'suspicious');
    // What the providers said is shown as the text it is.
    await expect(enrichment.answer('shodan-internetdb').getByTestId('intel-summary')).toContainText(HOSTILE_TAG);
    await expect(enrichment.answer('abuseipdb').getByTestId('intel-summary')).toContainText(HOSTILE_ISP);
    await expect(enrichment.reputation.locator('script, img, b')).toHaveCount(0);
    await enrichment.root.scrollIntoViewIfNeeded();
    await screenshotView(page, testInfo, 'intel-dossier-enrichment');
    // Asking again is a button of its own; the answer shown is the cached one until then.
    await expect(enrichment.lookup('abuseipdb')).toHaveText('Ask AbuseIPDB again');

    // A reopened case still shows what was known, and when.
    await casePage.open(c.casePath);
    await casePage.show('events');
    await bar.apply(`src:${LISTED}`);
    await grid.pivotIn(grid.cell(grid.row(0), 'source-ip')).click();
    await expect(enrichment.answer('abuseipdb')).toHaveAttribute('data-verdict', 'malicious');
    expect(abuse.requests).toHaveLength(1);

    // The key is in none of what an analyst or a log reader can see.
    expect(await page.content()).not.toContain(KEY);
    await app.loupe.close();
    const dir = dirname(c.casePath);
    for (const f of readdirSync(dir).filter((n) => n.startsWith('intel.loupe'))) {
      expect(readFileSync(join(dir, f)).includes(KEY), f).toBe(false);
    }
    expect(readFileSync(join(app.dataDir, 'intel-keys.json')).includes(KEY)).toBe(false);
    expect(JSON.stringify(trouble)).not.toContain(KEY);
    expect(shodan.requests.map((r) => r.path)).toEqual([`/${LISTED}`]);
    expect(trouble).toEqual(NO_TROUBLE);
  });

  /** Opens the case with Shodan InternetDB (no key needed) turned on in Settings. */
  async function openWithShodan(casePage: CasePage, casePath: string): Promise<void> {
    const { settings } = await openAtSettings(casePage, casePath);
    await settings.setEnabled('shodan-internetdb', true);
  }

  test('bulk lookup of the filter\'s public addresses shows progress and can be cancelled', async ({ casePage, evidence, trouble, shodan }) => {
    await openWithShodan(casePage, (await createIntelCase(evidence.dir)).casePath);
    await casePage.show('events');
    const bulk = new BulkLookupPart(casePage.page.getByTestId('events-view'));
    await bulk.open();
    await expect(bulk.count).toHaveText('2 public addresses in the events of this filter.');
    await bulk.choose('shodan-internetdb');
    // The first address answers; the second hangs until the analyst cancels.
    shodan.script({ status: 200, body: { ip: LISTED, ports: [443], cpes: [], hostnames: [], tags: [], vulns: [] } }, { delayMs: 60_000 });
    await bulk.start.click();
    await expect(bulk.status).toHaveAttribute('data-state', 'running');
    await expect(bulk.progress).toContainText('1 of 2');
    await expect.poll(() => shodan.requests.length).toBe(2);
    await bulk.cancel.click();
    await expect(bulk.status).toHaveAttribute('data-state', 'done');
    await expect(bulk.summary).toContainText('Cancelled: 1 answer (0 from the case), 2 requests sent');
    expect(new Set(shodan.requests.map((r) => r.path))).toEqual(new Set([`/${LISTED}`, `/${PUBLIC}`]));
    expect(trouble).toEqual(NO_TROUBLE);
  });

  test('bulk lookup asks about every public address of the filter, not only the loaded rows; the Alerts view looks up its alerts\' addresses', async ({ casePage, evidence, trouble, shodan }, testInfo) => {
    const page = casePage.page;
    const grid = new EventsPage(page);
    const bar = new FilterBarPage(page);
    const alerts = new AlertsPage(page);
    await openWithShodan(casePage, (await createBusyCase(evidence.dir)).casePath);

    // The alerts shown are about a public address (its /.env request) and nothing else public.
    await casePage.show('alerts');
    await expect(alerts.rows.first()).toBeVisible();
    const fromAlerts = new BulkLookupPart(alerts.root);
    await fromAlerts.open();
    await expect(fromAlerts.count).toHaveText('1 public address in the 1 alert shown.');
    await fromAlerts.choose('shodan-internetdb');
    await fromAlerts.start.click();
    await expect(fromAlerts.summary).toContainText('1 answer (0 from the case), 1 request sent');
    await screenshotView(page, testInfo, 'intel-alerts-bulk-lookup');
    expect(shodan.requests.map((r) => r.path)).toEqual([`/${FAR}`]);

    // The grid holds its first 500 rows of this filter; the address far down is not among them.
    await casePage.show('events');
    await bar.apply('status:200');
    await grid.waitUntilReady();
    expect(await grid.loaded()).toBe(500);
    const bulk = new BulkLookupPart(page.getByTestId('events-view'));
    await bulk.open();
    await expect(bulk.count).toHaveText('3 public addresses in the events of this filter.');
    await bulk.choose('shodan-internetdb');
    await expect(bulk.start).toHaveText('Look up these 3 addresses');
    await screenshotView(page, testInfo, 'intel-bulk-lookup');
    await bulk.start.click();
    await expect(bulk.summary).toContainText('3 answers (1 from the case), 2 requests sent');
    const asked = shodan.requests.map((r) => r.path);
    expect(asked).toHaveLength(3);
    expect(new Set(asked)).toEqual(new Set([`/${FAR}`, `/${LISTED}`, `/${PUBLIC}`]));
    expect(asked).not.toContain(`/${NOT_FOUND_ONLY}`);

    // A text filter makes the engine read the events themselves; without the status the address
    // whose only request was a 404 is among them too.
    await bar.apply('GET');
    await expect(bulk.count).toHaveText('4 public addresses in the events of this filter.');
    await bar.apply('"/page/1183"');
    await expect(bulk.count).toHaveText('1 public address in the events of this filter.');
    expect(trouble).toEqual(NO_TROUBLE);
  });

  test('new data alone (a live feed) neither stops nor restarts the count more than every 10 s: the last count stays, as of when it was made, and can be looked up', async ({ casePage, app, evidence, trouble }) => {
    const page = casePage.page;
    await openWithShodan(casePage, (await createIntelCase(evidence.dir)).casePath);
    await casePage.show('events');
    // A count that reads the events of this small case reports its progress once.
    await page.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { countsSeen: number[] }).countsSeen = seen;
      window.loupe?.intel.onPublicIpsProgressChanged((p) => seen.push(p.serial));
    });
    const counts = (): Promise<number> => page.evaluate(() => (window as unknown as { countsSeen: number[] }).countsSeen.length);
    await new FilterBarPage(page).apply('HTTP');
    const bulk = new BulkLookupPart(page.getByTestId('events-view'));
    await bulk.open();
    await expect(bulk.count).toHaveText('2 public addresses in the events of this filter.');
    await bulk.choose('shodan-internetdb');
    expect(await counts()).toBe(1);

    // Alerts alone (a triage, a detection run) change no event: the count stays current.
    app.push('alerts:list-changed', { total: 0 });
    await page.waitForTimeout(500);
    await expect(bulk.count).toHaveText('2 public addresses in the events of this filter.', { timeout: 1000 });

    // The live controller says the case changed about once a second.
    const summary = await page.evaluate(async () => {
      const current = await window.loupe?.case.getCurrent();
      if (!current?.ok || !current.value) throw new Error('no case open');
      return current.value;
    });
    for (let i = 0; i < 4; i += 1) {
      app.push('case:summary-changed', summary);
      await page.waitForTimeout(500);
      await expect(bulk.count).toHaveAttribute('data-state', 'ready');
      await expect(bulk.start).toBeEnabled();
    }
    expect(await counts()).toBe(1);
    await expect(bulk.count).toHaveText(/^2 public addresses in the events of this filter, as of \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\.$/);
    // Counted again once 10 s have passed since the last count.
    await expect.poll(counts, { timeout: 15_000 }).toBe(2);
    await expect(bulk.count).toHaveText('2 public addresses in the events of this filter.');

    // A new filter is counted at once.
    await new FilterBarPage(page).apply('"/.env"');
    await expect(bulk.count).toHaveText('1 public address in the events of this filter.', { timeout: 3000 });
    expect(trouble).toEqual(NO_TROUBLE);
  });

  test('a lookup still running when its panel goes away is cancelled, so the next one can start', async ({ casePage, evidence, trouble, shodan }) => {
    const page = casePage.page;
    await openWithShodan(casePage, (await createBusyCase(evidence.dir)).casePath);
    await casePage.show('alerts');
    const fromAlerts = new BulkLookupPart(new AlertsPage(page).root);
    await fromAlerts.open();
    await fromAlerts.choose('shodan-internetdb');
    shodan.script({ delayMs: 60_000 });
    await fromAlerts.start.click();
    await expect(fromAlerts.status).toHaveAttribute('data-state', 'running');
    await expect.poll(() => shodan.requests.length).toBe(1);

    // Leaving the view removes the panel (and its Cancel) from the window.
    await casePage.show('events');
    const bulk = new BulkLookupPart(page.getByTestId('events-view'));
    await bulk.open();
    await expect(bulk.count).toHaveText('4 public addresses in the events of this filter.');
    await bulk.choose('shodan-internetdb');
    await bulk.start.click();
    await expect(bulk.summary).toContainText('4 answers');
    expect(trouble).toEqual(NO_TROUBLE);
  });
});
