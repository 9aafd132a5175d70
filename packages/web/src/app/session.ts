import type { Me } from '@zhixin/sdk';
import { create } from 'zustand';
import { startDataLayer, stopDataLayer } from '../data/index.ts';
import { startFiles, stopFiles } from '../features/files/files-session.ts';
import { client } from './client.ts';
import { startPreferencesSync } from './preferences.ts';

export type SessionStatus = 'starting' | 'signedOut' | 'signedIn';

interface SessionState {
  status: SessionStatus;
  /** The signed-in user; from the local cache first, then refreshed from the server. */
  me: Me | null;
}

/** Who is signed in. Screens read it; only the functions below change it. */
export const useSession = create<SessionState>(() => ({ status: 'starting', me: null }));

const ME_KEY = 'zhixin:me';

function cachedMe(): Me | null {
  const raw = window.localStorage.getItem(ME_KEY);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as Me;
  } catch {
    return null;
  }
}

/** Keep the signed-in user's profile in the store and in localStorage (for the next fast start). */
export function setMe(me: Me): void {
  window.localStorage.setItem(ME_KEY, JSON.stringify(me));
  useSession.setState({ me });
}

let lostHandlerInstalled = false;

/**
 * At page load: a stored session shows the signed-in UI at once from cache (R-C3), then connects
 * and refreshes the profile. Without one, the sign-in screen.
 */
export async function startSession(): Promise<void> {
  if (!lostHandlerInstalled) {
    lostHandlerInstalled = true;
    client.on('auth.lost', () => void endSession());
  }
  const session = await client.auth.session();
  const me = cachedMe();
  if (!session || !me || me.id !== session.userId) {
    useSession.setState({ status: 'signedOut', me: null });
    return;
  }
  await enter(me);
}

/** After a login or registration: fetch the profile and enter the signed-in UI. */
export async function signedIn(): Promise<void> {
  const me = await client.users.me();
  await enter(me);
}

async function enter(me: Me): Promise<void> {
  setMe(me);
  await startDataLayer(me.id);
  startFiles(me.id);
  useSession.setState({ status: 'signedIn' });
  startPreferencesSync();
  void client
    .connect()
    .then(() => client.users.me())
    .then(setMe)
    .catch(() => {
      // Offline or the server is down: the cached UI stays usable; the SDK keeps reconnecting.
    });
}

/** Log out here (the server revokes this device's session) and clear this device's cache. */
export async function logout(): Promise<void> {
  try {
    await client.auth.logout();
  } finally {
    await endSession({ wipeCache: true });
  }
}

async function endSession(options: { wipeCache?: boolean } = {}): Promise<void> {
  const me = useSession.getState().me;
  window.localStorage.removeItem(ME_KEY);
  await client.close();
  await stopFiles(options.wipeCache && me ? me.id : null);
  await stopDataLayer(options.wipeCache && me ? me.id : null);
  useSession.setState({ status: 'signedOut', me: null });
}
