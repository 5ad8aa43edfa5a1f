import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOSTILE } from '../../fixtures/evidence.ts';
import { expect, NO_TROUBLE, test } from '../../fixtures/test.ts';
import type { CasePage } from '../../pages/case-page.ts';

/** File names that attack whatever shows them: markup, an escape sequence, a spreadsheet formula. */
const HOSTILE_NAMES = {
  markup: `${HOSTILE.imgInUserAgent}.log`,
  ansi: '\x1b[31mred.log',
  ansiShown: '\\x1b[31mred.log',
  formula: "=cmd|' -c calc'!A0.log",
} as const;

/** Nothing from the logs became markup, a handler, a script or a link. */
async function expectNothingRendered(casePage: CasePage): Promise<void> {
  const page = casePage.page;
  await expect(page.locator('img, iframe, object, embed, b, script:not([src])')).toHaveCount(0);
  await expect(casePage.view.locator('svg')).toHaveCount(0);
  await expect(page.locator('[onerror], [onload], [onclick], [ontoggle]')).toHaveCount(0);
  await expect(page.locator('a[href^="javascript:"]')).toHaveCount(0);
  expect(await page.evaluate(() => document.cookie)).toBe('');
}

test.describe('hostile content', () => {
  // Imports and detection runs share two cores with whatever else runs: room beyond the default 30 s.
  test.setTimeout(90_000);

  test('a case named with markup shows its name as text in the top bar and among the recent cases', async ({ casePage, evidence, trouble }) => {
    const path = join(evidence.dir, `${HOSTILE.svgInGarbage}${HOSTILE_NAMES.ansi}.loupe`);
    await casePage.start.createByPath(path);
    await casePage.waitUntilReady();
    await expect(casePage.caseName).toHaveText(`${HOSTILE.svgInGarbage}${HOSTILE_NAMES.ansiShown}`);
    await casePage.show('start');
    await casePage.start.recentReady();
    await expect(casePage.start.recentRows.first()).toContainText(`${HOSTILE.svgInGarbage}${HOSTILE_NAMES.ansiShown}.loupe`);
    await expect(casePage.start.currentCase).toContainText(HOSTILE.svgInGarbage);
    await expectNothingRendered(casePage);
    expect(trouble).toEqual(NO_TROUBLE);
  });

  test('file names and log lines show as text in the import and alerts views and run nothing', async ({ casePage, evidence, trouble }) => {
    const paths = [HOSTILE_NAMES.markup, HOSTILE_NAMES.ansi, HOSTILE_NAMES.formula].map((name) => {
      const path = join(evidence.dir, name);
      copyFileSync(evidence.logPath, path);
      return path;
    });
    await casePage.open(evidence.casePath);
    await casePage.show('import');
    const imp = casePage.importer;
    await imp.paste(paths);
    await expect(imp.chosenPaths).toHaveCount(3);
    await expect(imp.chosenPaths.filter({ hasText: HOSTILE_NAMES.markup })).toHaveCount(1);
    await expect(imp.chosenPaths.filter({ hasText: HOSTILE_NAMES.ansiShown })).toHaveCount(1);

    // The preview shows the names and the first lines as they are.
    await imp.previewReady();
    await expect(imp.previewFile(HOSTILE_NAMES.markup)).toHaveCount(1);
    await expect(imp.previewFile(HOSTILE_NAMES.formula)).toHaveCount(1);
    await expect(imp.previewFile(HOSTILE_NAMES.ansiShown)).toHaveCount(1);
    await expect(imp.previewFile(HOSTILE_NAMES.markup).locator('[data-col="sample"]')).toContainText(HOSTILE.scriptInUrl);
    await expectNothingRendered(casePage);

    await imp.startButton.click();
    await imp.finished();
    const sources = imp.summarySources;
    await expect(sources.rows).toHaveCount(3);
    await expect(sources.cell(sources.row(HOSTILE_NAMES.markup), 'status')).toHaveText('complete');
    await expect(sources.cell(sources.row(HOSTILE_NAMES.formula), 'name')).toHaveText(HOSTILE_NAMES.formula);
    await expect(sources.cell(sources.row(HOSTILE_NAMES.ansiShown), 'name').locator('.control')).toHaveText('\\x1b');
    await expectNothingRendered(casePage);

    // The cross-site scripting alert quotes the request that carried the script, as text.
    await casePage.show('alerts');
    const alerts = casePage.alerts;
    await alerts.ready();
    await alerts.group('Cross-site scripting').getByTestId('alert-row').filter({ hasText: '203.0.113.7' }).click();
    await alerts.detailReady();
    await expect(alerts.why).toContainText(HOSTILE.scriptInUrl);
    await expect(alerts.events.filter({ hasText: HOSTILE.imgInUserAgent })).not.toHaveCount(0);
    await expect(alerts.events.filter({ hasText: HOSTILE.javascriptReferrer })).not.toHaveCount(0);

    // A note is text too, stored and shown back as typed.
    await alerts.note.fill(HOSTILE.svgInGarbage);
    await alerts.saveNote.click();
    await expect(alerts.triage).toHaveAttribute('data-state', 'saved');
    await expect(alerts.note).toHaveValue(HOSTILE.svgInGarbage);
    await expectNothingRendered(casePage);
    expect(trouble).toEqual(NO_TROUBLE);
  });
});
