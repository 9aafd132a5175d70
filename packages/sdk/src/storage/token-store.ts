import type { OpResponse } from '@zhixin/protocol';
import { readJson, type Storage } from './storage.ts';

/** The session returned by login, register and refresh: user, session id and token pair. */
export type Session = OpResponse<'auth.loginPassword'>;

const SESSION_KEY = 'session';

function isSession(v: unknown): v is Session {
  const s = v as Session | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.userId === 'string' &&
    typeof s.sessionId === 'string' &&
    typeof s.tokens?.accessToken === 'string' &&
    typeof s.tokens?.refreshToken === 'string'
  );
}

/**
 * The persisted session of this client. Reads storage once and then serves from memory; every
 * change is written through.
 *
 * @example
 * const tokens = new TokenStore(new MemoryStorage());
 * await tokens.save(session);
 * tokens.current?.userId;
 */
export class TokenStore {
  private cached: Session | null = null;
  private loaded: Promise<unknown> | undefined;
  /** Bumped by save/clear so that a slow first read cannot bring back an older session. */
  private writes = 0;

  constructor(private readonly storage: Storage) {}

  /** The session, reading storage the first time. */
  load(): Promise<Session | null> {
    if (!this.loaded && this.writes > 0) this.loaded = Promise.resolve();
    if (!this.loaded) {
      const before = this.writes;
      this.loaded = readJson<unknown>(this.storage, SESSION_KEY).then((v) => {
        if (this.writes === before && isSession(v)) this.cached = v;
      });
    }
    return this.loaded.then(() => this.cached);
  }

  /** The session as last loaded or saved (null before `load()` or when logged out). */
  get current(): Session | null {
    return this.cached;
  }

  /**
   * Read storage again, dropping what is in memory: another tab or process sharing the storage may
   * have refreshed or cleared the session since.
   */
  async reload(): Promise<Session | null> {
    const before = this.writes;
    const v = await readJson<unknown>(this.storage, SESSION_KEY);
    if (this.writes === before) this.cached = isSession(v) ? v : null;
    this.loaded = Promise.resolve();
    return this.cached;
  }

  async save(session: Session): Promise<void> {
    this.cached = session;
    this.writes++;
    await this.storage.set(SESSION_KEY, JSON.stringify(session));
  }

  async clear(): Promise<void> {
    this.cached = null;
    this.writes++;
    await this.storage.remove(SESSION_KEY);
  }
}
