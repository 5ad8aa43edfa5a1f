import { join } from 'node:path';
import { expect, NO_TROUBLE, test } from '../../fixtures/test.ts';

test.describe('the window', () => {
  // Imports and detection runs share two cores with whatever else runs: room beyond the default 30 s.
  test.setTimeout(90_000);

  test('opens a case through the native dialog and follows the menu and the keys', async ({ casePage, evidence, app, trouble }) => {
    // The analyst cancels the dialog first: nothing happens.
    await casePage.start.openBrowse.click();
    await expect.poll(() => app.dialogs.asked).toEqual(['case:open']);
    await expect(casePage.app).toHaveAttribute('data-case', 'none');

    app.dialogs.answerCase(evidence.casePath);
    await casePage.start.openBrowse.click();
    await casePage.waitUntilReady();
    await expect(casePage.caseName).toHaveAttribute('title', evidence.casePath);

    app.menu('show-import');
    await expect(casePage.view).toHaveAttribute('data-view', 'import');
    app.menu('show-alerts');
    await expect(casePage.view).toHaveAttribute('data-view', 'alerts');
    await expect(casePage.filterRow).toBeVisible();

    const page = casePage.page;
    await page.keyboard.press('Control+2');
    await expect(casePage.view).toHaveAttribute('data-view', 'events');
    await page.keyboard.press('Control+1');
    await expect(casePage.view).toHaveAttribute('data-view', 'timeline');
    await page.keyboard.press('/');
    await expect(page.getByTestId('filter-input')).toBeFocused();
    // Typing in the filter bar is typing, not a shortcut.
    await page.keyboard.type('status>=400');
    await expect(casePage.view).toHaveAttribute('data-view', 'timeline');
    await page.keyboard.press('Control+4');
    await expect(casePage.view).toHaveAttribute('data-view', 'import');
    await expect(casePage.filterRow).toHaveCount(0);

    // The menu's "Import evidence…" opens the evidence dialog and adds what it answers.
    app.dialogs.answerEvidence([evidence.logPath]);
    app.menu('import-evidence');
    await expect(casePage.importer.chosenPaths).toHaveText([evidence.logPath]);
    expect(trouble).toEqual(NO_TROUBLE);
  });

  test('creates a case through the save dialog, then imports into it', async ({ casePage, evidence, app, trouble }) => {
    app.dialogs.answerCase(join(evidence.dir, 'from-dialog'));
    await casePage.start.createBrowse.click();
    await casePage.waitUntilReady();
    expect(app.dialogs.asked).toEqual(['case:create']);
    await expect(casePage.caseName).toHaveText('from-dialog');
    await expect(casePage.caseName).toHaveAttribute('title', join(evidence.dir, 'from-dialog.loupe'));
    await expect(casePage.eventCount).toHaveText('0');
    await expect(casePage.view).toHaveAttribute('data-view', 'import');

    app.dialogs.answerEvidence([evidence.logPath]);
    await casePage.importer.pickFiles.click();
    await casePage.importer.previewReady();
    await casePage.importer.startButton.click();
    await casePage.importer.finished();
    await expect(casePage.eventCount).toHaveText(String(evidence.lines.total));
    expect(trouble).toEqual(NO_TROUBLE);
  });
});
