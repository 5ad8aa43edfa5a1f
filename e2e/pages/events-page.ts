import { expect, type Locator, type Page } from '@playwright/test';

/** Column ids of the event grid (its cells' data-col). */
export type GridColumn =
  | 'time' | 'dataset' | 'host' | 'program' | 'pid' | 'source-ip' | 'source-port' | 'destination-ip' | 'destination-port'
  | 'user' | 'action' | 'outcome' | 'method' | 'url' | 'http-version' | 'status' | 'bytes' | 'referrer' | 'user-agent'
  | 'message' | 'source' | 'line' | 'raw'
  | `${'source' | 'destination'}-${'class' | 'country' | 'asn' | 'lists'}`;

/** The Events view: the virtualised grid, its toolbar and the detail pane. */
export class EventsPage {
  readonly page: Page;
  readonly view: Locator;
  readonly grid: Locator;
  readonly rows: Locator;
  readonly selectedRow: Locator;
  readonly header: Locator;
  readonly total: Locator;
  readonly status: Locator;
  readonly error: Locator;
  readonly columnPicker: Locator;
  readonly detail: Locator;
  readonly detailRaw: Locator;
  readonly detailClose: Locator;

  constructor(page: Page) {
    this.page = page;
    this.view = page.getByTestId('events-view');
    this.grid = page.getByTestId('events-grid');
    this.rows = this.grid.getByTestId('event-row');
    this.selectedRow = this.grid.locator('[data-testid="event-row"][aria-selected="true"]');
    this.header = this.view.locator('.events-header-row');
    this.total = page.getByTestId('events-total');
    this.status = page.getByTestId('events-status');
    this.error = page.getByTestId('events-error');
    this.columnPicker = page.getByTestId('column-picker');
    this.detail = page.getByTestId('event-detail');
    this.detailRaw = this.detail.getByTestId('event-raw');
    this.detailClose = page.getByTestId('event-detail-close');
  }

  /** Waits until the first page of the current filter is on screen. */
  async waitUntilReady(): Promise<void> {
    await expect(this.grid).toHaveAttribute('data-state', 'ready');
    await expect(this.grid).toHaveAttribute('data-fetching', 'false');
  }

  async loaded(): Promise<number> {
    return Number(await this.grid.getAttribute('data-loaded'));
  }

  async selectedIndex(): Promise<number | null> {
    const v = await this.grid.getAttribute('data-selected');
    return v === null || v === '' ? null : Number(v);
  }

  /** Scrolls the grid to the bottom of what is loaded, as a wheel or the scrollbar would. */
  async scrollToBottom(): Promise<void> {
    await this.grid.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
  }

  row(index: number): Locator {
    return this.grid.locator(`[data-testid="event-row"][data-index="${index}"]`);
  }

  rowById(id: number): Locator {
    return this.grid.locator(`[data-testid="event-row"][data-event-id="${id}"]`);
  }

  /** Selects a row with a click on its time (the other cells hold links and buttons). */
  async select(row: Locator): Promise<void> {
    await this.cell(row, 'time').click();
  }

  /** Opens a row's detail pane with a double click. */
  async open(row: Locator): Promise<void> {
    await this.cell(row, 'time').dblclick();
  }

  cell(row: Locator, column: GridColumn): Locator {
    return row.locator(`[data-col="${column}"]`);
  }

  /** Every rendered cell of a column, top to bottom. */
  cells(column: GridColumn): Locator {
    return this.rows.locator(`[data-col="${column}"]`);
  }

  /** The values an intel column's rendered cells hold (their data-value; '' for an empty cell), top to bottom. */
  async intelValues(column: GridColumn): Promise<string[]> {
    return this.cells(column).evaluateAll((els) => els.map((el) => el.querySelector('[data-value]')?.getAttribute('data-value') ?? ''));
  }

  headerCell(column: GridColumn): Locator {
    return this.header.locator(`[data-col="${column}"]`);
  }

  /** (index, event id) of every rendered row, in index order. */
  async renderedRows(): Promise<{ index: number; id: number; time: string }[]> {
    const rows = await this.rows.evaluateAll((els) => els.map((el) => ({
      index: Number(el.getAttribute('data-index')),
      id: Number(el.getAttribute('data-event-id')),
      time: el.querySelector('[data-col="time"]')?.textContent ?? '',
    })));
    return rows.sort((a, b) => a.index - b.index);
  }

  async setColumn(label: string, shown: boolean): Promise<void> {
    if ((await this.columnPicker.getAttribute('open')) === null) await this.columnPicker.locator('summary').click();
    await this.columnPicker.getByLabel(label, { exact: true }).setChecked(shown);
    await this.columnPicker.locator('summary').click();
  }

  /** The pivot button of an IP, user or host in a cell. */
  pivotIn(cell: Locator): Locator {
    return cell.locator('[data-pivot]');
  }

  detailField(ecsName: string): Locator {
    return this.detail.locator(`[data-field="${ecsName}"] td`);
  }

  detailSource(field: 'file' | 'line' | 'offset' | 'sha256' | 'format'): Locator {
    return this.detail.getByTestId('event-source').locator(`[data-field="${field}"] td`);
  }
}
