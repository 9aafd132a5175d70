import { readJson, type Storage } from '../storage/storage.ts';

interface Snapshot {
  v: 1;
  /** A first full sync has set the baseline. */
  initialized: boolean;
  /** `cursor` of the last `conversations.list`. */
  cursor?: number;
  /** Server time up to which message changes are known. */
  syncedAt?: number;
  /** Per conversation, the highest seq delivered in order. */
  seqs: Record<string, number>;
}

/**
 * What sync must remember across restarts, per user (`sync:<userId>`). Updates are in memory at once
 * and written back coalesced: many messages in a burst cost one write.
 */
export class SyncState {
  private writing: Promise<void> | undefined;
  private dirty = false;

  private constructor(
    private readonly storage: Storage,
    readonly userId: string,
    private readonly data: Snapshot,
    private readonly onError: (err: unknown) => void,
  ) {}

  static async load(storage: Storage, userId: string, onError: (err: unknown) => void): Promise<SyncState> {
    const saved = await readJson<Snapshot>(storage, SyncState.key(userId));
    const data: Snapshot =
      saved?.v === 1 && typeof saved.seqs === 'object' && saved.seqs !== null
        ? saved
        : { v: 1, initialized: false, seqs: {} };
    return new SyncState(storage, userId, data, onError);
  }

  static key(userId: string): string {
    return `sync:${userId}`;
  }

  get initialized(): boolean {
    return this.data.initialized;
  }

  set initialized(value: boolean) {
    this.data.initialized = value;
    this.touch();
  }

  get cursor(): number | undefined {
    return this.data.cursor;
  }

  set cursor(value: number | undefined) {
    this.data.cursor = value;
    this.touch();
  }

  get syncedAt(): number | undefined {
    return this.data.syncedAt;
  }

  /** Only ever moves forward. */
  advanceSyncedAt(serverTime: number): void {
    if (serverTime > (this.data.syncedAt ?? 0)) {
      this.data.syncedAt = serverTime;
      this.touch();
    }
  }

  knownSeq(conversationId: string): number | undefined {
    return this.data.seqs[conversationId];
  }

  setKnownSeq(conversationId: string, seq: number): void {
    if (this.data.seqs[conversationId] === seq) return;
    this.data.seqs[conversationId] = seq;
    this.touch();
  }

  /** Resolves when everything changed so far is written. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private touch(): void {
    if (this.writing) {
      this.dirty = true;
      return;
    }
    this.writing = this.writeLoop().finally(() => {
      this.writing = undefined;
    });
  }

  private async writeLoop(): Promise<void> {
    // Let the current burst of synchronous updates finish first.
    await Promise.resolve();
    do {
      this.dirty = false;
      try {
        await this.storage.set(SyncState.key(this.userId), JSON.stringify(this.data));
      } catch (err) {
        this.onError(err);
      }
    } while (this.dirty);
  }
}
