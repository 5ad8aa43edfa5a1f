import { describe, expect, it } from 'vitest';
import { caseArgument, isAllowedResource, isAppPage } from './app-page.ts';

const FILE_APP = 'file:///opt/loupe/out/renderer/index.html';
const RENDERER_DIR = 'file:///opt/loupe/out/renderer/';

describe('isAppPage', () => {
  it('trusts the app page itself, with any query or hash', () => {
    expect(isAppPage(FILE_APP, FILE_APP)).toBe(true);
    expect(isAppPage(`${FILE_APP}?x=1#/case`, FILE_APP)).toBe(true);
    expect(isAppPage('http://localhost:5173/some/route', 'http://localhost:5173/')).toBe(true);
  });

  it('trusts no other file, origin or scheme', () => {
    for (const url of [
      'file:///tmp/evil.html', 'file:///opt/loupe/out/renderer/../../evil/index.html', 'file://host/opt/loupe/out/renderer/index.html',
      'https://example.com/index.html', 'about:blank', 'data:text/html,hi', '', 'not a url',
    ]) expect(isAppPage(url, FILE_APP), url).toBe(false);
    expect(isAppPage('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
  });
});

describe('isAllowedResource', () => {
  it('lets the page load only files of the renderer folder', () => {
    expect(isAllowedResource(`${RENDERER_DIR}assets/index.js`, FILE_APP, RENDERER_DIR)).toBe(true);
    expect(isAllowedResource('file:///etc/passwd', FILE_APP, RENDERER_DIR)).toBe(false);
    expect(isAllowedResource(`${RENDERER_DIR}../main/index.js`, FILE_APP, RENDERER_DIR)).toBe(false);
    expect(isAllowedResource(`${RENDERER_DIR}%2e%2e/main/index.js`, FILE_APP, RENDERER_DIR)).toBe(false);
    expect(isAllowedResource('https://example.com/beacon', FILE_APP, RENDERER_DIR)).toBe(false);
    expect(isAllowedResource('devtools://devtools/bundled/inspector.html', FILE_APP, RENDERER_DIR)).toBe(true);
  });

  it('lets the dev page reach its own server only', () => {
    expect(isAllowedResource('http://localhost:5173/@vite/client', 'http://localhost:5173/', RENDERER_DIR)).toBe(true);
    expect(isAllowedResource('ws://localhost:5173/', 'http://localhost:5173/', RENDERER_DIR)).toBe(true);
    expect(isAllowedResource('http://evil.test/', 'http://localhost:5173/', RENDERER_DIR)).toBe(false);
  });
});

describe('caseArgument', () => {
  it('takes the last .loupe argument, resolved against the working directory', () => {
    expect(caseArgument(['/usr/bin/loupe', 'a.loupe', '--flag', 'sub/b.LOUPE'], '/home/ana')).toBe('/home/ana/sub/b.LOUPE');
    expect(caseArgument(['electron', '.', '/cases/x.loupe'], '/w')).toBe('/cases/x.loupe');
    expect(caseArgument(['electron', '.', '--inspect=x.loupe'], '/w')).toBeUndefined();
    expect(caseArgument(['electron', '.'], '/w')).toBeUndefined();
  });
});
