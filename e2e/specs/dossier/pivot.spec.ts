import type { CaseFacts } from '../../fixtures/case-facts.ts';
import { DossierPage } from '../../pages/dossier-page.ts';
import { EventsPage } from '../../pages/events-page.ts';
import { FilterBarPage } from '../../pages/filter-bar.ts';
import { screenshotView } from '../../pages/screenshots.ts';
import { expect, NO_TROUBLE, shown, test } from '../../fixtures/workbench.ts';

/** A top-N list shows the case's counts, and no value left out has more events than one shown. */
function expectTopN(entries: { value: string; count: number }[], truth: { value: string; count: number }[]): void {
  expect(entries.length).toBeGreaterThan(0);
  const counts = new Map(truth.map((t) => [t.value, t.count]));
  for (const e of entries) expect(e.count, e.value).toBe(counts.get(e.value));
  const smallest = Math.min(...entries.map((e) => e.count));
  const left = truth.filter((t) => !entries.some((e) => e.value === t.value));
  for (const t of left) expect(t.count, `${t.value} is left out`).toBeLessThanOrEqual(smallest);
}

const formatTime = (ts: number) => new Date(ts).toISOString().replace('T', ' ').replace('.000Z', 'Z');

test.describe('pivots', () => {
  // Each call crosses the test bridge (a Playwright binding), far slower than Electron's IPC.
  test.describe.configure({ timeout: 90_000 });

  test('an IP in the grid opens its dossier with the case\'s counts; users pivot on; back lands where the analyst was', async ({ casePage, generated, facts, trouble }, testInfo) => {
    const page = casePage.page;
    const grid = new EventsPage(page);
    const bar = new FilterBarPage(page);
    const dossier = new DossierPage(page);
    const sprayer = generated.truth.actors.find((a) => a.category === 'ssh-password-spraying');
    const ip = sprayer?.ip;
    if (!ip) throw new Error('the generated case has no password sprayer');
    const where = 'src_ip = ? OR dst_ip = ?';

    await casePage.open(generated.casePath);
    await casePage.show('events');
    await bar.apply(`ip:${ip}`);
    await expect(grid.total).toHaveText(shown(facts.count(where, ip, ip)));
    await grid.waitUntilReady();
    // The last row, a screen or two down: coming back must find it scrolled into view again.
    await grid.select(grid.row(0));
    await grid.grid.press('End');
    const last = facts.count(where, ip, ip) - 1;
    await expect(grid.selectedRow).toHaveAttribute('data-index', String(last));
    await expect(grid.row(0)).not.toBeInViewport();
    const row = grid.row(last);
    const rowId = await row.getAttribute('data-event-id');
    await grid.pivotIn(grid.cell(row, 'source-ip')).click();

    await dossier.waitUntilReady();
    await expect(dossier.dossier).toHaveAttribute('data-entity-type', 'ip');
    await expect(dossier.value).toHaveText(ip);
    await expect(dossier.total).toHaveText(shown(facts.count(where, ip, ip)));
    const bounds = facts.timeBounds(where, ip, ip);
    await expect(dossier.firstSeen).toHaveText(formatTime(bounds.first));
    await expect(dossier.lastSeen).toHaveText(formatTime(bounds.last));
    for (const s of facts.perSource(where, ip, ip)) {
      await expect(dossier.sources.locator(`[data-source="${s.name}"] [data-col="count"]`)).toHaveText(shown(s.count));
    }
    expectTopN(await dossier.entries('datasets'), facts.countsBy('dataset', `(${where})`, ip, ip));
    expectTopN(await dossier.entries('actions'), facts.countsBy('action', `(${where})`, ip, ip));
    expectTopN(await dossier.entries('users'), facts.countsBy('user', `(${where})`, ip, ip));
    await expect(dossier.timeline).toBeVisible();
    await expect(dossier.enrichment).toBeVisible();
    await expect(dossier.alerts.locator('li').first()).toBeVisible();
    await page.mouse.move(0, 0);
    await screenshotView(page, testInfo, 'dossier-ip');

    // On to a user it tried: that user's own dossier.
    const user = (await dossier.entries('users'))[0]?.value ?? '';
    await dossier.list('users').locator('[data-pivot]').first().click();
    await dossier.waitUntilReady();
    await expect(dossier.dossier).toHaveAttribute('data-entity-type', 'user');
    await expect(dossier.value).toHaveText(user);
    await expect(dossier.total).toHaveText(shown(facts.count('user = ?', user)));

    // Back: the grid as it was, the same row selected and in view.
    await dossier.back.click();
    await grid.waitUntilReady();
    await expect(bar.input).toHaveValue(`ip:${ip}`);
    await expect(grid.selectedRow).toHaveAttribute('data-event-id', rowId ?? '');
    await expect(grid.selectedRow).toBeInViewport();
    expect(trouble).toEqual(NO_TROUBLE);
  });

  test('"show these events" takes a dossier back to the grid, filtered to it', async ({ casePage, generated, facts, trouble }) => {
    const page = casePage.page;
    const grid = new EventsPage(page);
    const bar = new FilterBarPage(page);
    const dossier = new DossierPage(page);
    await casePage.open(generated.casePath);
    await casePage.show('events');
    await grid.waitUntilReady();

    const host = grid.cells('host').locator('[data-pivot]').first();
    const name = (await host.textContent()) ?? '';
    await host.click();
    await dossier.waitUntilReady();
    await expect(dossier.dossier).toHaveAttribute('data-entity-type', 'host');
    await expect(dossier.total).toHaveText(shown(facts.count('host = ?', name)));
    await dossier.showEvents.click();
    await expect(bar.input).toHaveValue(`host:${name}`);
    await expect(grid.total).toHaveText(shown(facts.count('host = ?', name)));
    await grid.waitUntilReady();
    for (const h of await grid.cells('host').locator('[data-pivot]').allTextContents()) expect(h).toBe(name);
    expect(trouble).toEqual(NO_TROUBLE);
  });
});
