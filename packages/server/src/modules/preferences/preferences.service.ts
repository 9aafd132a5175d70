import { Preferences, type PreferencesPatch } from '@zhixin/protocol';
import { Value } from 'typebox/value';
import type { EventSink } from '../../platform/events.ts';
import type { Caller } from '../deps.ts';
import type { PreferencesRepo } from './preferences.repo.ts';

/** What a user who never changed anything gets. */
export const DEFAULT_PREFERENCES: Preferences = {
  fontSize: 'standard',
  language: 'zh-CN',
  notifications: { enabled: true, sound: true, showPreview: true },
};

export interface PreferencesService {
  get(userId: string): Promise<Preferences>;
  /** Merge a patch into my preferences; my other devices get `preferences.updated.v1`. */
  update(caller: Caller, patch: PreferencesPatch): Promise<Preferences>;
}

/** Stored values over the defaults; a stored value that no longer fits the schema is dropped. */
function withDefaults(stored: unknown): Preferences {
  const s = (typeof stored === 'object' && stored !== null ? stored : {}) as Partial<Preferences>;
  const merged = {
    ...DEFAULT_PREFERENCES,
    ...s,
    notifications: { ...DEFAULT_PREFERENCES.notifications, ...(s.notifications ?? {}) },
  };
  return Value.Check(Preferences, merged) ? merged : structuredClone(DEFAULT_PREFERENCES);
}

export function createPreferencesService(
  repo: PreferencesRepo,
  events: EventSink,
  now: () => number = Date.now,
): PreferencesService {
  return {
    async get(userId) {
      return withDefaults(await repo.get(userId));
    },

    async update(caller, patch) {
      const current = withDefaults(await repo.get(caller.userId));
      const next: Preferences = {
        fontSize: patch.fontSize ?? current.fontSize,
        language: patch.language ?? current.language,
        notifications: { ...current.notifications, ...patch.notifications },
      };
      await repo.put(caller.userId, next, now());
      events.emit([caller.userId], 'preferences.updated.v1', next, { exceptSessionId: caller.sessionId });
      return next;
    },
  };
}
