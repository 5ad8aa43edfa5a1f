import type { Locator, Page } from '@playwright/test';

/** The shared filter bar above the timeline, the grid and the alerts. */
export class FilterBarPage {
  readonly bar: Locator;
  readonly input: Locator;
  readonly error: Locator;
  readonly errorSpan: Locator;
  readonly clearButton: Locator;
  readonly rangeChip: Locator;
  readonly clearRange: Locator;

  constructor(page: Page) {
    this.bar = page.getByTestId('filter-bar');
    this.input = page.getByTestId('filter-input');
    this.error = page.getByTestId('filter-error');
    this.errorSpan = page.getByTestId('filter-error-span');
    this.clearButton = page.getByTestId('filter-clear');
    this.rangeChip = page.getByTestId('range-chip');
    this.clearRange = page.getByTestId('clear-range');
  }

  /** Types the query and applies it with Enter. */
  async apply(query: string): Promise<void> {
    await this.input.fill(query);
    await this.input.press('Enter');
  }

  async range(): Promise<{ from: number; to: number }> {
    return { from: Number(await this.rangeChip.getAttribute('data-from')), to: Number(await this.rangeChip.getAttribute('data-to')) };
  }
}
