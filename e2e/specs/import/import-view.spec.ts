import { expect, NO_TROUBLE, test } from '../../fixtures/test.ts';
import { generateLogs } from '../../fixtures/generated.ts';
import { screenshotView } from '../../pages/screenshots.ts';

const count = (n: number): string => n.toLocaleString('en-US');

test.describe('the import view', () => {
  // Imports and detection runs share two cores with whatever else runs: room beyond the default 30 s.
  test.setTimeout(90_000);

  test('imports generated logs: progress per file, a summary per source, the alerts found', async ({ casePage, evidence, trouble }, testInfo) => {
    const logs = await generateLogs(evidence.dir, { scenario: 'mixed', lines: 12_000 });
    await casePage.open(evidence.casePath);
    await casePage.show('import');
    const imp = casePage.importer;

    await imp.paste([logs.dir]);
    await expect(imp.chosenPaths).toHaveText([logs.dir]);
    await imp.previewReady();
    const progress = await imp.recordProgress();
    await imp.startButton.click();
    await imp.finished();

    // What the progress panel showed: lines, speed and bytes counting up, each file read, then done.
    const seen = await progress();
    const lines = seen.map((s) => Number(s.lines?.replace(/,/g, '') ?? 'NaN')).filter((n) => !Number.isNaN(n));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    expect(seen.some((s) => /^[\d,]+ lines\/s$/.test(s.rate ?? ''))).toBe(true);
    expect(seen.some((s) => /^[\d.]+ [kMG]?B of [\d.]+ [kMG]?B$/.test(s.bytes ?? ''))).toBe(true);
    expect(seen.some((s) => s.files.includes('reading'))).toBe(true);
    expect(seen.at(-1)?.files).toEqual(logs.files.map(() => 'done'));

    const sources = imp.summarySources;
    await expect(sources.rows).toHaveCount(logs.files.length);
    for (const f of logs.files) {
      const row = sources.row(f.name);
      await expect(sources.cell(row, 'lines-total')).toHaveText(count(f.lines));
      await expect(sources.cell(row, 'sha256')).toHaveText(f.sha256);
      await expect(sources.cell(row, 'status')).toHaveText('complete');
    }
    await expect(sources.cell(sources.row('access.log'), 'format')).toContainText('apache');

    // Lines in = rows out: the case grew by exactly the generated lines.
    await expect(casePage.eventCount).toHaveText(count(evidence.lines.total + logs.lines));

    const found = Number(await imp.alertsFound.getAttribute('data-total'));
    expect(found).toBeGreaterThan(0);
    await screenshotView(casePage.page, testInfo, 'import-summary');
    await imp.reviewAlerts.click();
    await expect(casePage.view).toHaveAttribute('data-view', 'alerts');
    expect(trouble).toEqual(NO_TROUBLE);
  });

  test('imports a file dropped on the drop zone', async ({ casePage, evidence, app, trouble }) => {
    const logs = await generateLogs(evidence.dir, { scenario: 'auth', lines: 1_000 });
    const auth = logs.files.find((f) => f.name === 'auth.log');
    if (!auth) throw new Error('the auth scenario wrote no auth.log');
    await casePage.open(evidence.casePath);
    await casePage.show('import');
    const imp = casePage.importer;

    await app.setFilePaths({ 'auth.log': auth.path });
    await imp.drop([{ name: 'auth.log', text: 'what the page holds is not what is imported' }]);
    await expect(imp.chosenPaths).toHaveText([auth.path]);
    await imp.startButton.click();
    await imp.finished();
    const row = imp.summarySources.row('auth.log');
    await expect(imp.summarySources.cell(row, 'lines-total')).toHaveText(count(auth.lines));
    await expect(imp.summarySources.cell(row, 'sha256')).toHaveText(auth.sha256);

    // A File the page made up has no path on disk: the view says so and imports nothing.
    await imp.drop([{ name: 'made-up.log', text: 'x' }]);
    await expect(imp.pickerError).toContainText('made-up.log');
    await expect(imp.chosenPaths).toHaveCount(0);
    expect(trouble).toEqual(NO_TROUBLE);
  });

  test('the preview shows the format detected in each file; the import uses the format and time zone chosen instead', async ({ casePage, evidence, trouble }, testInfo) => {
    const logs = await generateLogs(evidence.dir, { scenario: 'auth', lines: 1_000 });
    await casePage.open(evidence.casePath);
    await casePage.show('import');
    const imp = casePage.importer;
    await imp.paste([logs.dir]);
    await imp.previewReady();
    await expect(imp.previewFiles).toHaveCount(logs.files.length);
    await expect(imp.formatOf('auth.log')).toHaveValue('syslog');
    await expect(imp.previewFile('auth.log').locator('[data-col="confidence"]')).toHaveText(/^\d+ %$/);
    await expect(imp.previewFile('auth.log').locator('[data-col="sample"]')).toContainText('sshd');
    await screenshotView(casePage.page, testInfo, 'import-preview');

    // The syslog file read as JSON: every line kept, none parsed, the choice recorded as forced.
    await imp.formatOf('syslog').selectOption('json');
    await expect(imp.previewFile('syslog').locator('[data-col="confidence"]')).toHaveText('chosen by you');
    await imp.timezone.selectOption('Europe/Berlin');
    await imp.startButton.click();
    await imp.finished();
    const sources = imp.summarySources;
    const syslog = sources.row('syslog');
    const lines = logs.files.find((f) => f.name === 'syslog')?.lines ?? 0;
    await expect(sources.cell(syslog, 'format')).toContainText('json');
    await expect(sources.cell(syslog, 'confidence')).toHaveText('(forced)');
    await expect(sources.cell(syslog, 'lines-unparsed')).toHaveText(count(lines));
    await expect(sources.cell(sources.row('auth.log'), 'format')).toContainText('syslog');
    await expect(sources.cell(sources.row('auth.log'), 'timezone')).toHaveText('Europe/Berlin');
    expect(trouble).toEqual(NO_TROUBLE);
  });

  test('cancels a running import and says what was kept', async ({ casePage, evidence, trouble }, testInfo) => {
    const logs = await generateLogs(evidence.dir, { scenario: 'web', lines: 400_000 });
    await casePage.open(evidence.casePath);
    await casePage.show('import');
    const imp = casePage.importer;
    await imp.paste(logs.files.map((f) => f.path));
    await imp.startButton.click();
    await expect(imp.progress).toHaveAttribute('data-phase', 'reading');
    await expect(imp.progress.getByTestId('progress-lines')).not.toHaveText('0');
    await expect(casePage.topBar.getByTestId('import-indicator')).toBeVisible();
    await screenshotView(casePage.page, testInfo, 'import-progress');
    await imp.cancelButton.click();
    await imp.finished();
    await expect(imp.summary).toHaveAttribute('data-cancelled', 'true');
    await expect(imp.summary).toContainText('Import cancelled');
    expect(trouble).toEqual(NO_TROUBLE);
  });
});
