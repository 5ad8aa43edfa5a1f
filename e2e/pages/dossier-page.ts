import { expect, type Locator, type Page } from '@playwright/test';

export type DossierList =
  | 'datasets' | 'actions' | 'outcomes' | 'statuses' | 'users' | 'hosts' | 'ips' | 'urls' | 'user-agents';

/** The dossier of an IP, user or host. */
export class DossierPage {
  readonly page: Page;
  readonly dossier: Locator;
  readonly value: Locator;
  readonly total: Locator;
  readonly firstSeen: Locator;
  readonly lastSeen: Locator;
  readonly sources: Locator;
  readonly alerts: Locator;
  readonly enrichment: Locator;
  readonly timeline: Locator;
  readonly back: Locator;
  readonly showEvents: Locator;

  constructor(page: Page) {
    this.page = page;
    this.dossier = page.getByTestId('dossier');
    this.value = page.getByTestId('dossier-value');
    this.total = page.getByTestId('dossier-total');
    this.firstSeen = page.getByTestId('dossier-first');
    this.lastSeen = page.getByTestId('dossier-last');
    this.sources = page.getByTestId('dossier-sources');
    this.alerts = page.getByTestId('dossier-alerts');
    this.enrichment = page.getByTestId('dossier-enrichment');
    this.timeline = page.getByTestId('dossier-timeline');
    this.back = page.getByTestId('dossier-back');
    this.showEvents = page.getByTestId('dossier-show-events');
  }

  async waitUntilReady(): Promise<void> {
    await expect(this.dossier).toHaveAttribute('data-state', 'ready');
  }

  list(name: DossierList): Locator {
    return this.page.getByTestId(`dossier-${name}`);
  }

  /** A top-N list as the analyst reads it: value → count. */
  async entries(name: DossierList): Promise<{ value: string; count: number }[]> {
    return this.list(name).locator('tr').evaluateAll((rows) => rows.map((r) => ({
      value: r.getAttribute('data-value') ?? '',
      count: Number(r.getAttribute('data-count')),
    })));
  }

  /** The text each value of a list shows on screen. */
  shownValues(name: DossierList): Locator {
    return this.list(name).locator('.top-value');
  }
}

/** The dossier's enrichment: class, location, lists, reputation and lookups. */
export class EnrichmentPart {
  readonly root: Locator;
  readonly ready: Locator;
  readonly category: Locator;
  readonly geo: Locator;
  readonly listHits: Locator;
  readonly reputation: Locator;
  readonly lookupStatus: Locator;

  constructor(page: Page) {
    this.root = page.getByTestId('dossier-enrichment');
    this.ready = this.root.locator('[data-testid="intel"][data-state="ready"]');
    this.category = this.root.getByTestId('intel-class');
    this.geo = this.root.getByTestId('intel-geo');
    this.listHits = this.root.getByTestId('intel-list-hit');
    this.reputation = this.root.getByTestId('intel-reputation');
    this.lookupStatus = this.root.getByTestId('intel-lookup-status');
  }

  lookup(provider: string): Locator {
    return this.root.locator(`[data-testid="intel-lookup"][data-provider="${provider}"]`);
  }

  answer(provider: string): Locator {
    return this.reputation.locator(`tr[data-provider="${provider}"]`);
  }
}
