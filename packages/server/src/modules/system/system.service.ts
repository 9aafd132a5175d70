import {
  SystemSettingsPatch,
  type ClientPolicy,
  type SmsSettingsPatch,
  type SystemSettings,
} from '@zhixin/protocol';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import type { Config } from '../../config.ts';
import type { Broker } from '../../platform/broker/index.ts';
import type { Keyring } from '../../platform/crypto/index.ts';
import type { AuditLog } from '../audit/index.ts';
import type { EffectiveSms } from './system.sms.ts';
import type { SystemRepo } from './system.repo.ts';

/** The default watermark: what the web client drew before the template was configurable. */
export const DEFAULT_WATERMARK_TEMPLATE = '{nickname} {phoneTail}\n{date}';

const KEY = 'system';
const SECRET_CONTEXT = 'runtime_settings.sms.httpAuthorization';
/** Every node re-reads at least this often; a change on this node (or a broker event) is at once. */
const CACHE_MS = 5_000;
const CHANGED_SUBJECT = 'system.settings.changed';

/** What is stored: the administrators' overrides only (the rest follows the config). */
const Stored = Type.Object({
  watermarkTemplate: Type.Optional(Type.String()),
  recallWindowSeconds: Type.Optional(Type.Integer({ minimum: 0 })),
  registrationOpen: Type.Optional(Type.Boolean()),
  sms: Type.Optional(
    Type.Object({
      provider: Type.Optional(Type.Union([Type.Literal('dev'), Type.Literal('http')])),
      httpUrl: Type.Optional(Type.String()),
      httpBodyTemplate: Type.Optional(Type.String()),
      httpTimeoutMs: Type.Optional(Type.Integer()),
      /** Sealed with the keyring; '' when cleared. */
      httpAuthorizationSealed: Type.Optional(Type.String()),
    }),
  ),
});
type Stored = Static<typeof Stored>;

export interface SystemService {
  /** The settings in force (operators read them); the SMS secret only as set or not. */
  settings(): Promise<SystemSettings>;
  /** Administrators: apply a patch, audited (`admin.system.update`, changed keys; never the secret). */
  update(actorId: string, patch: SystemSettingsPatch, ip?: string): Promise<SystemSettings>;
  clientPolicy(): Promise<ClientPolicy>;
  recallWindowSeconds(): Promise<number>;
  registrationOpen(): Promise<boolean>;
  /** The SMS gateway in force, secret included (for the provider only). */
  effectiveSms(): Promise<{ overridden: boolean; sms: EffectiveSms }>;
  close(): void;
}

export interface SystemServiceDeps {
  repo: SystemRepo;
  keyring: Pick<Keyring, 'seal' | 'open'>;
  config: Pick<Config, 'sms' | 'auth' | 'messages'>;
  audit: Pick<AuditLog, 'append'>;
  broker: Broker;
  now?: () => number;
}

/** Keys of a patch that changed something, for the audit record (SMS keys as `sms.<key>`). */
function changedKeys(patch: SystemSettingsPatch): string[] {
  const keys = Object.keys(patch).filter((k) => k !== 'sms');
  if (patch.sms) keys.push(...Object.keys(patch.sms).map((k) => `sms.${k}`));
  return keys;
}

function mergeSms(base: Stored['sms'], patch: SmsSettingsPatch, seal: (s: string) => string): Stored['sms'] {
  const { httpAuthorization, ...plain } = patch;
  const out = { ...base, ...plain };
  if (httpAuthorization !== undefined)
    out.httpAuthorizationSealed = httpAuthorization ? seal(httpAuthorization) : '';
  return out;
}

export function createSystemService(d: SystemServiceDeps): SystemService {
  const now = d.now ?? Date.now;
  let cached: { at: number; stored: Stored; updatedAt: number | null } | null = null;
  const sub = d.broker.subscribe(CHANGED_SUBJECT, () => {
    cached = null;
  });

  async function load(): Promise<{ stored: Stored; updatedAt: number | null }> {
    if (cached && now() - cached.at < CACHE_MS) return cached;
    const row = await d.repo.get(KEY);
    // Written by this service only; a row that no longer fits is ignored rather than trusted.
    const stored = row && Value.Check(Stored, row.value) ? row.value : {};
    cached = { at: now(), stored, updatedAt: row?.updatedAt ?? null };
    return cached;
  }

  function effectiveSmsOf(stored: Stored): EffectiveSms {
    const o = stored.sms ?? {};
    const sealed = o.httpAuthorizationSealed;
    return {
      provider: o.provider ?? d.config.sms.provider,
      httpUrl: o.httpUrl ?? d.config.sms.httpUrl,
      httpBodyTemplate: o.httpBodyTemplate ?? d.config.sms.httpBodyTemplate,
      httpTimeoutMs: o.httpTimeoutMs ?? d.config.sms.httpTimeoutMs,
      httpAuthorization:
        sealed === undefined
          ? d.config.sms.httpAuthorization
          : sealed
            ? d.keyring.open(sealed, SECRET_CONTEXT)
            : '',
    };
  }

  function present(stored: Stored, updatedAt: number | null): SystemSettings {
    const sms = effectiveSmsOf(stored);
    return {
      watermarkTemplate: stored.watermarkTemplate ?? DEFAULT_WATERMARK_TEMPLATE,
      recallWindowSeconds: stored.recallWindowSeconds ?? d.config.messages.recallWindowSeconds,
      registrationOpen: stored.registrationOpen ?? d.config.auth.registrationOpen,
      sms: {
        provider: sms.provider,
        httpUrl: sms.httpUrl,
        httpBodyTemplate: sms.httpBodyTemplate,
        httpTimeoutMs: sms.httpTimeoutMs,
        httpAuthorizationSet: sms.httpAuthorization !== '',
      },
      updatedAt,
    };
  }

  const service: SystemService = {
    async settings() {
      const { stored, updatedAt } = await load();
      return present(stored, updatedAt);
    },

    async update(actorId, patch, ip) {
      // The registry validated the patch; services are also called directly (tests, CLI).
      if (!Value.Check(SystemSettingsPatch, patch)) throw new Error('invalid system settings patch');
      cached = null;
      const { stored } = await load();
      const { sms, ...plain } = patch;
      const next: Stored = { ...stored, ...plain };
      if (sms) next.sms = mergeSms(stored.sms, sms, (s) => d.keyring.seal(s, SECRET_CONTEXT));
      const at = now();
      await d.repo.put(KEY, next, at, actorId);
      cached = { at, stored: next, updatedAt: at };
      d.broker.publish(CHANGED_SUBJECT, { at });
      const result = present(next, at);
      await d.audit.append({
        category: 'admin',
        action: 'admin.system.update',
        actorId,
        subject: 'system.settings',
        ip: ip ?? null,
        details: {
          changed: changedKeys(patch),
          // Values that are not secret, as they now are (the SMS secret only as set or not).
          values: {
            ...plain,
            ...(sms ? { sms: { ...result.sms } } : {}),
          },
        },
      });
      return result;
    },

    async clientPolicy() {
      const s = await service.settings();
      return { watermarkTemplate: s.watermarkTemplate, recallWindowSeconds: s.recallWindowSeconds };
    },

    async recallWindowSeconds() {
      return (await service.settings()).recallWindowSeconds;
    },

    async registrationOpen() {
      return (await service.settings()).registrationOpen;
    },

    async effectiveSms() {
      const { stored } = await load();
      return { overridden: stored.sms !== undefined, sms: effectiveSmsOf(stored) };
    },

    close() {
      sub.unsubscribe();
    },
  };
  return service;
}
