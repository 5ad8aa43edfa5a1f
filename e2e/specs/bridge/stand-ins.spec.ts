import { expect, NO_TROUBLE, test } from '../../fixtures/test.ts';

// What the e2e fixture stands in for, where Electron cannot run: the native dialogs, the path of a
// dropped file (webUtils in the preload) and the application menu. The page reaches them through
// the same window.loupe functions it uses in the app.
test.describe('the bridge stand-ins', () => {
  test('a dropped file has the path the test gave for its name, and only a File is accepted', async ({ page, app, evidence, trouble }) => {
    await page.goto(app.url);
    await app.setFilePaths({ [evidence.logName]: evidence.logPath });
    const answers = await page.evaluate((name) => {
      const api = window.loupe;
      if (!api) throw new Error('window.loupe is missing');
      const drop = new DataTransfer();
      drop.items.add(new File(['x'], name));
      drop.items.add(new File(['y'], 'made-by-the-page.log'));
      const [known, unknown] = [...drop.files];
      let refused = '';
      try {
        api.files.pathOf({ name, size: 1 });
      } catch (err) {
        refused = (err as Error).message;
      }
      return { known: known && api.files.pathOf(known), unknown: unknown && api.files.pathOf(unknown), refused };
    }, evidence.logName);
    expect(answers).toEqual({ known: evidence.logPath, unknown: null, refused: 'files.pathOf needs a File' });
    expect(trouble).toEqual(NO_TROUBLE);
  });

  test('the dialogs answer what the test queued, and a menu command reaches the page', async ({ page, app, evidence }) => {
    await page.goto(app.url);
    app.dialogs.answerCase(evidence.casePath);
    app.dialogs.answerEvidence([evidence.logPath]);
    const answers = await page.evaluate(async () => {
      const api = window.loupe;
      if (!api) throw new Error('window.loupe is missing');
      return {
        open: await api.dialog.pickCase({ purpose: 'open' }),
        files: await api.dialog.pickEvidence({ kind: 'files' }),
        cancelled: await api.dialog.pickCase({ purpose: 'create' }),
      };
    });
    expect(answers).toEqual({
      open: { ok: true, value: { path: evidence.casePath } },
      files: { ok: true, value: { paths: [evidence.logPath] } },
      cancelled: { ok: true, value: { path: null } },
    });
    expect(app.dialogs.asked).toEqual(['case:open', 'evidence:files', 'case:create']);

    await page.evaluate(() => {
      const seen: unknown[] = [];
      Object.defineProperty(window, '__seenCommands', { value: seen });
      window.loupe?.app.onCommandRequested((p) => seen.push(p));
    });
    app.menu('show-events');
    await expect.poll(() => page.evaluate(() => (window as unknown as { __seenCommands: unknown[] }).__seenCommands))
      .toEqual([{ command: 'show-events' }]);
  });
});
