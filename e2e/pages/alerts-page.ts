import { expect, type Locator, type Page } from '@playwright/test';

export type AlertStatus = 'open' | 'confirmed' | 'false-positive';

/** The alerts view: grouped list, and the selected alert's detail with triage and "why". */
export class AlertsPage {
  readonly page: Page;
  readonly root: Locator;
  readonly groups: Locator;
  readonly rows: Locator;
  readonly selectedRow: Locator;
  readonly empty: Locator;
  readonly error: Locator;
  readonly detail: Locator;
  readonly title: Locator;
  readonly entity: Locator;
  readonly pivot: Locator;
  readonly tags: Locator;
  readonly triage: Locator;
  readonly note: Locator;
  readonly saveNote: Locator;
  readonly triageError: Locator;
  readonly why: Locator;
  readonly whyMatches: Locator;
  readonly events: Locator;
  readonly showEvents: Locator;
  readonly showTimeline: Locator;

  constructor(page: Page) {
    this.page = page;
    this.root = page.getByTestId('alerts-view');
    this.groups = this.root.getByTestId('alert-group');
    this.rows = this.root.getByTestId('alert-row');
    this.selectedRow = this.root.locator('[data-testid="alert-row"][aria-selected="true"]');
    this.empty = this.root.getByTestId('no-alerts');
    this.error = this.root.getByTestId('alerts-error');
    this.detail = this.root.getByTestId('alert-detail');
    this.title = this.detail.getByTestId('alert-title');
    this.entity = this.detail.getByTestId('alert-entity');
    this.pivot = this.detail.getByTestId('alert-pivot');
    this.tags = this.detail.getByTestId('alert-tags');
    this.triage = this.detail.getByTestId('triage');
    this.note = this.detail.getByTestId('alert-note');
    this.saveNote = this.detail.getByTestId('save-note');
    this.triageError = this.detail.getByTestId('triage-error');
    this.why = this.detail.getByTestId('why');
    this.whyMatches = this.why.getByTestId('why-match');
    this.events = this.detail.getByTestId('alert-event');
    this.showEvents = this.detail.getByTestId('alert-show-events');
    this.showTimeline = this.detail.getByTestId('alert-show-timeline');
  }

  async ready(): Promise<void> {
    await expect(this.root).toHaveAttribute('data-state', 'ready');
  }

  groupBy(by: 'rule' | 'level' | 'entity'): Locator {
    return this.root.getByTestId(`group-by-${by}`);
  }

  showStatus(status: AlertStatus | 'all'): Locator {
    return this.root.getByTestId(`show-${status}`);
  }

  group(label: string): Locator {
    return this.groups.filter({ has: this.page.getByTestId('group-label').filter({ hasText: label }) });
  }

  row(id: number | string): Locator {
    return this.root.locator(`[data-testid="alert-row"][data-alert-id="${id}"]`);
  }

  rowsWithStatus(status: AlertStatus): Locator {
    return this.root.locator(`[data-testid="alert-row"][data-status="${status}"]`);
  }

  statusButton(status: AlertStatus): Locator {
    return this.triage.getByTestId(`status-${status}`);
  }

  /** Waits for the detail pane of the selected alert, "why" included. */
  async detailReady(): Promise<void> {
    await expect(this.detail).toHaveAttribute('data-state', 'ready');
  }
}
