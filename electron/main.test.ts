// The main process against a hand-written fake of the Electron parts it uses (the Electron binary
// cannot run here) and a fake engine: the single-instance lock, the window's security settings and
// URL, navigation and permissions, the native IPC handlers, and the engine closing before the app quits.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NATIVE_CHANNELS } from './native-api.js';

type Listener = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => {
  class Emitter {
    listeners = new Map<string, Listener[]>();
    on(name: string, listener: Listener) {
      this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
      return this;
    }
    emit(name: string, ...args: unknown[]) {
      for (const listener of this.listeners.get(name) ?? []) listener(...args);
    }
    has(name: string) {
      return (this.listeners.get(name) ?? []).length > 0;
    }
  }
  const state = {
    Emitter,
    lock: true,
    userData: '',
    /** What happened, in order: 'server closed', 'quit'. */
    events: [] as string[],
    windows: [] as Array<{ options: Record<string, unknown>; window: Record<string, unknown> & Emitter }>,
    ipcHandlers: new Map<string, Listener>(),
    permissionRequest: undefined as undefined | Listener,
    permissionCheck: undefined as undefined | Listener,
    app: new Emitter(),
    // The spies tests assert on, kept here so assertions need no unbound methods.
    spies: {
      quit: vi.fn(),
      whenReady: vi.fn(),
      openExternal: vi.fn(async (_url: string) => undefined),
      openPath: vi.fn(async (_folder: string) => ''),
    },
    ready: Promise.resolve(),
  };
  return state;
});

vi.mock('electron', () => {
  const app = fake.app;
  Object.assign(app, {
    requestSingleInstanceLock: vi.fn(() => fake.lock),
    getPath: vi.fn((name: string) => (name === 'userData' ? fake.userData : `/unused/${name}`)),
    whenReady: fake.spies.whenReady.mockImplementation(() => fake.ready),
    quit: fake.spies.quit.mockImplementation(() => {
      let prevented = false;
      app.emit('before-quit', { preventDefault: () => (prevented = true) });
      if (!prevented) fake.events.push('quit');
    }),
    exit: vi.fn(),
  });
  class BrowserWindow extends fake.Emitter {
    webContents = Object.assign(new fake.Emitter(), {
      openHandler: undefined as undefined | Listener,
      setWindowOpenHandler(handler: Listener) {
        this.openHandler = handler;
      },
    });
    loadURL = vi.fn(async () => undefined);
    isMinimized = vi.fn(() => true);
    restore = vi.fn();
    focus = vi.fn();
    constructor(options: Record<string, unknown>) {
      super();
      fake.windows.push({ options, window: this as never });
    }
  }
  return {
    app,
    BrowserWindow,
    ipcMain: { handle: vi.fn((channel: string, listener: Listener) => fake.ipcHandlers.set(channel, listener)) },
    shell: { openExternal: fake.spies.openExternal, openPath: fake.spies.openPath },
    dialog: {
      showSaveDialog: vi.fn(async () => ({ canceled: false, filePath: path.join(fake.userData, 'export.csv') })),
      showErrorBox: vi.fn(),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: Listener) => (fake.permissionRequest = handler),
        setPermissionCheckHandler: (handler: Listener) => (fake.permissionCheck = handler),
      },
    },
  };
});

const engine = vi.hoisted(() => ({
  buildApp: vi.fn(),
  listen: vi.fn(async () => 'http://127.0.0.1:45678'),
  close: vi.fn(async () => {
    fake.events.push('server closed');
  }),
}));

vi.mock('../server/app.js', () => ({
  buildApp: engine.buildApp.mockImplementation(async () => ({
    listen: engine.listen,
    close: engine.close,
    log: { error: vi.fn() },
  })),
}));

async function startMain() {
  vi.resetModules();
  await import('./main.js');
  // whenReady → start: let its awaits (config, build, listen, token, loadURL) run.
  await vi.waitFor(() => {
    if (fake.lock && fake.windows.length === 0) throw new Error('no window yet');
  });
  const electron = await import('electron');
  return electron;
}

