import type { OpRequest } from '@zhixin/protocol';
import { randomId } from '../platform/ids.ts';
import type { Storage } from '../storage/storage.ts';

/** What the server is told about this device at login. */
export type DeviceInfo = OpRequest<'auth.loginPassword'>['device'];

/** Describe this device; anything left out is filled in (the id is generated once and stored). */
export interface DeviceOptions {
  /** Stable per installation; default: generated on first use and kept in storage. */
  deviceId?: string;
  /** Shown in the user's device list; default from the runtime ("Web browser", "Node.js"). */
  name?: string;
  platform?: DeviceInfo['platform'];
}

const DEVICE_ID_KEY = 'deviceId';
const VALID_ID = /^[A-Za-z0-9_-]{8,64}$/;

function runtimeDefaults(): Pick<DeviceInfo, 'name' | 'platform'> {
  const nav = (globalThis as { navigator?: { userAgent?: string } }).navigator;
  const isBrowser = typeof (globalThis as { document?: unknown }).document !== 'undefined';
  if (isBrowser) return { name: describeBrowser(nav?.userAgent ?? ''), platform: 'web' };
  return { name: 'Node.js', platform: 'server' };
}

function describeBrowser(ua: string): string {
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Chrome\//.test(ua)
      ? 'Chrome'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /Safari\//.test(ua)
          ? 'Safari'
          : 'Browser';
  const os = /Windows/.test(ua)
    ? 'Windows'
    : /Mac OS X/.test(ua)
      ? 'macOS'
      : /Android/.test(ua)
        ? 'Android'
        : /iPhone|iPad/.test(ua)
          ? 'iOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : '';
  return os ? `${browser} on ${os}` : browser;
}

/**
 * The device info sent at login and registration. The id is read from storage, or generated and
 * stored the first time, so one installation is one device in the user's device list.
 */
export async function resolveDevice(storage: Storage, options: DeviceOptions = {}): Promise<DeviceInfo> {
  let deviceId = options.deviceId;
  if (!deviceId) {
    const stored = await storage.get(DEVICE_ID_KEY);
    if (stored && VALID_ID.test(stored)) deviceId = stored;
    else {
      deviceId = randomId(22);
      await storage.set(DEVICE_ID_KEY, deviceId);
    }
  }
  const defaults = runtimeDefaults();
  return {
    deviceId,
    name: (options.name ?? defaults.name).slice(0, 64),
    platform: options.platform ?? defaults.platform,
  };
}
