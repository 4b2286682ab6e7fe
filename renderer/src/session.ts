// Who is signed in: the token and what the server says it stands for (subject and role, from
// GET /api/v2/session — the server knows which claim holds the role). Kept in sessionStorage so a
// reload stays signed in but closing the window signs out. The desktop app passes its token in the
// URL fragment (#token=…), which never reaches a server log; in a plain browser such a fragment came
// from someone's link and is ignored, so no page elsewhere can sign the console in as an account it chose.
import type { Role } from '../../shared/schemas/roles.js';
import { createApiClient, type ApiClient } from './api/api-client.js';

export interface Session {
  token: string;
  subject: string;
  role: Role;
  /** Whether the server can mint preview tokens (locally signed tokens only). */
  canPreview: boolean;
}

const STORAGE_KEY = 'sde.console.token';

export async function signIn(token: string, fetchImpl?: typeof fetch): Promise<{ session: Session; api: ApiClient }> {
  const api = createApiClient({ token, ...(fetchImpl ? { fetchImpl } : {}) });
  const who = await api.get('/api/v2/session');
  sessionStorage.setItem(STORAGE_KEY, token);
  return { session: { token, subject: who.subject, role: who.role, canPreview: who.canMintPreviewTokens }, api };
}

export function signOut(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

/**
 * Whether the console runs inside the desktop app: its preload exposes `window.sde` with the native
 * methods (electron/native-api.ts). A browser tab has no such object.
 */
export function isDesktopApp(target: object = window): boolean {
  const sde = (target as { sde?: unknown }).sde;
  if (typeof sde !== 'object' || sde === null) return false;
  const api = sde as Record<string, unknown>;
  return typeof api.openDataFolder === 'function' && typeof api.saveExport === 'function';
}

/**
 * A token handed over in the URL fragment by the desktop app, else the one kept from this tab's last
 * sign-in. Outside the desktop app a `#token=` fragment is dropped from the address bar unused.
 */
export function initialToken(location: Location = window.location, desktop: boolean = isDesktopApp()): string | null {
  const fromFragment = /(?:^#|&)token=([^&]+)/.exec(location.hash)?.[1];
  if (fromFragment) {
    history.replaceState(null, '', location.pathname + location.search);
    if (desktop) {
      try {
        return decodeURIComponent(fromFragment);
      } catch {
        // A malformed fragment is no token; fall back to this tab's sign-in.
      }
    }
  }
  return sessionStorage.getItem(STORAGE_KEY);
}