describe('the desktop main process', () => {
  beforeEach(() => {
    fake.lock = true;
    fake.userData = mkdtempSync(path.join(tmpdir(), 'sde-desktop-'));
    fake.events = [];
    fake.windows = [];
    fake.ipcHandlers = new Map();
    fake.app.listeners = new Map();
    fake.permissionRequest = undefined;
    fake.permissionCheck = undefined;
    engine.buildApp.mockClear();
    engine.listen.mockClear();
    engine.close.mockClear();
  });
  afterEach(() => {
    rmSync(fake.userData, { recursive: true, force: true });
    rmSync(`${fake.userData}-keys`, { recursive: true, force: true });
    vi.clearAllMocks();
  });

  it('quits at once when another instance holds the lock, building nothing', async () => {
    fake.lock = false;
    await startMain();
    expect(fake.spies.quit).toHaveBeenCalledOnce();
    expect(fake.spies.whenReady).not.toHaveBeenCalled();
    expect(engine.buildApp).not.toHaveBeenCalled();
    expect(fake.windows).toEqual([]);
  });

  it('builds the engine on PGlite in the user-data folder and listens on 127.0.0.1, any port', async () => {
    await startMain();
    expect(engine.buildApp).toHaveBeenCalledOnce();
    const config = engine.buildApp.mock.calls[0]![0] as { dataDir: string; databaseUrl?: string; demoMembers: number };
    expect(config.dataDir).toBe(path.resolve(fake.userData));
    expect(config.databaseUrl).toBeUndefined();
    expect(config.demoMembers).toBe(3000);
    expect(engine.listen).toHaveBeenCalledWith({ host: '127.0.0.1', port: 0 });
  });

  it('why: the desktop server answers only to 127.0.0.1 / localhost on its port (DNS rebinding), whatever the environment says', async () => {
    const previous = process.env.SDE_ALLOWED_HOSTS;
    process.env.SDE_ALLOWED_HOSTS = 'evil.example';
    try {
      await startMain();
    } finally {
      if (previous === undefined) delete process.env.SDE_ALLOWED_HOSTS;
      else process.env.SDE_ALLOWED_HOSTS = previous;
    }
    const config = engine.buildApp.mock.calls[0]![0] as { http: { allowedHosts?: string[] } };
    expect(config.http.allowedHosts).toEqual(['127.0.0.1', 'localhost']);
  });

  it('opens one window with the secure preferences on the console, the admin token in the fragment', async () => {
    await startMain();
    expect(fake.windows).toHaveLength(1);
    const { options, window } = fake.windows[0]!;
    expect(options.webPreferences).toEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      preload: expect.stringMatching(/[/\\]preload[/\\]index\.cjs$/),
    });
    const loadURL = window.loadURL as ReturnType<typeof vi.fn>;
    expect(loadURL).toHaveBeenCalledOnce();
    const url = new URL(loadURL.mock.calls[0]![0] as string);
    expect(`${url.origin}${url.pathname}${url.search}`).toBe('http://127.0.0.1:45678/console/');
    const token = decodeURIComponent(/^#token=(.+)$/.exec(url.hash)![1]!);
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ sub: 'desktop-admin', role: 'admin' });
    expect(claims.exp! - claims.iat!).toBe(12 * 3600);
    // Signed with the secret the engine keeps in its key folder beside (never inside) the user-data folder.
    expect(readFileSync(path.join(`${fake.userData}-keys`, 'jwt-secret'), 'utf8').trim().length).toBeGreaterThan(32);
  });

  it('keeps navigation on the console and sends other links to the system browser', async () => {
    await startMain();
    const contents = fake.windows[0]!.window.webContents as InstanceType<typeof fake.Emitter> & {
      openHandler: Listener;
    };
    const navigate = (url: string) => {
      const event = { preventDefault: vi.fn() };
      contents.emit('will-navigate', event, url);
      return event.preventDefault.mock.calls.length > 0;
    };
    expect(navigate('http://127.0.0.1:45678/console/models')).toBe(false);
    expect(navigate('https://github.com/sde')).toBe(true);
    expect(fake.spies.openExternal).toHaveBeenCalledWith('https://github.com/sde');
    expect(contents.openHandler({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
    expect(contents.openHandler({ url: 'http://127.0.0.1:45678/console/' })).toEqual({ action: 'deny' });
    expect(fake.spies.openExternal).toHaveBeenCalledTimes(2);
  });

  it('denies permission requests', async () => {
    await startMain();
    const callback = vi.fn();
    fake.permissionRequest!({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect(fake.permissionCheck!()).toBe(false);
  });

  it('handles every native API channel, for the console only', async () => {
    await startMain();
    expect([...fake.ipcHandlers.keys()].sort()).toEqual(Object.values(NATIVE_CHANNELS).sort());
    const fromConsole = { senderFrame: { url: 'http://127.0.0.1:45678/console/' } };
    expect(await fake.ipcHandlers.get(NATIVE_CHANNELS.openDataFolder)!(fromConsole)).toBe(true);
    expect(fake.spies.openPath).toHaveBeenCalledWith(fake.userData);
    const saved = await fake.ipcHandlers.get(NATIVE_CHANNELS.saveExport)!(fromConsole, {
      suggestedName: 'export.csv',
      contents: 'id,note\n1,hello\n',
    });
    expect(saved).toBe(path.join(fake.userData, 'export.csv'));
    expect(readFileSync(saved as string, 'utf8')).toBe('id,note\n1,hello\n');
    await expect(
      fake.ipcHandlers.get(NATIVE_CHANNELS.openDataFolder)!({ senderFrame: { url: 'https://evil.example/' } }),
    ).rejects.toThrow(/not the console/);
  });

  it('focuses (and restores) the first window when a second instance starts', async () => {
    await startMain();
    const window = fake.windows[0]!.window as unknown as {
      restore: ReturnType<typeof vi.fn>;
      focus: ReturnType<typeof vi.fn>;
    };
    fake.app.emit('second-instance');
    expect(window.restore).toHaveBeenCalledOnce();
    expect(window.focus).toHaveBeenCalledOnce();
  });

  it('closes the engine before quitting when the last window closes', async () => {
    await startMain();
    fake.app.emit('window-all-closed');
    await vi.waitFor(() => expect(fake.events).toContain('quit'));
    expect(fake.events).toEqual(['server closed', 'quit']);
    expect(engine.close).toHaveBeenCalledOnce();
    expect(fake.spies.quit).toHaveBeenCalledTimes(2);
  });
});
