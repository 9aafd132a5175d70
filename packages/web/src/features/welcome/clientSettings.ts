import type { ClientSettings } from '@zhixin/protocol';
import { create } from 'zustand';
import { client } from '../../app/client.ts';

const KEY = 'zhixin:client-settings';

interface ClientSettingsState {
  /** The operator's settings as last seen; null before this browser ever reached the server. */
  settings: ClientSettings | null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isClientSettings(v: unknown): v is ClientSettings {
  if (!isRecord(v) || !isRecord(v.launch) || !isRecord(v.welcome)) return false;
  const { launch, welcome } = v;
  return (
    typeof v.productName === 'string' &&
    typeof v.registrationOpen === 'boolean' &&
    typeof launch.enabled === 'boolean' &&
    typeof launch.text === 'string' &&
    typeof launch.durationMs === 'number' &&
    (launch.imageId === null || typeof launch.imageId === 'string') &&
    typeof welcome.enabled === 'boolean' &&
    typeof welcome.title === 'string' &&
    typeof welcome.text === 'string' &&
    (welcome.imageId === null || typeof welcome.imageId === 'string')
  );
}

/** A stored copy is used only when it has the shape this client reads (an older one is ignored). */
export function parseCachedSettings(raw: string | null): ClientSettings | null {
  if (!raw) return null;
  try {
    const v: unknown = JSON.parse(raw);
    return isClientSettings(v) ? v : null;
  } catch {
    return null;
  }
}

/**
 * Operator-set settings (product name, launch and welcome pages, registration), read from this
 * browser's copy at once so the launch page shows offline and without waiting, then refreshed.
 */
export const useClientSettings = create<ClientSettingsState>(() => ({
  settings: parseCachedSettings(window.localStorage.getItem(KEY)),
}));

let refreshing: Promise<ClientSettings | null> | null = null;

/** Fetch the current settings (works signed out); keeps the stored copy when offline. */
export function refreshClientSettings(): Promise<ClientSettings | null> {
  refreshing ??= client.settings
    .client()
    .then((settings) => {
      window.localStorage.setItem(KEY, JSON.stringify(settings));
      useClientSettings.setState({ settings });
      return settings;
    })
    .catch(() => null)
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}
