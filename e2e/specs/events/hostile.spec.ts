import type { Page } from '@playwright/test';
import { HOSTILE } from '../../fixtures/evidence.ts';
import { DossierPage } from '../../pages/dossier-page.ts';
import { EventsPage } from '../../pages/events-page.ts';
import { expect, NO_TROUBLE, test } from '../../fixtures/workbench.ts';

/** Nothing from the logs became markup, ran, or turned into a link. */
async function expectNothingRan(page: Page): Promise<void> {
  // The only SVG is the charts' own drawing surface.
  await expect(page.locator('img, iframe, object, embed, b, svg:not(.recharts-surface)')).toHaveCount(0);
  await expect(page.locator('[onerror], [onload], [onclick]')).toHaveCount(0);
  await expect(page.locator('script:not([src])')).toHaveCount(0);
  await expect(page.locator('a[href]')).toHaveCount(0);
  expect(await page.evaluate(() => document.cookie)).toBe('');
}

test('hostile log text shows as text in the grid, the detail pane and the dossier, and runs nothing', async ({ casePage, evidence, trouble }) => {
  test.setTimeout(90_000);
  const page = casePage.page;
  const grid = new EventsPage(page);
  const dossier = new DossierPage(page);
  await casePage.open(evidence.casePath);
  await casePage.show('events');
  await grid.waitUntilReady();
  await grid.setColumn('URL', true);
  await grid.setColumn('Referrer', true);
  await grid.setColumn('User agent', true);

  const script = grid.rows.filter({ hasText: HOSTILE.scriptInUrl });
  await expect(grid.cell(script, 'url')).toHaveText(`/search?q=${HOSTILE.scriptInUrl}`);
  await expect(grid.cell(script, 'user-agent')).toHaveText(`Mozilla/5.0 ${HOSTILE.imgInUserAgent}`);
  await expect(grid.cell(script, 'referrer')).toHaveText(HOSTILE.javascriptReferrer);
  await expect(grid.cells('user').filter({ hasText: HOSTILE.htmlUser })).toHaveCount(1);
  await expect(grid.cells('raw').filter({ hasText: HOSTILE.svgInGarbage })).toHaveCount(1);
  // The escape character shows as a visible mark instead of colouring anything.
  const ansi = grid.cells('user-agent').filter({ hasText: HOSTILE.ansiShown });
  await expect(ansi).toHaveCount(1);
  await expect(ansi.locator('.control').first()).toHaveText('\\x1b');
  await expectNothingRan(page);

  await grid.select(script);
  await grid.grid.press('Enter');
  await expect(grid.detail).toHaveAttribute('data-state', 'ready');
  await expect(grid.detailRaw).toContainText(HOSTILE.scriptInUrl);
  await expect(grid.detailField('url.original')).toContainText(HOSTILE.scriptInUrl);
  await expect(grid.detailField('user_agent.original')).toContainText(HOSTILE.imgInUserAgent);
  await expect(grid.detailField('http.request.referrer')).toContainText(HOSTILE.javascriptReferrer);
  await expectNothingRan(page);

  // The dossier of the IP that sent them lists them as text too.
  await grid.pivotIn(grid.cell(script, 'source-ip')).click();
  await dossier.waitUntilReady();
  await expect(dossier.shownValues('urls').filter({ hasText: HOSTILE.scriptInUrl })).toHaveCount(1);
  await expect(dossier.shownValues('user-agents').filter({ hasText: HOSTILE.imgInUserAgent })).toHaveCount(1);
  await expectNothingRan(page);

  await dossier.back.click();
  await grid.waitUntilReady();
  const mallory = grid.rows.filter({ hasText: HOSTILE.htmlUser });
  await grid.pivotIn(grid.cell(mallory, 'user')).click();
  await dossier.waitUntilReady();
  await expect(dossier.value).toHaveText(HOSTILE.htmlUser);
  await expectNothingRan(page);

  await dossier.back.click();
  const ansiRow = grid.rows.filter({ hasText: HOSTILE.ansiShown });
  await grid.pivotIn(grid.cell(ansiRow, 'source-ip')).click();
  await dossier.waitUntilReady();
  await expect(dossier.shownValues('user-agents').filter({ hasText: HOSTILE.ansiShown }).locator('.control').first()).toHaveText('\\x1b');
  await expectNothingRan(page);

  expect(trouble.dialogs).toEqual([]);
  expect(trouble).toEqual(NO_TROUBLE);
});
