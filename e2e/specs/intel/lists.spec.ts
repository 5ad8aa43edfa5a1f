import { createIntelCase, LISTED, PRIVATE } from '../../fixtures/intel-case.ts';
import { expect, NO_TROUBLE, test } from '../../fixtures/test.ts';
import { AlertsPage } from '../../pages/alerts-page.ts';
import { openAtSettings } from '../../pages/intel-views.ts';

test.describe('blocklists and classes in the window', () => {
  test.describe.configure({ timeout: 90_000 });

  test('a list imported in Settings raises its alert, filters the grid, fills a column, and shows in the dossier as known at its date', async ({ casePage, app, evidence, trouble }) => {
    const page = casePage.page;
    const c = await createIntelCase(evidence.dir);
    const { settings, grid, bar, dossier, enrichment } = await openAtSettings(casePage, c.casePath);
    // Offline by default: every provider off.
    await expect(settings.providers).toHaveCount(4);
    for (const p of await settings.providers.all()) await expect(p).toHaveAttribute('data-enabled', 'false');
    await expect(page.getByTestId('settings-lists-none')).toBeVisible();

    app.dialogs.answerEvidence([c.listPath]);
    await settings.importLists.click();
    const row = settings.list(c.listName);
    await expect(row).toBeVisible();
    await expect(row.locator('[data-col="hits"]')).toHaveText('1');
    await expect(row.locator('[data-col="entries"]')).toHaveText('2');
    await expect(row.locator('[data-col="date"]')).toContainText("2026-11-22 21:49:03Z (its header)");
    await expect(row.locator('[data-col="sha256"]')).toHaveAttribute('title', c.listSha256);
    await expect(settings.imported).toContainText(`Imported ${c.listName}: 2 entries, 1 of the case's addresses on it.`);

    // The built-in blocklist rule ran again over the case.
    await casePage.show('alerts');
    const alerts = new AlertsPage(page);
    const group = alerts.groups.filter({ hasText: 'Web request from an address on an imported blocklist' });
    await expect(group.getByTestId('alert-row')).toHaveCount(1);
    await group.getByTestId('alert-row').click();
    await expect(alerts.entity).toContainText(LISTED);
    await expect(alerts.why).toContainText(`on ${c.listName}`);

    await casePage.show('events');
    await bar.apply(`src_list:${c.listName}`);
    await expect(grid.total).toHaveText(String(c.counts[LISTED]));
    await grid.setColumn('Src on lists', true);
    await grid.setColumn('Src class', true);
    await expect.poll(() => grid.intelValues('source-lists')).toEqual(Array(c.counts[LISTED]).fill(c.listName));
    await expect.poll(() => grid.intelValues('source-class')).toEqual(Array(c.counts[LISTED]).fill('public'));

    await bar.apply('src_class:private');
    await expect(grid.total).toHaveText(String(c.counts[PRIVATE]));
    await expect.poll(() => grid.intelValues('source-class')).toEqual(Array(c.counts[PRIVATE]).fill('private'));
    await expect.poll(() => grid.intelValues('source-lists')).toEqual(Array(c.counts[PRIVATE]).fill(''));
    await bar.apply('list:* or class:private');
    await expect(grid.total).toHaveText(String(c.counts[LISTED]! + c.counts[PRIVATE]!));
    // "Filter to this value" on a list cell writes the field the column stands for.
    await bar.apply('');
    await grid.waitUntilReady();
    const listed = grid.cells('source-lists').filter({ hasText: c.listName }).first();
    await listed.hover();
    await listed.getByTestId('filter-to-value').click();
    await expect(bar.input).toHaveValue(`src_list:${c.listName}`);
    await expect(grid.total).toHaveText(String(c.counts[LISTED]));

    await grid.pivotIn(grid.cell(grid.row(0), 'source-ip')).click();
    await dossier.waitUntilReady();
    await expect(enrichment.ready).toBeVisible();
    await expect(enrichment.category).toHaveAttribute('data-category', 'public');
    await expect(enrichment.listHits).toHaveCount(1);
    await expect(enrichment.listHits).toHaveAttribute('data-list', c.listName);
    await expect(enrichment.listHits).toContainText(`on ${c.listName} as known at 2026-11-22 21:49:03Z`);
    await expect(enrichment.listHits).toContainText('entry 45.83.64.0/24 · scanners seen on honeypots');
    await expect(enrichment.root.getByTestId('intel-lookups')).toContainText('Online providers are off');
    await expect(enrichment.root.getByTestId('intel-lookup')).toHaveCount(0);

    // A private address: classified offline, never offered to a provider.
    await casePage.show('events');
    await bar.apply(`src:${PRIVATE}`);
    await grid.pivotIn(grid.cell(grid.row(0), 'source-ip')).click();
    await expect(enrichment.category).toHaveAttribute('data-category', 'private');
    await expect(enrichment.category).toContainText('RFC 1918');
    await expect(enrichment.listHits).toHaveCount(0);
    await expect(enrichment.root.getByTestId('intel-lookups')).toContainText('stays on your machine');

    expect(trouble).toEqual(NO_TROUBLE);
  });
});
