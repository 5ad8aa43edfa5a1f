// Electron's native dialogs, attached to the window. Main process only (it imports `electron`).
import { join } from 'node:path';
import { app, dialog, type BrowserWindow, type OpenDialogOptions } from 'electron';
import { withCaseExtension, type Dialogs } from './dialogs.ts';

const CASE_FILTERS = [{ name: 'Loupe cases', extensions: ['loupe'] }, { name: 'All files', extensions: ['*'] }];

export function nativeDialogs(window: () => BrowserWindow | null): Dialogs {
  const open = async (options: OpenDialogOptions): Promise<string[]> => {
    const win = window();
    const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return r.canceled ? [] : r.filePaths;
  };
  return {
    async pickCase(purpose) {
      if (purpose === 'open') {
        return (await open({ title: 'Open case', properties: ['openFile'], filters: CASE_FILTERS }))[0] ?? null;
      }
      const options = {
        title: 'New case',
        buttonLabel: 'Create',
        defaultPath: join(app.getPath('documents'), 'case.loupe'),
        filters: CASE_FILTERS,
        properties: ['createDirectory', 'showOverwriteConfirmation'] as ('createDirectory' | 'showOverwriteConfirmation')[],
      };
      const win = window();
      const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      return r.canceled || !r.filePath ? null : withCaseExtension(r.filePath);
    },
    pickEvidence: (kind) => open(kind === 'folder'
      ? { title: 'Import a folder of evidence', properties: ['openDirectory'] }
      : { title: 'Import evidence files', properties: ['openFile', 'multiSelections'] }),
  };
}
