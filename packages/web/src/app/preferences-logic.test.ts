import type { Preferences } from '@zhixin/protocol';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PREFERENCES,
  mergePreferences,
  revertPatch,
  sanitizePreferences,
} from './preferences-logic.ts';

const base: Preferences = {
  fontSize: 'standard',
  language: 'zh-CN',
  notifications: { enabled: true, sound: true, showPreview: true },
};

describe('mergePreferences', () => {
  it('changes only the fields a patch names, notifications field by field', () => {
    const merged = mergePreferences(base, { fontSize: 'xlarge', notifications: { sound: false } });
    expect(merged).toEqual({
      fontSize: 'xlarge',
      language: 'zh-CN',
      notifications: { enabled: true, sound: false, showPreview: true },
    });
  });

  it('leaves the input untouched', () => {
    mergePreferences(base, { notifications: { enabled: false } });
    expect(base.notifications.enabled).toBe(true);
  });
});

describe('revertPatch', () => {
  it('undoes a refused change', () => {
    const after = mergePreferences(base, { fontSize: 'large', notifications: { showPreview: false } });
    const undo = revertPatch(base, after, after);
    expect(mergePreferences(after, undo)).toEqual(base);
  });

  it('keeps a value another device set while the request was in flight', () => {
    const after = mergePreferences(base, { fontSize: 'large', language: 'en' });
    // Meanwhile 'preferences.updated' from another device set the font to small.
    const current = mergePreferences(after, { fontSize: 'small' });
    const undo = revertPatch(base, after, current);
    expect(undo).toEqual({ language: 'zh-CN' });
    expect(mergePreferences(current, undo).fontSize).toBe('small');
  });

  it('is empty when the patch changed nothing', () => {
    expect(revertPatch(base, base, base)).toEqual({});
  });
});

describe('sanitizePreferences', () => {
  it('falls back to the defaults for garbage', () => {
    expect(sanitizePreferences('nope')).toEqual(DEFAULT_PREFERENCES);
    expect(sanitizePreferences(null)).toEqual(DEFAULT_PREFERENCES);
  });

  it('keeps known values and replaces unknown ones field by field', () => {
    const read = sanitizePreferences({
      fontSize: 'huge',
      language: 'en',
      notifications: { enabled: false, sound: 'yes' },
    });
    expect(read).toEqual({
      fontSize: 'standard',
      language: 'en',
      notifications: { enabled: false, sound: true, showPreview: true },
    });
  });
});
