// The one object the preload exposes to the console as `window.sde`: native needs only (the data
// itself goes over HTTP like any client's). Preload and main both use this interface and channel map,
// so a channel name is written once.

export interface SaveExportRequest {
  /** A file name (no folders) the save dialog proposes, e.g. `review-flags-2026-03-10.csv`. */
  suggestedName: string;
  contents: string;
}

export interface NativeApi {
  /** Opens the app's data folder (database, secrets, logs) in the system file manager; false if it failed. */
  openDataFolder(): Promise<boolean>;
  /** Asks where to save and writes the file; the chosen path, or null when the user cancelled. */
  saveExport(request: SaveExportRequest): Promise<string | null>;
}

/** The IPC channel of each NativeApi method. */
export const NATIVE_CHANNELS = {
  openDataFolder: 'sde:open-data-folder',
  saveExport: 'sde:save-export',
} as const satisfies Record<keyof NativeApi, string>;

/** Exports are text (CSV, JSON); the limit keeps a confused renderer from filling the disk. */
export const MAX_EXPORT_BYTES = 50 * 1024 * 1024;
