/**
 * Where the SDK keeps what must survive a restart: the session (tokens), the device id and the sync
 * cursors. Values are strings (JSON); methods may be synchronous or return promises, so both
 * `localStorage` and asynchronous stores (IndexedDB, a file, a keychain) fit.
 */
export interface Storage {
  get(key: string): string | null | Promise<string | null>;
  set(key: string, value: string): void | Promise<void>;
  remove(key: string): void | Promise<void>;
}

/**
 * Keeps everything in memory: the default, for tests and short-lived Node processes.
 *
 * @example
 * const client = new ZhixinClient({ baseUrl, storage: new MemoryStorage() });
 */
export class MemoryStorage implements Storage {
  private readonly map = new Map<string, string>();

  get(key: string): string | null {
    return this.map.get(key) ?? null;
  }

  set(key: string, value: string): void {
    this.map.set(key, value);
  }

  remove(key: string): void {
    this.map.delete(key);
  }

  /** The keys held, for tests and debugging. */
  keys(): string[] {
    return [...this.map.keys()];
  }
}

/** The Web Storage API (`window.localStorage`, `sessionStorage`). */
export interface WebStorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * Persists in the browser's `localStorage` (or any Web Storage), under a key prefix so that several
 * servers or accounts can share one origin.
 *
 * @example
 * const client = new ZhixinClient({ baseUrl, storage: new LocalStorageAdapter(window.localStorage, 'zhixin:') });
 */
export class LocalStorageAdapter implements Storage {
  private readonly store: WebStorageLike;

  constructor(
    store?: WebStorageLike,
    private readonly prefix = 'zhixin:',
  ) {
    const found = store ?? (globalThis as { localStorage?: WebStorageLike }).localStorage;
    if (!found) throw new TypeError('LocalStorageAdapter needs localStorage (or pass a Web Storage object)');
    this.store = found;
  }

  get(key: string): string | null {
    return this.store.getItem(this.prefix + key);
  }

  set(key: string, value: string): void {
    this.store.setItem(this.prefix + key, value);
  }

  remove(key: string): void {
    this.store.removeItem(this.prefix + key);
  }
}

/** Read and parse a JSON value; a missing or corrupt entry reads as `null`. */
export async function readJson<T>(storage: Storage, key: string): Promise<T | null> {
  const raw = await storage.get(key);
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}
