import type { Language, Preferences, PreferencesPatch } from '@zhixin/protocol';
import { create } from 'zustand';
import { client } from './client.ts';
import {
  DEFAULT_PREFERENCES,
  mergePreferences,
  revertPatch,
  sanitizePreferences,
} from './preferences-logic.ts';

export {
  DEFAULT_PREFERENCES,
  FONT_SCALE,
  FONT_SIZES,
  LANGUAGES,
  mergePreferences,
  revertPatch,
  sanitizePreferences,
} from './preferences-logic.ts';

const KEY = 'zhixin:preferences';

function load(): Preferences {
  const raw = window.localStorage.getItem(KEY);
  if (!raw) return DEFAULT_PREFERENCES;
  try {
    return sanitizePreferences(JSON.parse(raw));
  } catch {
    return DEFAULT_PREFERENCES;
  }
}

/**
 * The user's preferences as this device knows them: read from localStorage at once (so the first
 * paint has the right font size and language), then kept in step with the account.
 */
export const usePreferences = create<Preferences>(() => load());

/** Apply preferences here (and remember them on this device). */
export function applyPreferences(next: Preferences): void {
  window.localStorage.setItem(KEY, JSON.stringify(next));
  usePreferences.setState(next, true);
}

/**
 * Change preferences: applied here at once (the font step re-lays every screen without waiting),
 * then saved on the account so my other devices follow. When the server refuses, the change is
 * undone and the error is thrown for the caller to show.
 */
export async function updatePreferences(patch: PreferencesPatch): Promise<void> {
  const before = usePreferences.getState();
  const after = mergePreferences(before, patch);
  applyPreferences(after);
  try {
    applyPreferences(sanitizePreferences(await client.users.updatePreferences(patch), after));
  } catch (err) {
    applyPreferences(
      mergePreferences(usePreferences.getState(), revertPatch(before, after, usePreferences.getState())),
    );
    throw err;
  }
}

const CHOSEN_SIGNED_OUT = 'zhixin:language-chosen-signed-out';

/**
 * The language picked on the sign-in screen: applied at once and, at the next sign-in, saved on the
 * account instead of being overwritten by it (someone who registers in English stays in English).
 */
export function chooseLanguageSignedOut(language: Language): void {
  applyPreferences({ ...usePreferences.getState(), language });
  window.localStorage.setItem(CHOSEN_SIGNED_OUT, language);
}

function takeSignedOutChoice(): Language | null {
  const chosen = window.localStorage.getItem(CHOSEN_SIGNED_OUT);
  window.localStorage.removeItem(CHOSEN_SIGNED_OUT);
  return chosen === 'en' || chosen === 'zh-CN' ? chosen : null;
}

let stopSync: (() => void) | null = null;

/**
 * Follow the account's preferences while signed in: fetch them now (the account wins over what
 * this device remembered) and take every change made on my other devices. Calling it again
 * replaces the previous subscription, so it is safe to call on each sign-in.
 */
export function startPreferencesSync(): () => void {
  stopSync?.();
  const offUpdated = client.on('preferences.updated', (prefs) =>
    applyPreferences(sanitizePreferences(prefs)),
  );
  // A reconnect may follow changes made elsewhere while this device was offline.
  const offSynced = client.on('sync.completed', () => void fetchNow());
  let stopped = false;
  let chosen = takeSignedOutChoice();
  async function fetchNow(): Promise<void> {
    const push = chosen;
    chosen = null;
    try {
      const prefs = await (push
        ? client.users.updatePreferences({ language: push })
        : client.users.preferences());
      if (!stopped) applyPreferences(sanitizePreferences(prefs));
    } catch {
      // Offline: what this device remembers stays in force until the next reconnect (which retries
      // saving a language chosen before sign-in).
      chosen ??= push;
    }
  }
  void fetchNow();
  const stop = () => {
    stopped = true;
    offUpdated();
    offSynced();
    if (stopSync === stop) stopSync = null;
  };
  stopSync = stop;
  return stop;
}

export type { FontSize, Language } from '@zhixin/protocol';
