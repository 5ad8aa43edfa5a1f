import type { Locator } from '@playwright/test';

/** The "Look up…" panel, in the Events or the Alerts view (`within` is the view's root). */
export class BulkLookupPart {
  readonly root: Locator;
  readonly count: Locator;
  readonly start: Locator;
  readonly status: Locator;
  readonly progress: Locator;
  readonly cancel: Locator;
  readonly summary: Locator;

  constructor(within: Locator) {
    this.root = within.getByTestId('bulk-lookup');
    this.count = this.root.getByTestId('bulk-lookup-count');
    this.start = this.root.getByTestId('bulk-lookup-start');
    this.status = this.root.getByTestId('bulk-lookup-status');
    this.progress = this.status.getByTestId('bulk-lookup-status-progress');
    this.cancel = this.status.getByTestId('bulk-lookup-status-cancel');
    this.summary = this.status.getByTestId('bulk-lookup-status-summary');
  }

  async open(): Promise<void> {
    await this.root.locator('summary').click();
  }

  async choose(provider: string): Promise<void> {
    await this.root.locator(`[data-testid="bulk-lookup-provider"][data-provider="${provider}"]`).check();
  }
}
