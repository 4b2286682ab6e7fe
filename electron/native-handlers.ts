// The main-process side of the native API: plain functions over their dependencies (so they are
// tested without Electron), and their registration on ipcMain, which accepts calls only from the
// console's own pages (its exact origin and under /console/) and checks every argument (the renderer
// is not trusted).
import path from 'node:path';
import { MAX_EXPORT_BYTES, NATIVE_CHANNELS, type NativeApi, type SaveExportRequest } from './native-api.js';

export interface NativeHandlerDependencies {
  userDataDir: string;
  /** shell.openPath: resolves to an error message, '' on success. */
  openPath(folder: string): Promise<string>;
  /** dialog.showSaveDialog for the console window. */
  showSaveDialog(options: { defaultPath: string }): Promise<{ canceled: boolean; filePath?: string }>;
  writeFile(filePath: string, contents: string): Promise<void>;
}

export function createNativeHandlers(deps: NativeHandlerDependencies): NativeApi {
  return {
    async openDataFolder() {
      return (await deps.openPath(deps.userDataDir)) === '';
    },
    async saveExport(request: SaveExportRequest) {
      const { suggestedName, contents } = checkSaveExportRequest(request);
      const choice = await deps.showSaveDialog({ defaultPath: suggestedName });
      if (choice.canceled || !choice.filePath) return null;
      await deps.writeFile(choice.filePath, contents);
      return choice.filePath;
    },
  };
}

/** The request as the renderer sent it, checked: a bare file name and text within the size limit. */
export function checkSaveExportRequest(request: unknown): SaveExportRequest {
  if (typeof request !== 'object' || request === null)
    throw new TypeError('saveExport: expects { suggestedName, contents }');
  const { suggestedName, contents } = request as Record<string, unknown>;
  if (typeof suggestedName !== 'string' || suggestedName.length === 0 || suggestedName.length > 200) {
    throw new TypeError('saveExport: suggestedName must be a file name of 1-200 characters');
  }
  if (typeof contents !== 'string' || Buffer.byteLength(contents) > MAX_EXPORT_BYTES) {
    throw new TypeError(`saveExport: contents must be text of at most ${MAX_EXPORT_BYTES} bytes`);
  }
  // Only the name: the dialog, not the renderer, decides the folder.
  return { suggestedName: path.basename(suggestedName), contents };
}

/** What ipcMain.handle gives a handler that this code reads. */
export interface IpcCall {
  senderFrame?: { url: string } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcCall, ...args: unknown[]) => Promise<unknown>): void;
}

/** Where the console is served on the embedded server; its other pages (Swagger UI, the API) are not it. */
export const CONSOLE_PATH = '/console/';

/**
 * Whether a frame's URL is one of the console's pages: exactly the embedded server's origin (scheme,
 * host and port; `localhost` is another origin), no credentials, and a path under /console/. The
 * URL parser has already resolved `..` (also percent-encoded), so the path prefix cannot be escaped.
 */
export function isConsolePage(url: string, consoleOrigin: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.origin === consoleOrigin &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.pathname.startsWith(CONSOLE_PATH)
  );
}

/**
 * One ipcMain handler per NativeApi method; calls from anything but the console's pages (a frame that
 * navigated to another origin, or to the same server's Swagger UI) are refused.
 */
export function registerNativeHandlers(ipcMain: IpcMainLike, handlers: NativeApi, consoleOrigin: string): void {
  const fromConsole = (event: IpcCall) => isConsolePage(event.senderFrame?.url ?? '', consoleOrigin);
  ipcMain.handle(NATIVE_CHANNELS.openDataFolder, async (event) => {
    if (!fromConsole(event)) throw new Error('openDataFolder: refused, the caller is not the console');
    return handlers.openDataFolder();
  });
  ipcMain.handle(NATIVE_CHANNELS.saveExport, async (event, request) => {
    if (!fromConsole(event)) throw new Error('saveExport: refused, the caller is not the console');
    return handlers.saveExport(checkSaveExportRequest(request));
  });
}
