import { expect, type Locator, type Page } from '@playwright/test';

/** The Timeline view: the stacked histogram, its controls and the alerts marked on it. */
export class TimelinePage {
  readonly page: Page;
  readonly timeline: Locator;
  readonly chart: Locator;
  readonly legend: Locator;
  readonly alerts: Locator;
  readonly alertMarks: Locator;
  readonly clearRange: Locator;

  constructor(page: Page) {
    this.page = page;
    this.timeline = page.getByTestId('timeline');
    this.chart = page.getByTestId('timeline-chart');
    this.legend = page.getByTestId('timeline-legend');
    this.alerts = page.getByTestId('timeline-alerts');
    this.alertMarks = this.chart.locator('.recharts-reference-line');
    this.clearRange = page.getByTestId('timeline-zoom-out');
  }

  async waitUntilReady(): Promise<void> {
    await expect(this.timeline).toHaveAttribute('data-state', 'ready');
    await expect(this.chart.locator('.recharts-bar-rectangle').first()).toBeVisible();
  }

  stackBy(by: 'dataset' | 'level'): Locator {
    return this.page.getByTestId(`stack-by-${by}`);
  }

  async bucketMs(): Promise<number> {
    return Number(await this.timeline.getAttribute('data-bucket-ms'));
  }

  /** The plot area (inside the axes), where a drag selects time. */
  private async plot(): Promise<{ x: number; y: number; width: number; height: number }> {
    const box = await this.chart.locator('.recharts-cartesian-grid').boundingBox();
    if (!box) throw new Error('the timeline has no plot area');
    return box;
  }

  /**
   * Presses the mouse at `from` (a fraction of the plot's width) and moves it to `to`; `release`
   * finishes the drag (false leaves it held, e.g. for a screenshot of the selection).
   */
  async drag(from: number, to: number, release = true): Promise<void> {
    const p = await this.plot();
    const y = p.y + p.height / 2;
    await this.page.mouse.move(p.x + p.width * from, y);
    await this.page.mouse.down();
    for (let i = 1; i <= 8; i++) await this.page.mouse.move(p.x + p.width * (from + ((to - from) * i) / 8), y);
    await expect(this.chart).toHaveAttribute('data-dragging', 'true');
    if (release) await this.page.mouse.up();
  }
}
