import type { FontSize, Language, Preferences } from '@zhixin/protocol';
import { create } from 'zustand';

/** How much each font step scales every text (R-U3). */
export const FONT_SCALE: Record<FontSize, number> = { small: 0.875, standard: 1, large: 1.15, xlarge: 1.3 };

const KEY = 'zhixin:preferences';

export const DEFAULT_PREFERENCES: Preferences = {
  fontSize: 'standard',
  language: 'zh-CN',
  notifications: { enabled: true, sound: true, showPreview: true },
};

function load(): Preferences {
  const raw = window.localStorage.getItem(KEY);
  if (!raw) return DEFAULT_PREFERENCES;
  try {
    return { ...DEFAULT_PREFERENCES, ...(JSON.parse(raw) as Partial<Preferences>) };
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

export type { FontSize, Language };
