import type { FileSettings } from '@zhixin/protocol';
import { describe, expect, it } from 'vitest';
import { formToPatch, settingsToForm } from './settings-form.ts';

const settings: FileSettings = {
  disclaimer: { enabled: false, scope: 'crossTerminal', text: '', version: 1 },
  retention: { defaultDays: 0, directDays: null, groupDays: 30, selfDays: null },
  maxFileBytes: 1024 ** 3,
  quotaBytesPerUser: 0,
  abandonedUploadHours: 24,
};

describe('file settings form', () => {
  it('round-trips without a change', () => {
    expect(formToPatch(settings, settingsToForm(settings))).toBeNull();
  });

  it('sends only the changed keys, sizes in bytes', () => {
    const form = { ...settingsToForm(settings), maxFileMb: 100, groupDays: null, disclaimerEnabled: true };
    expect(formToPatch(settings, form)).toEqual({
      maxFileBytes: 100 * 1024 ** 2,
      retention: { groupDays: null },
      disclaimer: { enabled: true },
    });
  });
});
