import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect, NO_TROUBLE, test } from '../../fixtures/test.ts';
import { screenshotView } from '../../pages/screenshots.ts';

test.describe('the start view', () => {
  // Imports and detection runs share two cores with whatever else runs: room beyond the default 30 s.
  test.setTimeout(90_000);

  test('opens a case by its path and shows it in the top bar', async ({ casePage, evidence, trouble }, testInfo) => {
    await expect(casePage.app).toHaveAttribute('data-case', 'none');
    await expect(casePage.start.root).toBeVisible();
    await screenshotView(casePage.page, testInfo, 'start');

    await casePage.start.openByPath(evidence.casePath);
    await casePage.waitUntilReady();
    await expect(casePage.caseName).toHaveText('evidence');
    await expect(casePage.caseName).toHaveAttribute('title', evidence.casePath);
    await expect(casePage.eventCount).toHaveText(String(evidence.lines.total));
    // A case with events opens on its timeline.
    await expect(casePage.view).toHaveAttribute('data-view', 'timeline');
    expect(trouble).toEqual(NO_TROUBLE);
  });

  test('says why a case cannot be opened, and stays where it was', async ({ casePage, evidence }) => {
    const missing = join(evidence.dir, 'missing.loupe');
    await casePage.start.openByPath(missing);
    await expect(casePage.start.error).toHaveText(`${missing}: no such case file`);
    await expect(casePage.app).toHaveAttribute('data-case', 'none');

    await casePage.start.openByPath('relative/case.loupe');
    await expect(casePage.start.error).toContainText('full path');
  });

  test('creates an empty case, which opens on the import view; both cases are then recent', async ({ casePage, evidence, trouble }) => {
    const created = join(evidence.dir, 'new-case.loupe');
    await casePage.start.createByPath(created);
    await casePage.waitUntilReady();
    await expect(casePage.eventCount).toHaveText('0');
    await expect(casePage.view).toHaveAttribute('data-view', 'import');

    // Creating over an existing file is refused.
    await casePage.show('start');
    await casePage.start.createByPath(evidence.casePath);
    await expect(casePage.start.error).toHaveText(`${evidence.casePath} already exists: open it, or choose another name for the new case`);

    await casePage.start.openByPath(evidence.casePath);
    await casePage.waitUntilReady();
    await casePage.show('start');
    const recent = await casePage.start.recentReady();
    await expect(recent.first()).toContainText(evidence.casePath);
    await expect(casePage.start.recentCase(created)).toHaveAttribute('data-exists', 'true');

    // A recent case whose file is gone is shown as missing and cannot be opened.
    rmSync(created);
    await casePage.page.reload();
    await casePage.nav('start').click();
    await casePage.start.recentReady();
    const gone = casePage.start.recentCase(created);
    await expect(gone).toHaveAttribute('data-exists', 'false');
    await expect(gone.getByTestId('recent-missing')).toHaveText('missing');
    await expect(gone.getByRole('button')).toBeDisabled();

    // Opening from the list.
    await casePage.start.recentCase(evidence.casePath).getByRole('button').click();
    await casePage.waitUntilReady();
    await expect(casePage.eventCount).toHaveText(String(evidence.lines.total));
    // The refused create is the one thing the main side logged.
    expect(trouble.mainLog).toEqual([expect.stringContaining('case:create failed')]);
    expect({ ...trouble, mainLog: [] }).toEqual(NO_TROUBLE);
  });

  test('opens the sample case so a student can explore at once', async ({ casePage, trouble }, testInfo) => {
    test.setTimeout(120_000);
    await casePage.start.openSample.click();
    // The first time, its logs are generated and imported: that takes a while, and says so.
    await expect(casePage.start.busy).toContainText('Preparing the sample case');
    await expect(casePage.app).toHaveAttribute('data-case', 'open', { timeout: 100_000 });
    await expect(casePage.caseName).not.toBeEmpty();
    expect(Number((await casePage.eventCount.textContent())?.replace(/,/g, ''))).toBeGreaterThan(1000);
    await expect(casePage.openAlerts).not.toHaveText('0');
    await expect(casePage.view).toHaveAttribute('data-view', 'timeline');
    await expect(casePage.page.getByTestId('timeline')).toHaveAttribute('data-state', 'ready');
    await screenshotView(casePage.page, testInfo, 'sample-case-timeline');
    expect(trouble).toEqual(NO_TROUBLE);
  });
});
