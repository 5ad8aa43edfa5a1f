import { expect, NO_TROUBLE, test } from '../../fixtures/test.ts';
import { HOSTILE } from '../../fixtures/evidence.ts';

test.describe('opening a case', () => {
  test('shows the source with its file name, line counts and SHA-256, and the events', async ({ casePage, evidence, trouble }, testInfo) => {
    await casePage.open(evidence.casePath);
    await casePage.waitUntilReady();

    await expect(casePage.title).toHaveText(evidence.casePath);
    await expect(casePage.eventCount).toHaveText(String(evidence.lines.total));

    await expect(casePage.sourceRows).toHaveCount(1);
    const source = casePage.sourceRow(evidence.logName);
    const cell = (c: Parameters<typeof casePage.sourceCell>[1]) => casePage.sourceCell(source, c);
    await expect(cell('name')).toHaveText(evidence.logName);
    await expect(cell('format')).toContainText('apache.access');
    await expect(cell('confidence')).toHaveText(/\(\d+ %\)/);
    await expect(cell('timezone')).toHaveText('UTC');
    await expect(cell('lines-total')).toHaveText(String(evidence.lines.total));
    await expect(cell('lines-parsed')).toHaveText(String(evidence.lines.parsed));
    await expect(cell('lines-unparsed')).toHaveText(String(evidence.lines.unparsed));
    await expect(cell('lines-truncated')).toHaveText(String(evidence.lines.truncated));
    await expect(cell('sha256')).toHaveText(evidence.sha256);
    await expect(cell('status')).toHaveText('complete');

    // Every line is a row, unparsed ones included (first page holds them all).
    await expect(casePage.eventRows).toHaveCount(evidence.lines.total);
    const first = casePage.eventRows.filter({ hasText: HOSTILE.scriptInUrl });
    await expect(casePage.eventCell(first, 'time')).toHaveText('2024-10-10 13:55:36.000Z');
    await expect(casePage.eventCell(first, 'dataset')).toHaveText('apache.access');
    await expect(casePage.eventCell(first, 'source-ip')).toHaveText('203.0.113.7');
    await expect(casePage.eventCell(first, 'user')).toHaveText('alice');
    await expect(casePage.eventRows.filter({ hasText: 'this is not a log line' }).locator('[data-col="dataset"]')).toHaveText('unparsed');

    await casePage.page.screenshot({ path: testInfo.outputPath('open-case.png'), fullPage: true });
    await testInfo.attach('open-case', { path: testInfo.outputPath('open-case.png'), contentType: 'image/png' });
    expect(trouble).toEqual(NO_TROUBLE);
  });

  test('shows hostile log text as literal text and runs none of it', async ({ casePage, evidence, trouble }) => {
    await casePage.open(evidence.casePath);
    await casePage.waitUntilReady();

    const raw = casePage.events.locator('[data-col="raw"]');
    await expect(raw.filter({ hasText: HOSTILE.scriptInUrl })).toHaveCount(1);
    await expect(raw.filter({ hasText: HOSTILE.imgInUserAgent })).toHaveCount(1);
    await expect(raw.filter({ hasText: HOSTILE.javascriptReferrer })).toHaveCount(1);
    await expect(raw.filter({ hasText: HOSTILE.svgInGarbage })).toHaveCount(1);
    await expect(casePage.events.locator('[data-col="user"]', { hasText: HOSTILE.htmlUser })).toHaveCount(1);
    // The escape character is shown as a visible mark, not passed on to be interpreted.
    await expect(raw.filter({ hasText: HOSTILE.ansiShown })).toHaveCount(1);
    await expect(casePage.events.locator('.control').first()).toHaveText('\\x1b');

    const page = casePage.page;
    await expect(page.locator('img, svg, iframe, object, embed, b')).toHaveCount(0);
    await expect(page.locator('[onerror], [onload], [onclick]')).toHaveCount(0);
    await expect(page.locator('script:not([src])')).toHaveCount(0);
    await expect(page.locator('a[href^="javascript:"]')).toHaveCount(0);
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect(trouble).toEqual(NO_TROUBLE);
  });

  test('enforces a strict Content Security Policy', async ({ casePage }) => {
    const meta = await casePage.cspMeta().getAttribute('content');
    expect(meta).toContain("default-src 'self'");
    expect(meta).toContain("script-src 'self'");
    expect(meta).toContain("object-src 'none'");
    expect(meta).not.toContain('unsafe-eval');
    expect(meta).not.toContain('unsafe-inline');
    expect(meta).not.toMatch(/https?:|\*/);
    expect(casePage.documentHeaders['content-security-policy']).toBe(meta);

    // And it is in force for the page's own code (DevTools-protocol evaluation is exempt from the
    // eval rule, so the attempts run from a timer): neither eval nor an injected inline script runs.
    const outcome = await casePage.page.evaluate(() => new Promise<{ evalResult: string; injected: boolean; violations: string[] }>((resolve) => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.effectiveDirective));
      setTimeout(() => {
        let evalResult = 'ran';
        try {
          new Function('return 1')();
        } catch (e) {
          evalResult = (e as Error).name;
        }
        const s = document.createElement('script');
        s.textContent = 'window.__injected = true';
        document.body.append(s);
        // Violation events are queued as tasks; collect them on the next one.
        setTimeout(() => resolve({
          evalResult,
          injected: (window as unknown as { __injected?: boolean }).__injected === true,
          // Header and meta tag are two policies; each reports its own violation.
          violations: [...new Set(violations)].sort(),
        }), 50);
      }, 0);
    }));
    expect(outcome).toEqual({ evalResult: 'EvalError', injected: false, violations: ['script-src', 'script-src-elem'] });
  });

  test('says why a case cannot be opened, and refuses malformed requests', async ({ casePage, evidence }) => {
    await casePage.open(`${evidence.dir}/missing.loupe`);
    await expect(casePage.caseView).toHaveAttribute('data-state', 'error');
    await expect(casePage.error).toHaveText(`${evidence.dir}/missing.loupe: no such case file`);

    // The page can only call named functions, and the main side validates what they carry.
    const answers = await casePage.page.evaluate(async () => {
      const api = window.loupe;
      if (!api) throw new Error('window.loupe is missing');
      return {
        keys: Object.keys(api).sort(),
        invokeExposed: 'invoke' in api || 'invoke' in api.case,
        empty: await api.case.open({ path: '' }),
        extraKey: await api.case.open({ path: '/x.loupe', sql: 'DROP TABLE events' } as { path: string }),
        hugeLimit: await api.events.queryPage({ filter: {}, limit: 1_000_000 }),
      };
    });
    expect(answers.keys).toEqual(['alerts', 'app', 'case', 'dialog', 'entity', 'events', 'files', 'formats', 'import']);
    expect(answers.invokeExposed).toBe(false);
    expect(answers.empty).toEqual({ ok: false, error: 'invalid request to case:open: path: must not be empty' });
    expect(answers.extraKey).toEqual({ ok: false, error: 'invalid request to case:open: request: Unrecognized key: "sql"' });
    expect(answers.hugeLimit).toMatchObject({ ok: false, error: expect.stringMatching(/^invalid request to events:query-page: limit: Too big/) });
  });
});
