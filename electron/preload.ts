// The preload script (sandboxed, context-isolated): exposes the typed native API as `window.sde`.
// Nothing else of Electron or Node reaches the console.
import { contextBridge, ipcRenderer } from 'electron';
import { NATIVE_CHANNELS, type NativeApi, type SaveExportRequest } from './native-api.js';

const api = {
  openDataFolder: () => ipcRenderer.invoke(NATIVE_CHANNELS.openDataFolder) as Promise<boolean>,
  saveExport: (request: SaveExportRequest) =>
    ipcRenderer.invoke(NATIVE_CHANNELS.saveExport, {
      suggestedName: request.suggestedName,
      contents: request.contents,
    }) as Promise<string | null>,
} satisfies NativeApi;

contextBridge.exposeInMainWorld('sde', api);
