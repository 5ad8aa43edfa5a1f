import type { CasePage } from './case-page.ts';
import { DossierPage, EnrichmentPart } from './dossier-page.ts';
import { EventsPage } from './events-page.ts';
import { FilterBarPage } from './filter-bar.ts';
import { SettingsPage } from './settings-page.ts';

/** The views the intel specs go through: Settings, the grid and its filter bar, the dossier. */
export interface IntelViews {
  settings: SettingsPage;
  grid: EventsPage;
  bar: FilterBarPage;
  dossier: DossierPage;
  enrichment: EnrichmentPart;
}

/** Opens the case on its Settings view, ready, and gives the views an intel spec goes through. */
export async function openAtSettings(casePage: CasePage, casePath: string): Promise<IntelViews> {
  const page = casePage.page;
  const views: IntelViews = {
    settings: new SettingsPage(page),
    grid: new EventsPage(page),
    bar: new FilterBarPage(page),
    dossier: new DossierPage(page),
    enrichment: new EnrichmentPart(page),
  };
  await casePage.open(casePath);
  await casePage.show('settings');
  await views.settings.waitUntilReady();
  return views;
}
