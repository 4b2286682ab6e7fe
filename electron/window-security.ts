// The console window's security, as Electron's security checklist asks: an isolated, sandboxed
// renderer without Node, navigation locked to the embedded server's origin, links to anywhere else
// opened in the system browser, no new windows, no webviews, and every permission request denied.

export interface SecureWebPreferences {
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  webSecurity: true;
  preload: string;
}

export function secureWebPreferences(preload: string): SecureWebPreferences {
  return { contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, preload };
}

export function isSameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

function isWebLink(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

interface PreventableEvent {
  preventDefault(): void;
}

/** The parts of WebContents this file uses. */
export interface WebContentsLike {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/**
 * Keeps the window on the console: navigation elsewhere is cancelled (http(s) links open in the system
 * browser instead), window.open never opens a window, webviews are never attached.
 */
export function lockNavigation(
  contents: WebContentsLike,
  consoleOrigin: string,
  openExternal: (url: string) => Promise<void>,
): void {
  const leave = (event: PreventableEvent, url: string) => {
    if (isSameOrigin(url, consoleOrigin)) return;
    event.preventDefault();
    if (isWebLink(url)) void openExternal(url);
  };
  contents.on('will-navigate', leave);
  contents.on('will-redirect', leave);
  contents.on('will-attach-webview', (event: PreventableEvent) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isWebLink(url) && !isSameOrigin(url, consoleOrigin)) void openExternal(url);
    return { action: 'deny' };
  });
}

/** The parts of Session this file uses. */
export interface SessionLike {
  setPermissionRequestHandler(
    handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: () => boolean): void;
}

/** The console needs no camera, microphone, notifications, geolocation…: every request is refused. */
export function denyPermissions(session: SessionLike): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
