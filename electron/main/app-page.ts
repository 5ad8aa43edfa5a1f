import { resolve } from 'node:path';

/**
 * True when `url` is the app's own page: the same file for a file:// page (query and hash aside),
 * the same origin for the dev server. Everything else (other files, remote pages, about:blank)
 * is not trusted to call the main process or to be navigated to.
 */
export function isAppPage(url: string, appUrl: string): boolean {
  let u: URL;
  let app: URL;
  try {
    u = new URL(url);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  if (app.protocol === 'file:') return u.protocol === 'file:' && u.host === app.host && u.pathname === app.pathname;
  return u.origin === app.origin;
}

/** May the page load this URL? Only files of the renderer folder, or the dev server. */
export function isAllowedResource(url: string, appUrl: string, rendererDirUrl: string): boolean {
  if (url.startsWith('devtools:')) return true;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  const app = new URL(appUrl);
  if (app.protocol !== 'file:') return u.origin === app.origin || (u.protocol === 'ws:' && u.hostname === app.hostname);
  return u.protocol === 'file:' && u.host === '' && u.pathname.startsWith(new URL(rendererDirUrl).pathname);
}

/** The case to open from a command line: the last argument naming a `.loupe` file. */
export function caseArgument(argv: readonly string[], cwd: string): string | undefined {
  const candidates = argv.slice(1).filter((a) => !a.startsWith('-') && a.toLowerCase().endsWith('.loupe'));
  const last = candidates.at(-1);
  return last === undefined ? undefined : resolve(cwd, last);
}
