// The console window's security wiring against hand-written fakes of WebContents and Session.
import { describe, expect, it, vi } from 'vitest';
import {
  denyPermissions,
  isSameOrigin,
  lockNavigation,
  secureWebPreferences,
  type WebContentsLike,
} from './window-security.js';

const ORIGIN = 'http://127.0.0.1:45678';

function fakeContents() {
  const listeners = new Map<string, (event: { preventDefault(): void }, url?: string) => void>();
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  const contents = {
    on: (name: string, listener: (event: { preventDefault(): void }, url?: string) => void) =>
      listeners.set(name, listener),
    setWindowOpenHandler: (handler: (details: { url: string }) => { action: 'deny' }) => {
      openHandler = handler;
    },
  } as unknown as WebContentsLike;
  const fire = (name: string, url?: string) => {
    const event = { preventDefault: vi.fn() };
    listeners.get(name)!(event, url);
    return event.preventDefault.mock.calls.length > 0;
  };
  return { contents, fire, open: (url: string) => openHandler!({ url }) };
}

describe('secureWebPreferences', () => {
  it('isolates and sandboxes the renderer, without Node', () => {
    expect(secureWebPreferences('/app/out/preload/index.js')).toEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      preload: '/app/out/preload/index.js',
    });
  });
});

describe('lockNavigation', () => {
  it('lets the console navigate within its origin', () => {
    const { contents, fire } = fakeContents();
    const openExternal = vi.fn(async (_url: string) => undefined);
    lockNavigation(contents, ORIGIN, openExternal);
    expect(fire('will-navigate', `${ORIGIN}/console/models`)).toBe(false);
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('cancels navigation to another origin and opens web links in the system browser', () => {
    const { contents, fire } = fakeContents();
    const openExternal = vi.fn(async (_url: string) => undefined);
    lockNavigation(contents, ORIGIN, openExternal);
    expect(fire('will-navigate', 'https://example.org/docs')).toBe(true);
    expect(fire('will-navigate', 'http://127.0.0.1:9999/console/')).toBe(true);
    expect(fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(openExternal.mock.calls.map(([url]) => url)).toEqual([
      'https://example.org/docs',
      'http://127.0.0.1:9999/console/',
      'https://evil.example/',
    ]);
  });

  it('denies every window.open, handing web links to the system browser', () => {
    const { contents, open } = fakeContents();
    const openExternal = vi.fn(async (_url: string) => undefined);
    lockNavigation(contents, ORIGIN, openExternal);
    expect(open('https://example.org/')).toEqual({ action: 'deny' });
    expect(open(`${ORIGIN}/console/`)).toEqual({ action: 'deny' });
    expect(open('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([['https://example.org/']]);
  });

  it('never attaches a webview', () => {
    const { contents, fire } = fakeContents();
    lockNavigation(
      contents,
      ORIGIN,
      vi.fn(async () => undefined),
    );
    expect(fire('will-attach-webview')).toBe(true);
  });
});

describe('denyPermissions', () => {
  it('refuses every permission request and check', () => {
    let requestHandler: ((wc: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
    let checkHandler: (() => boolean) | undefined;
    denyPermissions({
      setPermissionRequestHandler: (handler) => (requestHandler = handler),
      setPermissionCheckHandler: (handler) => (checkHandler = handler),
    });
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      const callback = vi.fn();
      requestHandler!({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
    expect(checkHandler!()).toBe(false);
  });
});

describe('isSameOrigin', () => {
  it('compares scheme, host and port, and rejects what is not a URL', () => {
    expect(isSameOrigin(`${ORIGIN}/a?b#c`, ORIGIN)).toBe(true);
    expect(isSameOrigin('http://localhost:45678/', ORIGIN)).toBe(false);
    expect(isSameOrigin('https://127.0.0.1:45678/', ORIGIN)).toBe(false);
    expect(isSameOrigin('not a url', ORIGIN)).toBe(false);
  });
});
