import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, NO_TROUBLE, test } from '../../fixtures/test.ts';

// No import view yet: the page drives window.loupe directly, as that view will.
test('imports another file into the open case, with progress pushed to the page', async ({ casePage, evidence, trouble }) => {
  await casePage.open(evidence.casePath);
  await casePage.waitUntilReady();
  const second = join(evidence.dir, 'auth.log');
  writeFileSync(second, 'Oct 10 13:59:01 web1 sshd[311]: Failed password for root from 203.0.113.7 port 52114 ssh2\n');

  const { result, phases } = await casePage.page.evaluate(async (path) => {
    const api = window.loupe;
    if (!api) throw new Error('window.loupe is missing');
    const seen: string[] = [];
    const off = api.import.onProgressChanged((p) => seen.push(p.phase));
    const answer = await api.import.start({ paths: [path] });
    off();
    return { result: answer, phases: seen };
  }, second);
  expect(result).toMatchObject({ ok: true, value: { cancelled: false, lines: 1, sources: [{ name: 'auth.log' }] } });
  expect(phases).toContain('done');

  await casePage.open(evidence.casePath);
  await casePage.waitUntilReady();
  await expect(casePage.sourceRows).toHaveCount(2);
  await expect(casePage.eventCount).toHaveText(String(evidence.lines.total + 1));
  expect(trouble).toEqual(NO_TROUBLE);
});
