/**
 * The renderer's Content Security Policy. The page shows hostile text from logs, so nothing but
 * the app's own bundle may run: no inline script, no eval, no remote origin, no plugins, no forms.
 * The built page carries it as a meta tag (it is loaded from file://, which has no headers); the
 * e2e server also sends it as a header.
 */
const PRODUCTION: Record<string, string> = {
  'default-src': "'self'",
  'script-src': "'self'",
  'style-src': "'self'",
  'img-src': "'self'",
  'font-src': "'self'",
  'connect-src': "'self'",
  'object-src': "'none'",
  'base-uri': "'none'",
  'form-action': "'none'",
  'frame-src': "'none'",
  'worker-src': "'self'",
};

/**
 * Vite's dev server injects inline scripts and styles (React refresh, CSS) and talks over a
 * websocket, so `electron-vite dev` needs those; eval stays forbidden there too.
 */
const DEVELOPMENT_EXTRA: Record<string, string> = {
  'script-src': "'unsafe-inline'",
  'style-src': "'unsafe-inline'",
  'connect-src': 'ws://localhost:* ws://127.0.0.1:*',
};

export function contentSecurityPolicy(mode: 'production' | 'development' = 'production'): string {
  return Object.entries(PRODUCTION)
    .map(([directive, value]) => {
      const extra = mode === 'development' ? DEVELOPMENT_EXTRA[directive] : undefined;
      return `${directive} ${extra ? `${value} ${extra}` : value}`;
    })
    .join('; ');
}
