import { expect, type Locator, type Page } from '@playwright/test';

/** The columns of the sources table, by their data-col. */
export type SourceColumn =
  | 'name' | 'format' | 'confidence' | 'timezone' | 'lines-total' | 'lines-parsed' | 'lines-unparsed'
  | 'lines-truncated' | 'sha256' | 'status' | 'problem';
export type EventColumn = 'time' | 'dataset' | 'source-ip' | 'user' | 'raw';

/** The main window: the open-case field, the sources table, the first page of events. */
export class CasePage {
  readonly page: Page;
  readonly pathInput: Locator;
  readonly openButton: Locator;
  readonly caseView: Locator;
  readonly error: Locator;
  readonly title: Locator;
  readonly eventCount: Locator;
  readonly sources: Locator;
  readonly sourceRows: Locator;
  readonly events: Locator;
  readonly eventRows: Locator;
  /** Headers of the response that delivered the page. */
  documentHeaders: Record<string, string> = {};

  constructor(page: Page) {
    this.page = page;
    this.pathInput = page.getByTestId('case-path');
    this.openButton = page.getByTestId('open-case');
    this.caseView = page.getByTestId('case');
    this.error = page.getByTestId('case-error');
    this.title = page.getByTestId('case-title');
    this.eventCount = page.getByTestId('event-count');
    this.sources = page.getByTestId('sources');
    this.sourceRows = this.sources.getByTestId('source-row');
    this.events = page.getByTestId('events');
    this.eventRows = this.events.getByTestId('event-row');
  }

  async goto(url: string): Promise<void> {
    const response = await this.page.goto(url);
    this.documentHeaders = response ? await response.allHeaders() : {};
    // The app asks for the current case on start; it settles on "empty" when there is none.
    await expect(this.caseView).toHaveAttribute('data-state', 'empty');
  }

  async open(path: string): Promise<void> {
    await this.pathInput.fill(path);
    await this.openButton.click();
  }

  /** Waits on the readiness marker: sources and events have arrived and are rendered. */
  async waitUntilReady(): Promise<void> {
    await expect(this.caseView).toHaveAttribute('data-state', 'ready');
  }

  sourceRow(name: string): Locator {
    return this.sourceRows.filter({ has: this.page.locator('[data-col="name"]', { hasText: name }) });
  }

  sourceCell(row: Locator, column: SourceColumn): Locator {
    return row.locator(`[data-col="${column}"]`);
  }

  eventCell(row: Locator, column: EventColumn): Locator {
    return row.locator(`[data-col="${column}"]`);
  }

  cspMeta(): Locator {
    return this.page.locator('meta[http-equiv="Content-Security-Policy"]');
  }
}
