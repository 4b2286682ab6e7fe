// The desktop console's main process: one instance at a time; on start it builds the engine (the same
// buildApp() as the headless server) on PGlite in the app's user-data folder, listens on 127.0.0.1 on
// a free port (answering only to its own host names), signs in as a local admin, and opens the console
// in a locked-down window whose native IPC only the console's own pages may call. On quit the
// engine closes first (jobs finish, the database is flushed), then the app exits.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, session, shell } from 'electron';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.js';
import { mintLocalToken } from '../server/auth/tokens.js';
import { loadConfig } from '../server/config/config.js';
import { createNativeHandlers, registerNativeHandlers } from './native-handlers.js';
import { denyPermissions, lockNavigation, secureWebPreferences } from './window-security.js';

/** A population to explore on first start, like `npm start`; SDE_DEMO_MEMBERS overrides it. */
const DESKTOP_DEMO_MEMBERS = '3000';
/** The names the console window uses for the loopback server (bare: on the port it listens on). */
const DESKTOP_ALLOWED_HOSTS = '127.0.0.1,localhost';
/** The console's sign-in lasts a working day; restarting the app signs in again. */
const DESKTOP_TOKEN_LIFETIME = '12h';

// out/main/index.js → out/preload/index.cjs (electron-vite writes the CommonJS preload a sandbox needs as .cjs).
const PRELOAD_PATH = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));

let server: FastifyInstance | null = null;
let mainWindow: BrowserWindow | null = null;
let serverClosed = false;
let closingServer = false;

async function start(): Promise<void> {
  const userDataDir = app.getPath('userData');
  const config = loadConfig({
    SDE_DEMO_MEMBERS: DESKTOP_DEMO_MEMBERS,
    ...process.env,
    SDE_DATA_DIR: userDataDir,
    // Always the embedded database, and always locally signed tokens: the app signs itself in.
    DATABASE_URL: undefined,
    SDE_JWKS_URL: undefined,
    // Only the window's own names for the loopback server, on its port: a page elsewhere that rebinds
    // its domain to 127.0.0.1 sends its own Host and is refused (421) — DNS-rebinding defence.
    SDE_ALLOWED_HOSTS: DESKTOP_ALLOWED_HOSTS,
  });
  server = await buildApp(config);
  const address = await server.listen({ host: '127.0.0.1', port: 0 });
  const origin = new URL(address).origin;
  const token = await mintLocalToken(config.auth, {
    subject: 'desktop-admin',
    role: 'admin',
    expiresIn: DESKTOP_TOKEN_LIFETIME,
  });

  registerNativeHandlers(
    ipcMain,
    createNativeHandlers({
      userDataDir,
      openPath: (folder) => shell.openPath(folder),
      showSaveDialog: (options) =>
        mainWindow ? dialog.showSaveDialog(mainWindow, options) : dialog.showSaveDialog(options),
      writeFile: (filePath, contents) => writeFile(filePath, contents, 'utf8'),
    }),
    origin,
  );
  denyPermissions(session.defaultSession);

  mainWindow = new BrowserWindow({
    width: 1280,
    height: 840,
    title: 'SDE Console',
    webPreferences: secureWebPreferences(PRELOAD_PATH),
  });
  lockNavigation(mainWindow.webContents, origin, (url) => shell.openExternal(url));
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
  // The token travels in the fragment, which the browser never sends to the server (nor its logs).
  await mainWindow.loadURL(`${origin}/console/#token=${encodeURIComponent(token)}`);
}

function focusMainWindow(): void {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
}

if (!app.requestSingleInstanceLock()) {
  // Another instance owns the data folder (PGlite allows one process): it shows its window instead.
  app.quit();
} else {
  app.on('second-instance', focusMainWindow);
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (event) => {
    if (!server || serverClosed) return;
    // Quit waits for the engine: running jobs finish and the database closes cleanly.
    event.preventDefault();
    if (closingServer) return;
    closingServer = true;
    server
      .close()
      .catch((error: unknown) => server?.log.error({ err: error }, 'closing the engine failed'))
      .finally(() => {
        serverClosed = true;
        app.quit();
      });
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      dialog.showErrorBox('SDE Console could not start', error instanceof Error ? error.message : String(error));
      app.exit(1);
    });
}
