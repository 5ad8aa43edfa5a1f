import { join } from 'node:path';
import { expect, test } from '../../fixtures/test.ts';

test.describe('the start view', () => {
  test('says why a case cannot be opened, and stays where it was', async ({ casePage, evidence }) => {
    const missing = join(evidence.dir, 'missing.loupe');
    await casePage.start.openByPath(missing);
    await expect(casePage.start.error).toHaveText(`${missing}: no such case file`);
    await expect(casePage.app).toHaveAttribute('data-case', 'none');

    await casePage.start.openByPath('relative/case.loupe');
    await expect(casePage.start.error).toContainText('full path');
  });
});
