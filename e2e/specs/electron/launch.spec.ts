import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { _electron as electron } from '@playwright/test';
import { API_SHAPE } from '../../../shared/ipc/api.ts';
import { MAIN_BUNDLE } from '../../fixtures/build-output.ts';
import { findElectron } from '../../fixtures/electron-app.ts';
import { expect, test } from '../../fixtures/test.ts';
import { CasePage } from '../../pages/case-page.ts';

const found = findElectron();

test('the Electron app opens a hardened window showing the case given on its command line', async ({ evidence }) => {
  if ('missing' in found) {
    process.stdout.write(`skipped: ${found.missing}\n`);
    test.skip(true, found.missing);
    return;
  }
  expect(existsSync(MAIN_BUNDLE), `${MAIN_BUNDLE} is missing: run npm run build`).toBe(true);
  // Its own data folder, so the run leaves the machine's Loupe settings (recent cases) alone.
  const dataDir = join(evidence.dir, 'electron-data');
  const args = [MAIN_BUNDLE, `--user-data-dir=${dataDir}`, evidence.casePath];
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  // Without ELECTRON_RENDERER_URL the app loads its built page from out/renderer.
  const env = Object.fromEntries(Object.entries(process.env)
    .filter((e): e is [string, string] => e[1] !== undefined && e[0] !== 'ELECTRON_RENDERER_URL'));
  const app = await electron.launch({ executablePath: found.path, args, env });
  try {
    const win = await app.firstWindow();
    const casePage = new CasePage(win);
    await casePage.waitUntilReady();
    await expect(casePage.eventCount).toHaveText(String(evidence.lines.total));
    await casePage.show('import');
    const sources = casePage.importer.caseSources;
    await expect(sources.cell(sources.row(evidence.logName), 'sha256')).toHaveText(evidence.sha256);

    const pageSide = await win.evaluate(() => ({
      node: typeof (globalThis as Record<string, unknown>)['require'] + typeof (globalThis as Record<string, unknown>)['process'],
      loupe: Object.keys(window.loupe ?? {}).sort(),
    }));
    const domains = new Set([...API_SHAPE.calls, ...API_SHAPE.subscriptions].map((f) => f.domain)).add('files');
    expect(pageSide).toEqual({ node: 'undefinedundefined', loupe: [...domains].sort() });

    // No spellchecker, so no dictionary download.
    expect(await app.evaluate(({ session }) => session.defaultSession.isSpellCheckerEnabled())).toBe(false);

    // The application menu, and its commands reach the page.
    expect(await app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.items.map((i) => i.label)))
      .toEqual(process.platform === 'darwin' ? ['Loupe', 'File', 'Edit', 'View', 'Help'] : ['File', 'Edit', 'View', 'Help']);
    await app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.getMenuItemById('show-alerts')?.click());
    await expect(casePage.view).toHaveAttribute('data-view', 'alerts');
    await app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.getMenuItemById('show-import')?.click());
    await expect(casePage.view).toHaveAttribute('data-view', 'import');

    // The engine (in its worker) recorded the case among the recent ones, in the data folder given.
    const recent = JSON.parse(readFileSync(join(dataDir, 'recent-cases.json'), 'utf8')) as { path: string }[];
    expect(recent.map((r) => r.path)).toEqual([evidence.casePath]);

    // Navigation away and new windows are refused.
    await win.evaluate(() => {
      window.open('https://example.com/');
      location.href = 'https://example.com/';
    });
    await expect(casePage.app).toHaveAttribute('data-case', 'open');
    await expect(casePage.view).toHaveAttribute('data-view', 'import');
    expect(app.windows()).toHaveLength(1);
  } finally {
    await app.close();
  }
});
