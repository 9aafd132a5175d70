import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../managers/device.ts';
import { LocalStorageAdapter, MemoryStorage, type Storage, type WebStorageLike } from './storage.ts';
import { TokenStore, type Session } from './token-store.ts';

const session = (n: number): Session => ({
  userId: 'u1',
  sessionId: `s${n}`,
  tokens: { accessToken: `a${n}`, accessExpiresAt: 1, refreshToken: `r${n}`, refreshExpiresAt: 2 },
});

class FakeWebStorage implements WebStorageLike {
  readonly items = new Map<string, string>();
  getItem(k: string): string | null {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.items.set(k, v);
  }
  removeItem(k: string): void {
    this.items.delete(k);
  }
}

/** An asynchronous store whose reads can be held back. */
class SlowStorage implements Storage {
  readonly inner = new MemoryStorage();
  gate: Promise<void> = Promise.resolve();
  async get(k: string) {
    const value = this.inner.get(k);
    await this.gate;
    return value;
  }
  async set(k: string, v: string) {
    this.inner.set(k, v);
  }
  async remove(k: string) {
    this.inner.remove(k);
  }
}

describe('LocalStorageAdapter', () => {
  it('keeps values under a prefix in a Web Storage', () => {
    const web = new FakeWebStorage();
    const storage = new LocalStorageAdapter(web, 'zx:');
    storage.set('session', 'v');
    expect(web.items.get('zx:session')).toBe('v');
    expect(storage.get('session')).toBe('v');
    storage.remove('session');
    expect(storage.get('session')).toBeNull();
  });

  it('says what is missing when there is no localStorage', () => {
    expect(() => new LocalStorageAdapter()).toThrow(/localStorage/);
  });
});

describe('TokenStore', () => {
  it('persists the session and reads it back in a new store', async () => {
    const storage = new MemoryStorage();
    await new TokenStore(storage).save(session(1));
    const reopened = new TokenStore(storage);
    expect(reopened.current).toBeNull();
    expect(await reopened.load()).toEqual(session(1));
    expect(reopened.current).toEqual(session(1));
    await reopened.clear();
    expect(await new TokenStore(storage).load()).toBeNull();
  });

  it('ignores a corrupt entry', async () => {
    const storage = new MemoryStorage();
    storage.set('session', '{not json');
    expect(await new TokenStore(storage).load()).toBeNull();
    storage.set('session', JSON.stringify({ userId: 'u1' }));
    expect(await new TokenStore(storage).load()).toBeNull();
  });

  it('does not let a slow first read bring back a session cleared meanwhile', async () => {
    const storage = new SlowStorage();
    await storage.set('session', JSON.stringify(session(1)));
    let open: () => void = () => {};
    storage.gate = new Promise((r) => (open = r));
    const tokens = new TokenStore(storage);
    const loading = tokens.load();
    await tokens.clear();
    open();
    expect(await loading).toBeNull();
    expect(tokens.current).toBeNull();
  });
});

describe('resolveDevice', () => {
  it('generates the device id once and keeps it', async () => {
    const storage = new MemoryStorage();
    const first = await resolveDevice(storage);
    expect(first.deviceId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(first.platform).toBe('server');
    expect((await resolveDevice(storage, { name: 'x' })).deviceId).toBe(first.deviceId);
    expect(
      await resolveDevice(storage, { deviceId: 'given-device-id', name: 'n', platform: 'desktop' }),
    ).toEqual({
      deviceId: 'given-device-id',
      name: 'n',
      platform: 'desktop',
    });
  });
});
