import type { FontSize, Language, Preferences, PreferencesPatch } from '@zhixin/protocol';

/*
 * The pure part of preferences (no window, no client), so it can be tested in Node: defaults, the
 * reading of stored or received values, and how patches merge and are undone.
 */

/** How much each font step scales every text (R-U3). */
export const FONT_SCALE: Record<FontSize, number> = { small: 0.875, standard: 1, large: 1.15, xlarge: 1.3 };

export const FONT_SIZES: readonly FontSize[] = ['small', 'standard', 'large', 'xlarge'];
export const LANGUAGES: readonly Language[] = ['zh-CN', 'en'];

export const DEFAULT_PREFERENCES: Preferences = {
  fontSize: 'standard',
  language: 'zh-CN',
  notifications: { enabled: true, sound: true, showPreview: true },
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Preferences from anything stored or received: known values are kept, the rest falls back to
 * `base`. A value written by an older or newer client never breaks the first paint.
 */
export function sanitizePreferences(raw: unknown, base: Preferences = DEFAULT_PREFERENCES): Preferences {
  if (!isRecord(raw)) return base;
  const fontSize = FONT_SIZES.find((f) => f === raw.fontSize) ?? base.fontSize;
  const language = LANGUAGES.find((l) => l === raw.language) ?? base.language;
  const n = isRecord(raw.notifications) ? raw.notifications : {};
  const flag = (v: unknown, fallback: boolean) => (typeof v === 'boolean' ? v : fallback);
  return {
    fontSize,
    language,
    notifications: {
      enabled: flag(n.enabled, base.notifications.enabled),
      sound: flag(n.sound, base.notifications.sound),
      showPreview: flag(n.showPreview, base.notifications.showPreview),
    },
  };
}

/** `base` with a patch applied the way the server applies it (notifications merge field by field). */
export function mergePreferences(base: Preferences, patch: PreferencesPatch): Preferences {
  return {
    fontSize: patch.fontSize ?? base.fontSize,
    language: patch.language ?? base.language,
    notifications: { ...base.notifications, ...patch.notifications },
  };
}

/**
 * The patch that undoes `patch` on top of `current`, taking values from `before`; fields changed
 * meanwhile by someone else (another device, a later edit here) are left alone.
 */
export function revertPatch(before: Preferences, after: Preferences, current: Preferences): PreferencesPatch {
  const undo: PreferencesPatch = {};
  if (current.fontSize === after.fontSize && after.fontSize !== before.fontSize)
    undo.fontSize = before.fontSize;
  if (current.language === after.language && after.language !== before.language)
    undo.language = before.language;
  const notifications: Partial<Preferences['notifications']> = {};
  for (const key of ['enabled', 'sound', 'showPreview'] as const) {
    const was = before.notifications[key];
    if (current.notifications[key] === after.notifications[key] && after.notifications[key] !== was)
      notifications[key] = was;
  }
  if (Object.keys(notifications).length > 0) undo.notifications = notifications;
  return undo;
}
