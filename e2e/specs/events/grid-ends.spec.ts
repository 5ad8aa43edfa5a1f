import { addUndatedLines } from '../../fixtures/generated-case.ts';
import { EventsPage } from '../../pages/events-page.ts';
import { FilterBarPage } from '../../pages/filter-bar.ts';
import { screenshotView } from '../../pages/screenshots.ts';
import { expect, NO_TROUBLE, shown, test } from '../../fixtures/workbench.ts';

const PAGE = 500;
const UNDATED = 30;

type Ordered = { id: number; ts: number | null }[];

test.describe('Home and End in the event grid', () => {
  test.describe.configure({ timeout: 180_000 });

  /** The rows on screen are the filter's rows at their places, counted back from its last event. */
  async function expectTail(grid: EventsPage, order: Ordered): Promise<void> {
    const loaded = await grid.loaded();
    const onScreen = await grid.renderedRows();
    expect(onScreen.length).toBeGreaterThan(10);
    for (const r of onScreen) expect(r.id, `row ${r.index} of ${loaded}`).toBe(order[order.length - loaded + r.index]?.id);
  }

  /** Presses a key until the window has read the page above its first row. */
  async function goUpUntilMoreLoaded(grid: EventsPage): Promise<void> {
    for (let i = 0; i < 80 && (await grid.loaded()) === PAGE; i++) await grid.grid.press('PageUp');
    await expect(grid.grid).toHaveAttribute('data-loaded', String(2 * PAGE));
    await expect(grid.grid).toHaveAttribute('data-fetching', 'false');
  }

  test('End lands on the last event of thousands without reading those between; arrows go up from there; Home goes back', async ({ casePage, generated, evidence, facts, trouble }, testInfo) => {
    const notes = await addUndatedLines(generated, evidence.dir, UNDATED);
    const grid = new EventsPage(casePage.page);
    const all = facts.count();
    const order = facts.firstRows(all);
    expect(facts.count('ts IS NULL')).toBe(UNDATED);
    expect(all).toBeGreaterThan(4 * PAGE);
    await casePage.open(generated.casePath);
    await casePage.show('events');
    await grid.waitUntilReady();
    expect(await grid.loaded()).toBe(PAGE);

    // Oldest first: End is the newest event, its raw line and line number as the case holds them.
    await grid.grid.focus();
    await grid.grid.press('End');
    const last = order.at(-1)!;
    await expect(grid.selectedRow).toHaveAttribute('data-event-id', String(last.id));
    await expect(grid.cell(grid.selectedRow, 'raw')).toHaveText(facts.event(last.id).raw);
    await expect(grid.selectedRow).toBeInViewport();
    await expect(grid.grid).toHaveAttribute('data-fetching', 'false');
    // One page read from the end, not the thousands before it; the total is the case's still.
    expect(await grid.loaded()).toBe(PAGE);
    await expect(grid.total).toHaveText(shown(all));
    await expect(grid.status).toContainText('End of the events');
    await grid.setColumn('Line', true);
    await expect(grid.cell(grid.selectedRow, 'line')).toHaveText(String(facts.event(last.id).lineNo));
    await expectTail(grid, order);
    await casePage.page.mouse.move(0, 0);
    await screenshotView(casePage.page, testInfo, 'events-grid-end');

    // Up a few rows: the events before it, in order.
    for (let k = 1; k <= 3; k++) {
      await grid.grid.press('ArrowUp');
      await expect(grid.selectedRow).toHaveAttribute('data-event-id', String(order.at(-1 - k)?.id));
    }
    // Going on up reads the page above; the selection stays on its event, in view, and arrows go on.
    await goUpUntilMoreLoaded(grid);
    const selectedId = Number(await grid.selectedRow.getAttribute('data-event-id'));
    const at = order.findIndex((e) => e.id === selectedId);
    // It sits at its place among the rows now loaded, and the view did not move off it.
    await expect(grid.selectedRow).toHaveAttribute('data-index', String(at - (all - 2 * PAGE)));
    await expect(grid.selectedRow).toBeInViewport();
    await expectTail(grid, order);
    await grid.grid.press('ArrowUp');
    await expect(grid.selectedRow).toHaveAttribute('data-event-id', String(order[at - 1]?.id));
    await grid.grid.press('ArrowDown');
    await grid.grid.press('ArrowDown');
    await expect(grid.selectedRow).toHaveAttribute('data-event-id', String(order[at + 1]?.id));

    // Home: the first event, which oldest first is the first line without a time.
    await grid.grid.press('Home');
    await expect(grid.selectedRow).toHaveAttribute('data-event-id', String(order[0]?.id));
    await expect(grid.selectedRow).toHaveAttribute('data-index', '0');
    await expect(grid.cell(grid.selectedRow, 'raw')).toHaveText(notes[0]!);
    await expect(grid.selectedRow).toBeInViewport();
    // Only the first page: the rows in view before it landed were the old window's, far down.
    await expect(grid.grid).toHaveAttribute('data-fetching', 'false');
    expect(await grid.loaded()).toBe(PAGE);
    await grid.grid.press('ArrowDown');
    await expect(grid.selectedRow).toHaveAttribute('data-event-id', String(order[1]?.id));
    await expect(grid.total).toHaveText(shown(all));

    // Newest first, the lines without a time come last: Ctrl+End reaches them, the first line last.
    await casePage.page.getByTestId('sort-time').click();
    await grid.waitUntilReady();
    await expect(grid.row(0)).toHaveAttribute('data-event-id', String(last.id));
    await grid.grid.focus();
    await grid.grid.press('Control+End');
    await expect(grid.selectedRow).toHaveAttribute('data-event-id', String(order[0]?.id));
    await expect(grid.cell(grid.selectedRow, 'raw')).toHaveText(notes[0]!);
    await grid.grid.press('ArrowUp');
    await expect(grid.cell(grid.selectedRow, 'raw')).toHaveText(notes[1]!);
    await expectTail(grid, order.slice().reverse());
    await grid.grid.press('Control+Home');
    await expect(grid.selectedRow).toHaveAttribute('data-event-id', String(last.id));
    await expect(grid.selectedRow).toHaveAttribute('data-index', '0');
    expect(trouble).toEqual(NO_TROUBLE);
  });

  test('with a filter, End is the filter\'s last event, the detail pane follows, and the count stays the filter\'s', async ({ casePage, generated, facts, trouble }) => {
    const grid = new EventsPage(casePage.page);
    const filter = new FilterBarPage(casePage.page);
    const where = "dataset != 'apache.access'";
    const count = facts.count(where);
    const order = facts.firstRows(count, where);
    expect(count).toBeGreaterThan(2 * PAGE);
    // The filter's last event is not the case's.
    expect(order.at(-1)?.id).not.toBe(facts.firstRows(facts.count()).at(-1)?.id);
    await casePage.open(generated.casePath);
    await casePage.show('events');
    await grid.waitUntilReady();
    await filter.apply('-dataset:apache.access');
    await expect(grid.total).toHaveText(shown(count));
    await grid.waitUntilReady();

    await grid.select(grid.row(2));
    await grid.grid.press('Enter');
    await expect(grid.detail).toHaveAttribute('data-event-id', String(order[2]?.id));
    await grid.grid.press('End');
    const last = order.at(-1)!;
    await expect(grid.selectedRow).toHaveAttribute('data-event-id', String(last.id));
    await expect(grid.detail).toHaveAttribute('data-event-id', String(last.id));
    await expect(grid.detailRaw).toHaveText(facts.event(last.id).raw);
    await expect(grid.grid).toHaveAttribute('data-fetching', 'false');
    expect(await grid.loaded()).toBe(PAGE);
    await expect(grid.total).toHaveText(shown(count));
    await expectTail(grid, order);

    await grid.grid.press('ArrowUp');
    await grid.grid.press('ArrowUp');
    await expect(grid.selectedRow).toHaveAttribute('data-event-id', String(order.at(-3)?.id));
    await expect(grid.detail).toHaveAttribute('data-event-id', String(order.at(-3)?.id));
    await goUpUntilMoreLoaded(grid);
    await expectTail(grid, order);

    await grid.grid.press('Home');
    await expect(grid.selectedRow).toHaveAttribute('data-event-id', String(order[0]?.id));
    await expect(grid.detail).toHaveAttribute('data-event-id', String(order[0]?.id));
    await expect(grid.total).toHaveText(shown(count));
    expect(trouble).toEqual(NO_TROUBLE);
  });
});
