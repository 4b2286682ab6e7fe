// The preload exposes exactly the NativeApi as `window.sde`, each method invoking its own channel.
import { describe, expect, it, vi } from 'vitest';
import { NATIVE_CHANNELS } from './native-api.js';

const bridge = vi.hoisted(() => ({
  exposed: new Map<string, Record<string, (...args: unknown[]) => unknown>>(),
  invoke: vi.fn(async (channel: string, ..._args: unknown[]) => `answer from ${channel}`),
}));

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: vi.fn((name: string, api: Record<string, (...args: unknown[]) => unknown>) =>
      bridge.exposed.set(name, api),
    ),
  },
  ipcRenderer: { invoke: bridge.invoke },
}));

describe('the preload', () => {
  it('exposes one object, window.sde, with a method per native channel', async () => {
    await import('./preload.js');
    expect([...bridge.exposed.keys()]).toEqual(['sde']);
    const api = bridge.exposed.get('sde')!;
    expect(Object.keys(api).sort()).toEqual(Object.keys(NATIVE_CHANNELS).sort());
  });

  it('invokes each method’s channel, passing only the declared fields', async () => {
    await import('./preload.js');
    const api = bridge.exposed.get('sde')!;
    expect(await api.openDataFolder!()).toBe(`answer from ${NATIVE_CHANNELS.openDataFolder}`);
    await api.saveExport!({ suggestedName: 'a.csv', contents: 'x', extra: 'dropped' });
    expect(bridge.invoke).toHaveBeenLastCalledWith(NATIVE_CHANNELS.saveExport, {
      suggestedName: 'a.csv',
      contents: 'x',
    });
  });
});
