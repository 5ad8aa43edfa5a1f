import { freePort, logger, LOGGER_MISSING } from '../../fixtures/syslog-clients.ts';
import { expect, NO_TROUBLE, shown, test } from '../../fixtures/workbench.ts';
import type { CasePage } from '../../pages/case-page.ts';
import { EventsPage } from '../../pages/events-page.ts';
import { LivePage } from '../../pages/live-page.ts';

const PAGE = 500;

/** The generated case open, a TCP listener started on a free port, and the events grid shown. */
async function listeningGrid(casePage: CasePage, casePath: string): Promise<{ live: LivePage; port: number; grid: EventsPage }> {
  await casePage.open(casePath);
  await casePage.show('live');
  const live = new LivePage(casePage.page);
  const port = await freePort();
  await live.start(port);
  await casePage.show('events');
  const grid = new EventsPage(casePage.page);
  await grid.waitUntilReady();
  return { live, port, grid };
}

test.describe('the event grid on a live feed', () => {
  test.setTimeout(150_000);
  test.skip(LOGGER_MISSING !== null, LOGGER_MISSING ?? '');

  test('after End the new events arrive at the bottom and the view stays at the tail; up the grid the view stays put; newest first they arrive on top', async ({ casePage, generated, facts, trouble }) => {
    const page = casePage.page;
    const all = facts.count();
    const order = facts.firstRows(all);
    expect(all).toBeGreaterThan(4 * PAGE);
    const { live, port, grid } = await listeningGrid(casePage, generated.casePath);
    await grid.grid.focus();
    await grid.grid.press('End');
    const last = order.at(-1)!;
    await expect(grid.selectedRow).toHaveAttribute('data-event-id', String(last.id));
    await expect(grid.grid).toHaveAttribute('data-fetching', 'false');
    expect(await grid.loaded()).toBe(PAGE);

    // Several pushes of the case's data (one a second at most): each arrives below, in view.
    let sent = 0;
    for (const batch of [['tail check one', 'tail check two'], ['tail check three']]) {
      await logger(port, 'tcp', 'tailer', batch);
      sent += batch.length;
      await expect(grid.total).toHaveText(shown(all + sent));
      const newest = grid.rows.filter({ hasText: batch.at(-1)! });
      await expect(newest).toBeInViewport();
      await expect(grid.grid).toHaveAttribute('data-fetching', 'false');
      // The window still holds a page from the end, the new event its last row; the top of the
      // filter was never read again, and the selection stayed on the event it was on.
      await expect(newest).toHaveAttribute('data-index', String(PAGE - 1));
      await expect(grid.grid).toHaveAttribute('data-has-first', 'false');
      expect(await grid.loaded()).toBe(PAGE);
      await expect(grid.selectedRow).toHaveAttribute('data-event-id', String(last.id));
      expect(await grid.grid.evaluate((el) => el.scrollTop)).toBeGreaterThan(PAGE * 10);
    }

    // Up the grid, away from the tail: new events do not move the view off the rows being read.
    for (let i = 0; i < 3; i++) await grid.grid.press('PageUp');
    const reading = grid.selectedRow;
    const readingId = await reading.getAttribute('data-event-id');
    const y = (await reading.boundingBox())!.y;
    await logger(port, 'tcp', 'tailer', ['tail check four']);
    sent += 1;
    await expect(grid.total).toHaveText(shown(all + sent));
    await expect(grid.grid).toHaveAttribute('data-fetching', 'false');
    await expect(grid.rows.filter({ hasText: 'tail check four' })).toHaveCount(0);
    await expect(grid.selectedRow).toHaveAttribute('data-event-id', String(readingId));
    expect(Math.abs((await grid.selectedRow.boundingBox())!.y - y)).toBeLessThanOrEqual(1);
    // End reaches the newest again.
    await grid.grid.press('End');
    await expect(grid.selectedRow).toContainText('tail check four');
    await expect(grid.selectedRow).toBeInViewport();

    // Newest first the grid shows the head: the new events arrive on top, in view.
    await page.getByTestId('sort-time').click();
    await grid.waitUntilReady();
    await expect(grid.row(0)).toContainText('tail check four');
    await logger(port, 'tcp', 'tailer', ['tail check five']);
    sent += 1;
    await expect(grid.total).toHaveText(shown(all + sent));
    await expect(grid.row(0)).toContainText('tail check five');
    await expect(grid.row(0)).toBeInViewport();
    await expect(grid.row(1)).toContainText('tail check four');

    await casePage.show('live');
    await live.stop();
    expect(trouble).toEqual(NO_TROUBLE);
  });

  test('oldest first, a view over 2,000 rows deep stays on its rows while events arrive, and End reaches them', async ({ casePage, generated, facts, trouble }) => {
    const all = facts.count();
    expect(all).toBeGreaterThan(6 * PAGE);
    const { live, port, grid } = await listeningGrid(casePage, generated.casePath);
    while ((await grid.loaded()) < 5 * PAGE) {
      const before = await grid.loaded();
      await grid.scrollToBottom();
      await expect.poll(() => grid.loaded()).toBeGreaterThan(before);
    }
    await grid.scrollToBottom();
    await expect(grid.grid).toHaveAttribute('data-fetching', 'false');
    const top = await grid.grid.evaluate((el) => Math.floor(el.scrollTop / 22));
    expect(top).toBeGreaterThan(4 * PAGE);
    await grid.select(grid.row(top + 3));
    const readingId = await grid.selectedRow.getAttribute('data-event-id');
    const y = (await grid.selectedRow.boundingBox())!.y;

    // Each arrival is a data change; the view is not pulled back to the first 2,000 rows.
    let sent = 0;
    for (const line of ['deep check one', 'deep check two']) {
      const loaded = await grid.loaded();
      await logger(port, 'tcp', 'deep', [line]);
      sent += 1;
      await expect(grid.total).toHaveText(shown(all + sent));
      await expect(grid.grid).toHaveAttribute('data-fetching', 'false');
      expect(await grid.loaded()).toBeGreaterThanOrEqual(loaded);
      await expect(grid.selectedRow).toHaveAttribute('data-event-id', String(readingId));
      expect(Math.abs((await grid.selectedRow.boundingBox())!.y - y)).toBeLessThanOrEqual(1);
    }
    await grid.grid.press('End');
    await expect(grid.selectedRow).toContainText('deep check two');
    await expect(grid.selectedRow).toBeInViewport();

    await casePage.show('live');
    await live.stop();
    expect(trouble).toEqual(NO_TROUBLE);
  });
});
