// The native API's main-process handlers with fake dependencies, and their IPC registration.
import { describe, expect, it, vi } from 'vitest';
import { NATIVE_CHANNELS } from './native-api.js';
import {
  createNativeHandlers,
  registerNativeHandlers,
  type IpcCall,
  type NativeHandlerDependencies,
} from './native-handlers.js';

const ORIGIN = 'http://127.0.0.1:45678';

function dependencies(overrides: Partial<NativeHandlerDependencies> = {}) {
  return {
    userDataDir: '/home/op/.config/SDE Console',
    openPath: vi.fn(async () => ''),
    showSaveDialog: vi.fn(async () => ({ canceled: false, filePath: '/home/op/flags.csv' })),
    writeFile: vi.fn(async () => undefined),
    ...overrides,
  };
}

describe('createNativeHandlers', () => {
  it('opens the user-data folder', async () => {
    const deps = dependencies();
    expect(await createNativeHandlers(deps).openDataFolder()).toBe(true);
    expect(deps.openPath).toHaveBeenCalledWith('/home/op/.config/SDE Console');
    const failing = dependencies({ openPath: vi.fn(async () => 'no file manager') });
    expect(await createNativeHandlers(failing).openDataFolder()).toBe(false);
  });

  it('saves an export where the user chose and returns the path', async () => {
    const deps = dependencies();
    const saved = await createNativeHandlers(deps).saveExport({ suggestedName: 'flags.csv', contents: 'id\n1\n' });
    expect(saved).toBe('/home/op/flags.csv');
    expect(deps.showSaveDialog).toHaveBeenCalledWith({ defaultPath: 'flags.csv' });
    expect(deps.writeFile).toHaveBeenCalledWith('/home/op/flags.csv', 'id\n1\n');
  });

  it('writes nothing and returns null when the user cancels', async () => {
    const deps = dependencies({ showSaveDialog: vi.fn(async () => ({ canceled: true })) });
    expect(await createNativeHandlers(deps).saveExport({ suggestedName: 'a.json', contents: '{}' })).toBeNull();
    expect(deps.writeFile).not.toHaveBeenCalled();
  });

  it('proposes only a file name, never a folder the renderer picked', async () => {
    const deps = dependencies();
    await createNativeHandlers(deps).saveExport({ suggestedName: '../../.bashrc', contents: 'x' });
    expect(deps.showSaveDialog).toHaveBeenCalledWith({ defaultPath: '.bashrc' });
  });

  it('refuses malformed requests before showing a dialog', async () => {
    const deps = dependencies();
    const handlers = createNativeHandlers(deps);
    await expect(handlers.saveExport({ suggestedName: '', contents: 'x' })).rejects.toThrow(/suggestedName/);
    await expect(handlers.saveExport({ suggestedName: 'a', contents: 42 } as never)).rejects.toThrow(/contents/);
    expect(deps.showSaveDialog).not.toHaveBeenCalled();
  });
});

describe('registerNativeHandlers', () => {
  function registered() {
    const channels = new Map<string, (event: IpcCall, ...args: unknown[]) => Promise<unknown>>();
    const deps = dependencies();
    registerNativeHandlers(
      { handle: (channel, listener) => channels.set(channel, listener) },
      createNativeHandlers(deps),
      ORIGIN,
    );
    return { channels, deps };
  }

  it('handles every NativeApi method on its channel', async () => {
    const { channels, deps } = registered();
    expect([...channels.keys()].sort()).toEqual(Object.values(NATIVE_CHANNELS).sort());
    const fromConsole = { senderFrame: { url: `${ORIGIN}/console/overview` } };
    expect(await channels.get(NATIVE_CHANNELS.openDataFolder)!(fromConsole)).toBe(true);
    expect(
      await channels.get(NATIVE_CHANNELS.saveExport)!(fromConsole, { suggestedName: 'x.csv', contents: 'a' }),
    ).toBe('/home/op/flags.csv');
    expect(deps.writeFile).toHaveBeenCalledOnce();
  });

  it('refuses calls from any other origin', async () => {
    const { channels, deps } = registered();
    for (const event of [{ senderFrame: { url: 'https://evil.example/' } }, { senderFrame: null }, {}]) {
      await expect(channels.get(NATIVE_CHANNELS.openDataFolder)!(event)).rejects.toThrow(/not the console/);
    }
    expect(deps.openPath).not.toHaveBeenCalled();
  });

  it("why: IPC is pinned to the console's exact origin and its /console/ path, not a prefix or another page", async () => {
    const { channels, deps } = registered();
    const port = new URL(ORIGIN).port;
    const refused = [
      `${ORIGIN}/docs/`, // Swagger UI on the same server
      `${ORIGIN}/api/v2/health`,
      `${ORIGIN}/`,
      `${ORIGIN}/consolex/`,
      `${ORIGIN}/console`, // not under /console/
      `${ORIGIN}/console/../docs/`,
      `${ORIGIN}/console/%2e%2e/docs/`,
      `http://localhost:${port}/console/`, // same server, other origin
      `https://127.0.0.1:${port}/console/`,
      `http://127.0.0.1:${Number(port) + 1}/console/`,
      `${ORIGIN}.evil.example/console/`,
      `http://user@127.0.0.1:${port}/console/`,
      'file:///console/',
      'not a url',
    ];
    for (const url of refused) {
      await expect(channels.get(NATIVE_CHANNELS.openDataFolder)!({ senderFrame: { url } }), url).rejects.toThrow(
        /not the console/,
      );
      await expect(
        channels.get(NATIVE_CHANNELS.saveExport)!({ senderFrame: { url } }, { suggestedName: 'x.csv', contents: 'a' }),
        url,
      ).rejects.toThrow(/not the console/);
    }
    expect(deps.openPath).not.toHaveBeenCalled();
    expect(deps.showSaveDialog).not.toHaveBeenCalled();
    for (const url of [`${ORIGIN}/console/`, `${ORIGIN}/console/review?status=open#flag-3`]) {
      expect(await channels.get(NATIVE_CHANNELS.openDataFolder)!({ senderFrame: { url } })).toBe(true);
    }
  });
});
