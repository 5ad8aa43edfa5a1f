import { EventsPage } from '../../pages/events-page.ts';
import { FilterBarPage } from '../../pages/filter-bar.ts';
import { TimelinePage } from '../../pages/timeline-page.ts';
import { screenshotView } from '../../pages/screenshots.ts';
import { expect, NO_TROUBLE, shown, test } from '../../fixtures/workbench.ts';

test.describe('the timeline', () => {
  // Each call crosses the test bridge (a Playwright binding), far slower than Electron's IPC.
  test.describe.configure({ timeout: 90_000 });

  test('charts the case stacked by dataset or level with alerts marked; a brushed range filters the grid until cleared', async ({ casePage, generated, facts, trouble }, testInfo) => {
    const page = casePage.page;
    const timeline = new TimelinePage(page);
    const grid = new EventsPage(page);
    const bar = new FilterBarPage(page);
    const all = facts.count();
    await casePage.open(generated.casePath);
    await casePage.show('timeline');
    await timeline.waitUntilReady();
    await expect(timeline.timeline).toHaveAttribute('data-total', String(facts.count('ts IS NOT NULL')));
    for (const d of facts.countsBy('dataset', '1').slice(0, 3)) await expect(timeline.legend).toContainText(d.value);
    const alerts = facts.alertCount();
    expect(alerts).toBeGreaterThan(0);
    await expect(timeline.alerts).toHaveAttribute('data-count', String(alerts));
    expect(await timeline.alertMarks.count()).toBeGreaterThan(0);

    await timeline.stackBy('level').check();
    await timeline.waitUntilReady();
    await expect(timeline.legend).toContainText('info');
    await expect(timeline.legend).not.toContainText('apache.access');

    // Drag across a quarter of the chart: the range is set, and the chart zooms into it.
    const wide = await timeline.bucketMs();
    await timeline.drag(0.3, 0.55, false);
    await screenshotView(page, testInfo, 'timeline-brushing');
    await page.mouse.up();
    await expect(bar.rangeChip).toBeVisible();
    const range = await bar.range();
    expect(range.to).toBeGreaterThan(range.from);
    const inRange = facts.count('ts >= ? AND ts < ?', range.from, range.to);
    expect(inRange).toBeGreaterThan(0);
    expect(inRange).toBeLessThan(all);
    await expect(timeline.timeline).toHaveAttribute('data-total', String(inRange));
    await timeline.waitUntilReady();
    expect(await timeline.bucketMs()).toBeLessThan(wide);
    await page.mouse.move(0, 0);
    await screenshotView(page, testInfo, 'timeline-brushed');

    // The grid follows: only rows in the range, from its first one.
    await casePage.show('events');
    await expect(grid.total).toHaveText(shown(inRange));
    await grid.waitUntilReady();
    const first = facts.firstRows(1, 'ts >= ? AND ts < ?', range.from, range.to)[0];
    await expect(grid.row(0)).toHaveAttribute('data-event-id', String(first?.id));
    for (const t of await grid.cells('time').allTextContents()) {
      const ts = Date.parse(t.replace(' ', 'T'));
      expect(ts).toBeGreaterThanOrEqual(range.from);
      expect(ts).toBeLessThan(range.to);
    }

    // Cleared, every view has the whole case again.
    await bar.clearRange.click();
    await expect(bar.rangeChip).toHaveCount(0);
    await expect(grid.total).toHaveText(shown(all));
    await casePage.show('timeline');
    await expect(timeline.timeline).toHaveAttribute('data-total', String(facts.count('ts IS NOT NULL')));
    expect(trouble).toEqual(NO_TROUBLE);
  });
});
