// @vitest-environment jsdom
// Where the console's first token comes from: the desktop app hands it over in the URL fragment; in a
// plain browser a `#token=` fragment is someone else's link and is ignored (issue 11), so a page
// elsewhere cannot sign the console in with a token of its choosing.
import { afterEach, describe, expect, it } from 'vitest';
import { initialToken } from './session.js';

const STORAGE_KEY = 'sde.console.token';

function openConsoleAt(url: string): void {
  history.replaceState(null, '', url);
}

describe('initialToken', () => {
  afterEach(() => {
    sessionStorage.clear();
    delete (window as { sde?: unknown }).sde;
    openConsoleAt('/');
  });

  it('why: a #token= fragment is ignored outside the desktop app (no preload object)', () => {
    openConsoleAt('/console/#token=attacker-token');
    expect(initialToken()).toBeNull();
    sessionStorage.setItem(STORAGE_KEY, 'my-own-token');
    openConsoleAt('/console/overview#token=attacker-token');
    expect(initialToken()).toBe('my-own-token');
    // Not kept in the address bar either, so it is not bookmarked or shared by accident.
    expect(window.location.hash).toBe('');
  });

  it('detects the desktop app by its preload object’s methods, not by any value named sde', () => {
    (window as { sde?: unknown }).sde = 'desktop';
    openConsoleAt('/console/#token=attacker-token');
    expect(initialToken()).toBeNull();
  });

  it('takes the token from the fragment inside the desktop app, and drops it from the URL', () => {
    (window as { sde?: unknown }).sde = { openDataFolder: async () => true, saveExport: async () => null };
    sessionStorage.setItem(STORAGE_KEY, 'older-token');
    openConsoleAt('/console/?tab=1#token=desktop%2Btoken');
    expect(initialToken()).toBe('desktop+token');
    expect(`${window.location.pathname}${window.location.search}${window.location.hash}`).toBe('/console/?tab=1');
  });

  it('ignores a malformed fragment instead of failing to start', () => {
    (window as { sde?: unknown }).sde = { openDataFolder: async () => true, saveExport: async () => null };
    openConsoleAt('/console/#token=%E0%A4%A');
    expect(initialToken()).toBeNull();
  });

  it('falls back to this tab’s last sign-in when there is no fragment', () => {
    sessionStorage.setItem(STORAGE_KEY, 'kept');
    openConsoleAt('/console/');
    expect(initialToken()).toBe('kept');
  });
});
