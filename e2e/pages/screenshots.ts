import { fileURLToPath } from 'node:url';
import type { Page, TestInfo } from '@playwright/test';

/** Where the views' screenshots go for a reviewer (not committed; Playwright does not empty it). */
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

/** Saves the window as `test-results/screenshots/<name>.png` and attaches it to the report. */
export async function screenshotView(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = `${SCREENSHOT_DIR}${name}.png`;
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}
