import { expect, type Locator, type Page } from '@playwright/test';

/** The start view: the sample case, a new case, an existing one, recent cases. */
export class StartPage {
  readonly root: Locator;
  readonly error: Locator;
  readonly busy: Locator;
  readonly currentCase: Locator;
  readonly openSample: Locator;
  readonly createPath: Locator;
  readonly createBrowse: Locator;
  readonly createSubmit: Locator;
  readonly openPath: Locator;
  readonly openBrowse: Locator;
  readonly openSubmit: Locator;
  readonly recent: Locator;
  readonly recentRows: Locator;

  constructor(page: Page) {
    this.root = page.getByTestId('start-view');
    this.error = this.root.getByTestId('start-error');
    this.busy = this.root.getByTestId('start-busy');
    this.currentCase = this.root.getByTestId('current-case');
    this.openSample = this.root.getByTestId('open-sample');
    this.createPath = this.root.getByTestId('create-case-path');
    this.createBrowse = this.root.getByTestId('create-case-browse');
    this.createSubmit = this.root.getByTestId('create-case-submit');
    this.openPath = this.root.getByTestId('open-case-path');
    this.openBrowse = this.root.getByTestId('open-case-browse');
    this.openSubmit = this.root.getByTestId('open-case-submit');
    this.recent = this.root.getByTestId('recent-cases');
    this.recentRows = this.recent.getByTestId('recent-case');
  }

  async openByPath(path: string): Promise<void> {
    await this.openPath.fill(path);
    await this.openSubmit.click();
  }

  async createByPath(path: string): Promise<void> {
    await this.createPath.fill(path);
    await this.createSubmit.click();
  }

  /** Recent cases, once the list has loaded. */
  async recentReady(): Promise<Locator> {
    await expect(this.recent).toHaveAttribute('data-state', 'ready');
    return this.recentRows;
  }

  recentCase(path: string): Locator {
    return this.recentRows.filter({ hasText: path });
  }
}
