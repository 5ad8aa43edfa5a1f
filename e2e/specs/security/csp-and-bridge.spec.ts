import { API_SHAPE } from '../../../shared/ipc/api.ts';
import { expect, test } from '../../fixtures/test.ts';

test.describe('the page and its bridge', () => {
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

  test('the page can only call named functions, and the main side validates what they carry', async ({ casePage }) => {
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
    const domains = new Set([...API_SHAPE.calls, ...API_SHAPE.subscriptions].map((f) => f.domain)).add('files');
    expect(answers.keys).toEqual([...domains].sort());
    expect(answers.invokeExposed).toBe(false);
    expect(answers.empty).toEqual({ ok: false, error: 'invalid request to case:open: path: must not be empty' });
    expect(answers.extraKey).toEqual({ ok: false, error: 'invalid request to case:open: request: Unrecognized key: "sql"' });
    expect(answers.hugeLimit).toMatchObject({ ok: false, error: expect.stringMatching(/^invalid request to events:query-page: limit: Too big/) });
  });
});
