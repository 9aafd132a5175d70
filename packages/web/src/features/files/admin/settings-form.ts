import type { DisclaimerScope, FileSettings, FileSettingsPatch } from '@zhixin/protocol';

const MB = 1024 ** 2;

/** The settings as the form edits them: sizes in MB, empty per-kind retention = follow the default. */
export interface FilesForm {
  maxFileMb: number;
  quotaMb: number;
  abandonedHours: number;
  defaultDays: number;
  directDays: number | null;
  groupDays: number | null;
  selfDays: number | null;
  disclaimerEnabled: boolean;
  disclaimerScope: DisclaimerScope;
  disclaimerText: string;
}

export function settingsToForm(s: FileSettings): FilesForm {
  return {
    maxFileMb: Math.max(1, Math.round(s.maxFileBytes / MB)),
    quotaMb: Math.round(s.quotaBytesPerUser / MB),
    abandonedHours: s.abandonedUploadHours,
    defaultDays: s.retention.defaultDays,
    directDays: s.retention.directDays,
    groupDays: s.retention.groupDays,
    selfDays: s.retention.selfDays,
    disclaimerEnabled: s.disclaimer.enabled,
    disclaimerScope: s.disclaimer.scope,
    disclaimerText: s.disclaimer.text,
  };
}

/** Only what changed (the server audits each changed key); null when nothing did. */
export function formToPatch(s: FileSettings, f: FilesForm): FileSettingsPatch | null {
  const patch: FileSettingsPatch = {};
  const maxFileBytes = Math.min(1024 ** 3, f.maxFileMb * MB);
  if (Math.round(s.maxFileBytes / MB) !== f.maxFileMb) patch.maxFileBytes = maxFileBytes;
  if (Math.round(s.quotaBytesPerUser / MB) !== f.quotaMb) patch.quotaBytesPerUser = f.quotaMb * MB;
  if (s.abandonedUploadHours !== f.abandonedHours) patch.abandonedUploadHours = f.abandonedHours;
  const retention: NonNullable<FileSettingsPatch['retention']> = {};
  if (s.retention.defaultDays !== f.defaultDays) retention.defaultDays = f.defaultDays;
  for (const key of ['directDays', 'groupDays', 'selfDays'] as const) {
    const value = f[key] ?? null;
    if (s.retention[key] !== value) retention[key] = value;
  }
  if (Object.keys(retention).length > 0) patch.retention = retention;
  const disclaimer: NonNullable<FileSettingsPatch['disclaimer']> = {};
  if (s.disclaimer.enabled !== f.disclaimerEnabled) disclaimer.enabled = f.disclaimerEnabled;
  if (s.disclaimer.scope !== f.disclaimerScope) disclaimer.scope = f.disclaimerScope;
  if (s.disclaimer.text !== f.disclaimerText) disclaimer.text = f.disclaimerText;
  if (Object.keys(disclaimer).length > 0) patch.disclaimer = disclaimer;
  return Object.keys(patch).length > 0 ? patch : null;
}
