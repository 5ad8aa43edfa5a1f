import { expect, type Locator, type Page } from '@playwright/test';
import { AlertsPage } from './alerts-page.ts';
import { ImportPage } from './import-page.ts';
import { StartPage } from './start-page.ts';

export type NavView = 'timeline' | 'events' | 'alerts' | 'import' | 'live' | 'dossier' | 'start' | 'settings';

/** The columns of a sources table, by their data-col. */
export type SourceColumn =
  | 'name' | 'format' | 'confidence' | 'timezone' | 'lines-total' | 'lines-parsed' | 'lines-unparsed'
  | 'lines-truncated' | 'sha256' | 'status' | 'problem';

/** The window: its top bar (case, event count, views), the filter row, and the view shown. */
export class CasePage {
  readonly page: Page;
  readonly app: Locator;
  readonly topBar: Locator;
  readonly caseName: Locator;
  readonly eventCount: Locator;
  readonly openAlerts: Locator;
  readonly view: Locator;
  readonly filterRow: Locator;
  readonly rangeChip: Locator;
  readonly problem: Locator;
  readonly start: StartPage;
  readonly importer: ImportPage;
  readonly alerts: AlertsPage;
  /** Headers of the response that delivered the page. */
  documentHeaders: Record<string, string> = {};

  constructor(page: Page) {
    this.page = page;
    this.app = page.getByTestId('app');
    this.topBar = page.getByTestId('top-bar');
    this.caseName = this.topBar.getByTestId('case-name');
    this.eventCount = this.topBar.getByTestId('event-count');
    this.openAlerts = this.topBar.getByTestId('open-alerts');
    this.view = page.getByTestId('view');
    this.filterRow = page.getByTestId('filter-row');
    this.rangeChip = page.getByTestId('range-chip');
    this.problem = page.getByTestId('app-problem');
    this.start = new StartPage(page);
    this.importer = new ImportPage(page);
    this.alerts = new AlertsPage(page);
  }

  /** Loads the window and waits until it knows whether a case is open. */
  async goto(url: string): Promise<void> {
    const response = await this.page.goto(url);
    this.documentHeaders = response ? await response.allHeaders() : {};
    await expect(this.app).toHaveAttribute('data-state', 'ready');
  }

  /** Waits until a case is open and its first view is shown. */
  async waitUntilReady(): Promise<void> {
    await expect(this.app).toHaveAttribute('data-case', 'open');
  }

  /** Opens a case by its path, as an analyst types it on the start view. */
  async open(path: string): Promise<void> {
    await this.show('start');
    await this.start.openByPath(path);
    await this.waitUntilReady();
  }

  nav(view: NavView): Locator {
    return this.topBar.getByTestId(`nav-${view}`);
  }

  async show(view: NavView): Promise<void> {
    await this.nav(view).click();
    await expect(this.view).toHaveAttribute('data-view', view);
  }

  cspMeta(): Locator {
    return this.page.locator('meta[http-equiv="Content-Security-Policy"]');
  }
}

/** A table of sources (the import summary's, or the case's on the import view). */
export class SourcesTable {
  readonly table: Locator;
  readonly rows: Locator;

  constructor(table: Locator) {
    this.table = table;
    this.rows = table.getByTestId('source-row');
  }

  row(name: string): Locator {
    return this.rows.filter({ has: this.table.page().locator('[data-col="name"]', { hasText: name }) });
  }

  cell(row: Locator, column: SourceColumn): Locator {
    return row.locator(`[data-col="${column}"]`);
  }
}
