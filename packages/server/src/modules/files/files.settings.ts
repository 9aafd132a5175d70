import { MAX_FILE_BYTES, type FilePolicy, type FileSettings, type FileSettingsPatch } from '@zhixin/protocol';
import type { Config } from '../../config.ts';
import type { AuditLog } from '../audit/index.ts';
import type { FilesRepo } from './files.repo.ts';

/** Settings are re-read after this long, so every node of a cluster sees a change soon. */
const CACHE_MS = 5_000;

/** The defaults before any operator change: from the config (`files.*`). */
export function defaultFileSettings(config: Config['files']): FileSettings {
  return {
    disclaimer: {
      enabled: false,
      scope: 'crossTerminal',
      text: '文件可能包含敏感信息，请确认接收终端安全后再发送。',
      version: 1,
    },
    retention: { defaultDays: config.retentionDays, directDays: null, groupDays: null, selfDays: null },
    maxFileBytes: Math.min(config.maxFileBytes, MAX_FILE_BYTES),
    quotaBytesPerUser: config.quotaBytesPerUser,
    abandonedUploadHours: config.abandonedUploadHours,
  };
}

function merged(base: FileSettings, stored: Partial<FileSettings> | null): FileSettings {
  if (!stored) return base;
  return {
    ...base,
    ...stored,
    disclaimer: { ...base.disclaimer, ...stored.disclaimer },
    retention: { ...base.retention, ...stored.retention },
  };
}

/** The keys a patch really changes, as dotted paths (for the audit record). */
function changedKeys(before: FileSettings, after: FileSettings): string[] {
  const out: string[] = [];
  for (const key of ['maxFileBytes', 'quotaBytesPerUser', 'abandonedUploadHours'] as const) {
    if (before[key] !== after[key]) out.push(key);
  }
  for (const key of ['enabled', 'scope', 'text'] as const) {
    if (before.disclaimer[key] !== after.disclaimer[key]) out.push(`disclaimer.${key}`);
  }
  for (const key of ['defaultDays', 'directDays', 'groupDays', 'selfDays'] as const) {
    if (before.retention[key] !== after.retention[key]) out.push(`retention.${key}`);
  }
  return out;
}

/** The operator's file settings: stored over the config defaults, cached briefly. */
export class FileSettingsStore {
  private cached: { value: FileSettings; at: number } | null = null;

  constructor(
    private readonly repo: FilesRepo,
    private readonly defaults: FileSettings,
    private readonly audit: AuditLog,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<FileSettings> {
    const at = this.now();
    if (this.cached && at - this.cached.at < CACHE_MS) return this.cached.value;
    const value = merged(this.defaults, await this.repo.loadSettings());
    this.cached = { value, at };
    return value;
  }

  async policy(): Promise<FilePolicy> {
    const s = await this.get();
    return { disclaimer: s.disclaimer, maxFileBytes: s.maxFileBytes, retention: s.retention };
  }

  /** Apply a patch (the disclaimer's version goes up when its text changes) and audit the changed keys. */
  async update(
    patch: FileSettingsPatch,
    actor: { userId: string; sessionId: string; ip: string },
  ): Promise<FileSettings> {
    this.cached = null;
    const before = await this.get();
    const after: FileSettings = {
      ...before,
      ...(patch.maxFileBytes !== undefined ? { maxFileBytes: patch.maxFileBytes } : {}),
      ...(patch.quotaBytesPerUser !== undefined ? { quotaBytesPerUser: patch.quotaBytesPerUser } : {}),
      ...(patch.abandonedUploadHours !== undefined
        ? { abandonedUploadHours: patch.abandonedUploadHours }
        : {}),
      disclaimer: { ...before.disclaimer, ...patch.disclaimer },
      retention: { ...before.retention, ...patch.retention },
    };
    if (after.disclaimer.text !== before.disclaimer.text)
      after.disclaimer.version = before.disclaimer.version + 1;
    const keys = changedKeys(before, after);
    if (keys.length === 0) return before;
    await this.repo.saveSettings(after, this.now());
    this.cached = null;
    await this.audit.append({
      category: 'admin',
      action: 'admin.files.settings',
      actorId: actor.userId,
      deviceId: actor.sessionId,
      ip: actor.ip,
      details: { changed: keys },
    });
    return after;
  }
}
