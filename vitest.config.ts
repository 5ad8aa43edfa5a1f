import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'electron/**/*.test.ts', 'bench/**/*.test.ts', 'renderer/**/*.test.ts', 'bin/**/*.test.mjs'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The JSON report feeds the one-line summary CI prints (bin/test-summary.mjs).
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
