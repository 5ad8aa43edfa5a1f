import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';

const resultsDir = fileURLToPath(new URL('../test-results/', import.meta.url));
// Debian's Chromium where it is installed (CI, these machines); Playwright's own browser elsewhere.
const DEBIAN_CHROMIUM = '/usr/bin/chromium';

export default defineConfig({
  testDir: './specs',
  // Not test-results/ itself: Playwright empties its output folder, and vitest.json lives there.
  outputDir: `${resultsDir}e2e`,
  reporter: [['list'], ['json', { outputFile: `${resultsDir}playwright.json` }]],
  forbidOnly: process.env['CI'] !== undefined,
  // In CI, a test that fails is run once more; one that then passes is listed as flaky by
  // Playwright and by bin/test-summary.mjs, not hidden. Locally a failure is a failure.
  retries: process.env['CI'] !== undefined ? 1 : 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      testIgnore: /electron\//,
      use: {
        browserName: 'chromium',
        launchOptions: {
          ...(existsSync(DEBIAN_CHROMIUM) ? { executablePath: DEBIAN_CHROMIUM } : {}),
          args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        },
      },
    },
    { name: 'electron', testMatch: /electron\/.*\.spec\.ts$/ },
  ],
});
