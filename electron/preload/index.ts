// Runs sandboxed, before the page. It only hands the page `window.loupe`: a frozen object of named
// functions built from the IPC contract (shared/ipc/api.ts). ipcRenderer itself never reaches it.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { API_SHAPE, buildApi } from '../../shared/ipc/api.ts';

contextBridge.exposeInMainWorld('loupe', buildApi(API_SHAPE, {
  invoke: (channel, request) => ipcRenderer.invoke(channel, request),
  subscribe: (event, listener) => {
    const forward = (_e: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(event, forward);
    return () => {
      ipcRenderer.removeListener(event, forward);
    };
  },
  // A sandboxed page cannot see where a dropped file lives; Electron can (it throws on a non-File).
  pathOf: (file) => webUtils.getPathForFile(file as File),
}));
