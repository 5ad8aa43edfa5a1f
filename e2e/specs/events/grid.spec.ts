import { EventsPage } from '../../pages/events-page.ts';
import { screenshotView } from '../../pages/screenshots.ts';
import { expect, NO_TROUBLE, shown, test } from '../../fixtures/workbench.ts';

const PAGE = 500;

test.describe('the event grid', () => {
  // Each call crosses the test bridge (a Playwright binding), far slower than Electron's IPC.
  test.describe.configure({ timeout: 90_000 });

  test('pages through thousands of events in time order, by scrolling and by keyboard', async ({ casePage, generated, facts, trouble }) => {
    test.setTimeout(180_000);
    const grid = new EventsPage(casePage.page);
    const all = facts.count();
    const order = facts.firstRows(all);
    await casePage.open(generated.casePath);
    await casePage.show('events');
    await grid.waitUntilReady();
    await expect(grid.total).toHaveText(shown(all));
    expect(await grid.loaded()).toBe(PAGE);

    // Scrolling to the end of what is loaded fetches the next page, four times over.
    for (let pages = 2; pages <= 5; pages++) {
      await grid.scrollToBottom();
      await expect(grid.grid).toHaveAttribute('data-loaded', String(pages * PAGE));
    }
    // The rows on screen are the case's rows at those positions: keyset paging lost and doubled none.
    await grid.scrollToBottom();
    const onScreen = await grid.renderedRows();
    expect(onScreen.length).toBeGreaterThan(10);
    for (const r of onScreen) expect(r.id, `row ${r.index}`).toBe(order[r.index]?.id);

    // Home goes to the first row, arrows and PageDown move the selection and keep it in view.
    await grid.grid.focus();
    await grid.grid.press('Home');
    await expect(grid.selectedRow).toHaveAttribute('data-index', '0');
    await expect(grid.selectedRow).toBeInViewport();
    await grid.grid.press('ArrowDown');
    await grid.grid.press('ArrowDown');
    await expect(grid.selectedRow).toHaveAttribute('data-index', '2');
    await grid.grid.press('PageDown');
    const afterPageDown = (await grid.selectedIndex()) ?? 0;
    expect(afterPageDown).toBeGreaterThan(10);
    await expect(grid.selectedRow).toBeInViewport();
    await grid.grid.press('ArrowUp');
    await expect(grid.selectedRow).toHaveAttribute('data-index', String(afterPageDown - 1));

    // Scrolled on to the end, every row is loaded; End then selects the last of them.
    while ((await grid.grid.getAttribute('data-done')) !== 'true') {
      const before = await grid.loaded();
      await grid.scrollToBottom();
      // A page more, or none (the last page was full): the end is known either way.
      await expect.poll(async () => (await grid.loaded()) > before || (await grid.grid.getAttribute('data-done')) === 'true').toBe(true);
      await expect(grid.grid).toHaveAttribute('data-fetching', 'false');
    }
    expect(await grid.loaded()).toBe(all);
    await grid.grid.press('End');
    await expect(grid.selectedRow).toHaveAttribute('data-index', String(all - 1));
    await expect(grid.selectedRow).toHaveAttribute('data-event-id', String(order.at(-1)?.id));
    await expect(grid.selectedRow).toBeInViewport();
    expect(await grid.loaded()).toBe(all);
    await expect(grid.status).toHaveText('End of the events.');
    expect(trouble).toEqual(NO_TROUBLE);
  });

  test('the time header turns the grid newest first and back, paging the same rows in reverse', async ({ casePage, generated, facts, trouble }) => {
    const grid = new EventsPage(casePage.page);
    const all = facts.count();
    const newest = facts.firstRows(all).reverse();
    await casePage.open(generated.casePath);
    await casePage.show('events');
    await grid.waitUntilReady();
    const time = grid.headerCell('time');
    await expect(time).toHaveAttribute('aria-sort', 'ascending');

    await casePage.page.getByTestId('sort-time').click();
    await expect(time).toHaveAttribute('aria-sort', 'descending');
    await grid.waitUntilReady();
    // The first row is the newest event, and a page further down the rows still run backwards.
    await expect(grid.row(0)).toHaveAttribute('data-event-id', String(newest[0]?.id));
    await grid.scrollToBottom();
    await expect(grid.grid).toHaveAttribute('data-loaded', String(2 * PAGE));
    await grid.scrollToBottom();
    const onScreen = await grid.renderedRows();
    expect(onScreen.length).toBeGreaterThan(10);
    for (const r of onScreen) expect(r.id, `row ${r.index}`).toBe(newest[r.index]?.id);
    // Times show as UTC to the second, with milliseconds only where the log has them.
    expect(onScreen[0]?.time).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{3})?Z$/);

    await casePage.page.getByTestId('sort-time').click();
    await expect(time).toHaveAttribute('aria-sort', 'ascending');
    await grid.waitUntilReady();
    await expect(grid.row(0)).toHaveAttribute('data-event-id', String(newest.at(-1)?.id));
    expect(trouble).toEqual(NO_TROUBLE);
  });

  test('Enter opens the detail pane with every field and where the line came from; Escape closes it', async ({ casePage, generated, facts, trouble }, testInfo) => {
    const grid = new EventsPage(casePage.page);
    await casePage.open(generated.casePath);
    await casePage.show('events');
    await grid.waitUntilReady();

    // An sshd line from a source IP, with a user: a row rich in fields.
    const row = grid.rows.filter({ has: casePage.page.locator('[data-col="dataset"]', { hasText: /^sshd$/ }) })
      .filter({ has: casePage.page.locator('[data-col="user"] [data-pivot]') }).first();
    await grid.select(row);
    const id = Number(await row.getAttribute('data-event-id'));
    const event = facts.event(id);
    await grid.grid.press('Enter');
    await expect(grid.detail).toHaveAttribute('data-state', 'ready');
    await expect(grid.detail).toHaveAttribute('data-event-id', String(id));

    await expect(grid.detailRaw).toHaveText(event.raw);
    await expect(grid.detailField('event.dataset')).toContainText('sshd');
    await expect(grid.detailField('user.name')).toContainText(event.user ?? '');
    await expect(grid.detailField('host.name')).toContainText(event.host ?? '');
    await expect(grid.detailSource('file')).toHaveText(event.sourceName);
    await expect(grid.detailSource('line')).toHaveText(shown(event.lineNo));
    await expect(grid.detailSource('offset')).toHaveText(shown(event.offset));
    await expect(grid.detailSource('sha256')).toHaveText(event.sha256);
    // Syslog lines carry no year and no zone: both assumptions are flagged.
    await expect(grid.detail.getByTestId('event-flags')).toContainText('year inferred');

    // The pane follows the selection while it is open.
    await grid.grid.press('ArrowDown');
    const next = Number(await grid.selectedRow.getAttribute('data-event-id'));
    await expect(grid.detail).toHaveAttribute('data-event-id', String(next));
    await casePage.page.mouse.move(0, 0);
    await screenshotView(casePage.page, testInfo, 'events-grid-with-detail');

    await grid.grid.press('Escape');
    await expect(grid.detail).toHaveCount(0);
    expect(trouble).toEqual(NO_TROUBLE);
  });

  test('columns can be chosen, and the choice stays while the app runs', async ({ casePage, generated, trouble }) => {
    const grid = new EventsPage(casePage.page);
    await casePage.open(generated.casePath);
    await casePage.show('events');
    await grid.waitUntilReady();
    await expect(grid.headerCell('url')).toHaveCount(0);
    await expect(grid.headerCell('host')).toHaveText('Host');

    await grid.setColumn('URL', true);
    await grid.setColumn('Host', false);
    await expect(grid.headerCell('url')).toHaveText('URL');
    await expect(grid.headerCell('host')).toHaveCount(0);
    await expect(grid.cells('url').filter({ hasText: /^\// }).first()).toBeVisible();

    await casePage.show('timeline');
    await casePage.show('events');
    await grid.waitUntilReady();
    await expect(grid.headerCell('url')).toHaveText('URL');
    await expect(grid.headerCell('host')).toHaveCount(0);
    expect(trouble).toEqual(NO_TROUBLE);
  });
});
