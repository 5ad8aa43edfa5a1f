import { expect, type Locator, type Page } from '@playwright/test';

/** The Settings view: providers and their keys, GeoIP files, the case's blocklists. */
export class SettingsPage {
  readonly page: Page;
  readonly root: Locator;
  readonly providers: Locator;
  readonly problem: Locator;
  readonly lists: Locator;
  readonly importLists: Locator;
  readonly imported: Locator;

  constructor(page: Page) {
    this.page = page;
    this.root = page.getByTestId('settings');
    this.providers = this.root.getByTestId('settings-provider');
    this.problem = this.root.getByTestId('settings-problem');
    this.lists = this.root.getByTestId('settings-list');
    this.importLists = this.root.getByTestId('settings-lists-import');
    this.imported = this.root.getByTestId('settings-list-imported');
  }

  async waitUntilReady(): Promise<void> {
    await expect(this.root).toHaveAttribute('data-state', 'ready');
  }

  provider(id: string): Locator {
    return this.root.locator(`[data-testid="settings-provider"][data-provider="${id}"]`);
  }

  async setEnabled(id: string, on: boolean): Promise<void> {
    // The box follows the saved settings, so it changes when the engine has answered, not on the click.
    const box = this.provider(id).getByTestId('settings-provider-enabled');
    if ((await box.isChecked()) !== on) await box.click();
    await expect(this.provider(id)).toHaveAttribute('data-enabled', String(on));
  }

  async saveKey(id: string, key: string): Promise<void> {
    const row = this.provider(id);
    await row.getByTestId('settings-key-input').fill(key);
    await row.getByTestId('settings-key-save').click();
    await expect(row.getByTestId('settings-key-state')).toHaveAttribute('data-saved', 'true');
  }

  list(name: string): Locator {
    return this.root.locator(`[data-testid="settings-list"][data-list="${name}"]`);
  }
}
