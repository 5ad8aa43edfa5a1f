import { readdirSync, readFileSync } from 'node:fs';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { rendererConfig } from './renderer/vite.config.ts';

const MIGRATIONS = new URL('./electron/engine/migrations/', import.meta.url);

/**
 * The engine finds its migrations at `new URL('./migrations/', import.meta.url)`; every bundled
 * chunk sits in out/main/, so the .sql files go to out/main/migrations/. (Its package.json lookup,
 * `../../package.json`, lands on the project's package.json from out/main/ as from electron/engine/.)
 */
function copyMigrations(): Plugin {
  return {
    name: 'loupe:copy-migrations',
    generateBundle() {
      for (const file of readdirSync(MIGRATIONS).filter((f) => f.endsWith('.sql'))) {
        this.emitFile({ type: 'asset', fileName: `migrations/${file}`, source: readFileSync(new URL(file, MIGRATIONS)) });
      }
    },
  };
}

export default defineConfig({
  main: {
    plugins: [copyMigrations()],
    build: {
      rolldownOptions: {
        // The workers are entries of their own; main passes their URLs to createLoupe.
        input: {
          index: 'electron/main/index.ts',
          'engine-worker': 'electron/main/engine-worker.ts',
          'import-worker': 'electron/ingest/import-worker.ts',
          'listener-worker': 'electron/syslog/listener-worker.ts',
          'detector-worker': 'electron/syslog/detector-worker.ts',
          'udp-reader-worker': 'electron/syslog/udp-reader-worker.ts',
        },
        output: { entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require nothing but `electron`: bundle everything into one CommonJS file.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: 'electron/preload/index.ts' },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: rendererConfig,
});
