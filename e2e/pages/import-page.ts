import { expect, type Locator, type Page } from '@playwright/test';
import { SourcesTable } from './case-page.ts';

/** What the progress panel showed at one moment. */
export interface ProgressSnapshot {
  phase: string | null;
  bytes: string | null;
  lines: string | null;
  rate: string | null;
  eta: string | null;
  /** Per file, its state: waiting, reading or done. */
  files: (string | null)[];
}

/** The import view: choosing evidence, the preview, progress, and the summary. */
export class ImportPage {
  readonly page: Page;
  readonly root: Locator;
  readonly dropZone: Locator;
  readonly pickFiles: Locator;
  readonly pickFolder: Locator;
  readonly pasteField: Locator;
  readonly addPasted: Locator;
  readonly pickerError: Locator;
  readonly chosenPaths: Locator;
  readonly preview: Locator;
  readonly previewFiles: Locator;
  readonly timezone: Locator;
  readonly startButton: Locator;
  readonly progress: Locator;
  readonly progressFiles: Locator;
  readonly cancelButton: Locator;
  readonly summary: Locator;
  readonly summarySources: SourcesTable;
  readonly skipped: Locator;
  readonly alertsFound: Locator;
  readonly alertsFoundCount: Locator;
  readonly reviewAlerts: Locator;
  readonly caseSources: SourcesTable;
  readonly error: Locator;

  constructor(page: Page) {
    this.page = page;
    this.root = page.getByTestId('import-view');
    this.dropZone = this.root.getByTestId('drop-zone');
    this.pickFiles = this.root.getByTestId('pick-files');
    this.pickFolder = this.root.getByTestId('pick-folder');
    this.pasteField = this.root.getByTestId('paste-paths');
    this.addPasted = this.root.getByTestId('add-paths');
    this.pickerError = this.root.getByTestId('picker-error');
    this.chosenPaths = this.root.getByTestId('chosen-path');
    this.preview = this.root.getByTestId('import-preview');
    this.previewFiles = this.preview.getByTestId('preview-file');
    this.timezone = this.root.getByTestId('timezone');
    this.startButton = this.root.getByTestId('start-import');
    this.progress = this.root.getByTestId('import-progress');
    this.progressFiles = this.progress.getByTestId('progress-file');
    this.cancelButton = this.root.getByTestId('cancel-import');
    this.summary = this.root.getByTestId('import-summary');
    this.summarySources = new SourcesTable(this.summary.getByTestId('summary-sources'));
    this.skipped = this.root.getByTestId('skipped-file');
    this.alertsFound = this.summary.getByTestId('alerts-found');
    this.alertsFoundCount = this.alertsFound.getByTestId('alerts-found-count');
    this.reviewAlerts = this.alertsFound.getByTestId('review-alerts');
    this.caseSources = new SourcesTable(this.root.getByTestId('sources'));
    this.error = this.root.getByTestId('import-error');
  }

  async paste(paths: readonly string[]): Promise<void> {
    await this.pasteField.fill(paths.join('\n'));
    await this.addPasted.click();
  }

  /** Waits for the preview of what is chosen. */
  async previewReady(): Promise<void> {
    await expect(this.preview).toHaveAttribute('data-state', 'ready');
  }

  previewFile(name: string): Locator {
    return this.previewFiles.filter({ has: this.page.locator('[data-col="name"]', { hasText: name }) });
  }

  formatOf(name: string): Locator {
    return this.previewFile(name).getByTestId('format-select');
  }

  /**
   * Drops files on the drop zone as the operating system would: `File`s whose paths only the
   * preload (here the bridge's table, which the test fills first) can tell.
   */
  async drop(files: readonly { name: string; text: string }[]): Promise<void> {
    const transfer = await this.page.evaluateHandle((list) => {
      const dt = new DataTransfer();
      for (const f of list) dt.items.add(new File([f.text], f.name, { type: 'text/plain' }));
      return dt;
    }, files);
    await this.dropZone.dispatchEvent('dragenter', { dataTransfer: transfer });
    await this.dropZone.dispatchEvent('dragover', { dataTransfer: transfer });
    await expect(this.dropZone).toHaveAttribute('data-over', 'true');
    await this.dropZone.dispatchEvent('drop', { dataTransfer: transfer });
    await transfer.dispose();
  }

  /**
   * Notes everything the progress panel shows from now on, change by change: a small import is
   * over within a second, too quickly to catch by polling. Returns a function that reads the notes.
   */
  async recordProgress(): Promise<() => Promise<ProgressSnapshot[]>> {
    await this.page.evaluate(() => {
      const seen: unknown[] = [];
      Object.defineProperty(window, '__progressSeen', { value: seen, configurable: true });
      new MutationObserver(() => {
        const panel = document.querySelector('[data-testid="import-progress"]');
        if (!panel) return;
        const text = (id: string): string | null => panel.querySelector(`[data-testid="${id}"]`)?.textContent ?? null;
        const snap = {
          phase: panel.getAttribute('data-phase'), bytes: text('progress-bytes'), lines: text('progress-lines'),
          rate: text('progress-rate'), eta: text('progress-eta'),
          files: [...panel.querySelectorAll('[data-testid="progress-file"]')].map((r) => r.getAttribute('data-state')),
        };
        if (JSON.stringify(seen.at(-1)) !== JSON.stringify(snap)) seen.push(snap);
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    return () => this.page.evaluate(() => (window as unknown as { __progressSeen: ProgressSnapshot[] }).__progressSeen);
  }

  /** Waits until the import has finished and its summary is shown. */
  async finished(): Promise<void> {
    await expect(this.root).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  }
}
