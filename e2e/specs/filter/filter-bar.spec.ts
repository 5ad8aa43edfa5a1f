import { EventsPage } from '../../pages/events-page.ts';
import { FilterBarPage } from '../../pages/filter-bar.ts';
import { screenshotView } from '../../pages/screenshots.ts';
import { expect, NO_TROUBLE, shown, test } from '../../fixtures/workbench.ts';

test.describe('the filter bar', () => {
  // Each call crosses the test bridge (a Playwright binding), far slower than Electron's IPC.
  test.describe.configure({ timeout: 90_000 });

  test('filters the grid on Enter, shows a bad query\'s error in place, and clears', async ({ casePage, generated, facts, trouble }, testInfo) => {
    const grid = new EventsPage(casePage.page);
    const bar = new FilterBarPage(casePage.page);
    await casePage.open(generated.casePath);
    await casePage.show('events');
    await grid.waitUntilReady();
    const all = facts.count();

    await bar.apply('status>=400');
    const failing = facts.count('http_status >= 400');
    await expect(grid.total).toHaveText(shown(failing));
    await grid.waitUntilReady();
    await expect(bar.bar).toHaveAttribute('data-state', 'applied');
    const statuses = (await grid.cells('status').allTextContents()).map(Number);
    expect(statuses.length).toBeGreaterThan(5);
    for (const s of statuses) expect(s).toBeGreaterThanOrEqual(400);

    // As the analyst types a bad query, the error shows beside the bar and the bad part is
    // underlined where it stands in the text; Enter applies nothing.
    await bar.input.fill('status>=abc and user:root');
    await expect(bar.bar).toHaveAttribute('data-state', 'invalid');
    await expect(bar.input).toHaveAttribute('aria-invalid', 'true');
    await expect(bar.error).toContainText('"abc"');
    await expect(bar.errorSpan).toHaveText('abc');
    const span = await bar.errorSpan.boundingBox();
    const input = await bar.input.boundingBox();
    expect(span && input && span.x > input.x && span.x + span.width < input.x + input.width * 0.5).toBe(true);
    await screenshotView(casePage.page, testInfo, 'filter-bar-error');
    await bar.input.press('Enter');
    await expect(grid.total).toHaveText(shown(failing));

    // Fixed, it applies.
    await bar.input.fill('status>=400 and method:POST');
    await expect(bar.error).toHaveCount(0);
    await expect(bar.bar).toHaveAttribute('data-state', 'edited');
    await bar.input.press('Enter');
    await expect(grid.total).toHaveText(shown(facts.count("http_status >= 400 AND http_method = 'POST'")));

    await bar.clearButton.click();
    await expect(bar.input).toHaveValue('');
    await expect(grid.total).toHaveText(shown(all));
    expect(trouble).toEqual(NO_TROUBLE);
  });

  test('"filter to this value" narrows the query from the detail pane', async ({ casePage, generated, facts, trouble }) => {
    const grid = new EventsPage(casePage.page);
    const bar = new FilterBarPage(casePage.page);
    await casePage.open(generated.casePath);
    await casePage.show('events');
    await grid.waitUntilReady();

    const row = grid.rows.filter({ has: casePage.page.locator('[data-col="dataset"]', { hasText: /^sudo$/ }) }).first();
    const action = facts.event(Number(await row.getAttribute('data-event-id'))).action ?? '';
    await grid.open(row);
    await expect(grid.detail).toHaveAttribute('data-state', 'ready');
    await grid.detail.locator('[data-field="event.dataset"]').getByTestId('filter-to-value').click();
    await expect(bar.input).toHaveValue('dataset:sudo');
    await expect(grid.total).toHaveText(shown(facts.count("dataset = 'sudo'")));

    await grid.detail.locator('[data-field="event.action"]').getByTestId('filter-to-value').click();
    await expect(bar.input).toHaveValue(`dataset:sudo and action:${action}`);
    await expect(grid.total).toHaveText(shown(facts.count("dataset = 'sudo' AND action = ?", action)));

    // In the grid, ⊕ beside an IP (shown on the row under the mouse) does the same.
    await bar.clearButton.click();
    await grid.waitUntilReady();
    const ipRow = grid.rows.filter({ has: casePage.page.locator('[data-col="source-ip"] [data-pivot]') }).first();
    const ip = (await grid.cell(ipRow, 'source-ip').locator('[data-pivot]').textContent()) ?? '';
    await ipRow.hover();
    await grid.cell(ipRow, 'source-ip').getByTestId('filter-to-value').click();
    await expect(bar.input).toHaveValue(`src:${ip}`);
    await expect(grid.total).toHaveText(shown(facts.count('src_ip = ?', ip)));
    expect(trouble).toEqual(NO_TROUBLE);
  });
});
