// Electron's main process: the only module (with native-dialogs.ts) that imports `electron`. It
// makes one hardened window, the application menu, and routes the IPC contract's channels through
// the validating dispatcher to the handler table (compose.ts): dialogs and app info here, the rest
// in the engine's worker thread, so that SQLite never blocks this thread.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, session as electronSession, type WebContents } from 'electron';
import { CHANNELS } from '../../shared/ipc/contract.ts';
import { LOUPE_VERSION } from '../engine/version.ts';
import { caseArgument, isAllowedResource, isAppPage } from './app-page.ts';
import { createLoupe, type Loupe } from './compose.ts';
import { createDispatch, validatedPush, type Dispatch } from './dispatch.ts';
import { openKeyStore } from './key-store.ts';
import { menuTemplate } from './menu.ts';
import { nativeDialogs } from './native-dialogs.ts';

// The bundle lays out out/main/{index,engine-worker,import-worker}.js, out/preload/index.cjs, out/renderer/.
const here = dirname(fileURLToPath(import.meta.url));
const rendererDir = join(here, '../renderer/');
const devServer = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL'];
const appUrl = devServer ?? pathToFileURL(join(rendererDir, 'index.html')).href;

const log = (message: string): void => {
  process.stderr.write(`loupe: ${message}\n`);
};

let mainWindow: BrowserWindow | null = null;
const push = validatedPush((event, payload) => mainWindow?.webContents.send(event, payload), log);

function registerIpc(dispatch: Dispatch): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event, request: unknown) => {
      const frame = event.senderFrame;
      // Only the window's top frame may call; a subframe (there should be none) never.
      const url = frame && frame.parent === null ? frame.url : null;
      return dispatch(channel, request, { url });
    });
  }
}

function hardenSession(): void {
  const ses = electronSession.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  // Chromium fetches hunspell dictionaries from Google's CDN even with spellcheck off in the page;
  // pointing the downloader at a closed loopback port keeps that request on the machine.
  ses.setSpellCheckerEnabled(false);
  ses.setSpellCheckerDictionaryDownloadURL('http://127.0.0.1:9/');
  // No request leaves for anywhere but the app's own files: the network stays off (DESIGN: offline).
  const rendererDirUrl = pathToFileURL(rendererDir).href;
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedResource(details.url, appUrl, rendererDirUrl);
    if (!allowed) log(`blocked request to ${details.url.slice(0, 200)}`);
    callback({ cancel: !allowed });
  });
}

function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (e) => e.preventDefault());
  contents.on('will-redirect', (e) => e.preventDefault());
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    show: false,
    title: 'Loupe',
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      spellcheck: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  void win.loadURL(appUrl);
  return win;
}

function installMenu(): void {
  app.setAboutPanelOptions({
    applicationName: 'Loupe',
    applicationVersion: LOUPE_VERSION,
    credits: 'An offline workbench for security log analysis. Nothing leaves your machine.',
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({
    command: (command) => push('app:command-requested', { command }),
    about: () => app.showAboutPanel(),
  }, { platform: process.platform, dev: !app.isPackaged })));
}

async function openFromCommandLine(loupe: Loupe, argv: readonly string[], cwd: string): Promise<void> {
  const path = caseArgument(argv, cwd);
  if (path === undefined) return;
  try {
    push('case:summary-changed', await loupe.handlers['case:open']({ path }));
  } catch (err) {
    dialog.showErrorBox('Loupe cannot open this case', err instanceof Error ? err.message : String(err));
  }
}

function start(): void {
  // The recent cases and the sample case live in userData (named Loupe, not after the npm package);
  // --user-data-dir=DIR moves them (tests, portable use).
  const userData = app.commandLine.getSwitchValue('user-data-dir');
  app.setPath('userData', userData !== '' ? resolve(userData) : join(app.getPath('appData'), 'Loupe'));
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  const loupe = createLoupe({
    dataDir: app.getPath('userData'),
    dialogs: nativeDialogs(() => mainWindow),
    push,
    log,
    engineWorkerUrl: pathToFileURL(join(here, 'engine-worker.js')),
    importWorkerUrl: pathToFileURL(join(here, 'import-worker.js')),
    listenerWorkerUrl: pathToFileURL(join(here, 'listener-worker.js')),
    detectorWorkerUrl: pathToFileURL(join(here, 'detector-worker.js')),
    udpReaderWorkerUrl: pathToFileURL(join(here, 'udp-reader-worker.js')),
    keyStore: openKeyStore(app.getPath('userData')),
  });
  app.on('second-instance', (_e, argv, workingDirectory) => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
    void openFromCommandLine(loupe, argv, workingDirectory);
  });
  app.on('web-contents-created', (_e, contents) => hardenContents(contents));
  app.on('window-all-closed', () => {
    void loupe.close().finally(() => app.quit());
  });
  void app.whenReady().then(() => {
    hardenSession();
    registerIpc(createDispatch(loupe.handlers, { isTrustedSender: (url) => isAppPage(url, appUrl), log }));
    installMenu();
    // Asked before the window loads; the engine answers in order, so the page's case:get-current finds it.
    void openFromCommandLine(loupe, process.argv, process.cwd());
    mainWindow = createWindow();
  });
}

start();
