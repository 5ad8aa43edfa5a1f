// Electron's main process: the only module that imports `electron`. It makes one hardened window
// and routes the IPC contract's channels to the handler table through the validating dispatcher;
// everything else is plain Node (session.ts, handlers.ts, dispatch.ts), shared with tests and e2e.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, session as electronSession, type WebContents } from 'electron';
import { CHANNELS } from '../../shared/ipc/contract.ts';
import { caseArgument, isAllowedResource, isAppPage } from './app-page.ts';
import { createDispatch, validatedPush } from './dispatch.ts';
import { createHandlers } from './handlers.ts';
import { closeSession, createSession, openInSession } from './session.ts';

// The bundle lays out out/main/{index,import-worker}.js, out/preload/index.cjs, out/renderer/.
const here = dirname(fileURLToPath(import.meta.url));
const rendererDir = join(here, '../renderer/');
const devServer = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL'];
const appUrl = devServer ?? pathToFileURL(join(rendererDir, 'index.html')).href;

const log = (message: string): void => {
  process.stderr.write(`loupe: ${message}\n`);
};

let mainWindow: BrowserWindow | null = null;
const session = createSession({
  importWorkerUrl: pathToFileURL(join(here, 'import-worker.js')),
  push: validatedPush((event, payload) => mainWindow?.webContents.send(event, payload), log),
});
const dispatch = createDispatch(createHandlers(session), { isTrustedSender: (url) => isAppPage(url, appUrl), log });

function registerIpc(): void {
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

function openFromCommandLine(argv: readonly string[], cwd: string): void {
  const path = caseArgument(argv, cwd);
  if (path === undefined) return;
  try {
    session.push('case:summary-changed', openInSession(session, path));
  } catch (err) {
    dialog.showErrorBox('Loupe cannot open this case', err instanceof Error ? err.message : String(err));
  }
}

function start(): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('second-instance', (_e, argv, workingDirectory) => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
    openFromCommandLine(argv, workingDirectory);
  });
  app.on('web-contents-created', (_e, contents) => hardenContents(contents));
  app.on('window-all-closed', () => {
    closeSession(session);
    app.quit();
  });
  void app.whenReady().then(() => {
    hardenSession();
    registerIpc();
    // Opened before the window loads, so the page finds it with case:get-current.
    openFromCommandLine(process.argv, process.cwd());
    mainWindow = createWindow();
  });
}

start();
