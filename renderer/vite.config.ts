// The renderer's build, used alone (`vite build --config renderer/vite.config.ts`) and by
// electron.vite.config.ts, so the e2e tests and the app load the very same bundle from out/renderer.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin, type UserConfig } from 'vite';
import { contentSecurityPolicy } from '../shared/csp.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
export const RENDERER_OUT_DIR = fileURLToPath(new URL('../out/renderer/', import.meta.url));

/** Puts the CSP into the page as its first element, before anything could load. */
function cspMetaTag(): Plugin {
  let mode: 'production' | 'development' = 'production';
  return {
    name: 'loupe:csp-meta',
    configResolved(config) {
      mode = config.command === 'serve' ? 'development' : 'production';
    },
    transformIndexHtml: () => [{
      tag: 'meta',
      attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy(mode) },
      injectTo: 'head-prepend',
    }],
  };
}

export const rendererConfig: UserConfig = {
  root,
  base: './',
  plugins: [react(), cspMetaTag()],
  build: {
    outDir: RENDERER_OUT_DIR,
    rolldownOptions: { input: fileURLToPath(new URL('./index.html', import.meta.url)) },
    emptyOutDir: true,
    target: 'chrome140',
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    sourcemap: true,
  },
};

export default defineConfig(rendererConfig);
