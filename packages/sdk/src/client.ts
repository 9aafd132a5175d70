import type { EventFrame, HelloFrame, OpName, OpRequest, OpResponse } from '@zhixin/protocol';
import { TypedEmitter, type Listener, type Unsubscribe } from './emitter.ts';
import { ZhixinError } from './errors.ts';
import { SERVER_EVENT_NAMES, unversioned, type ServerEvents, type ZhixinEvents } from './events.ts';
import { AdminManager } from './managers/admin-manager.ts';
import { AuditManager } from './managers/audit-manager.ts';
import { AuthManager } from './managers/auth-manager.ts';
import { CallsManager } from './managers/calls-manager.ts';
import { MeetingsManager } from './managers/meetings-manager.ts';
import { CodesManager } from './managers/codes-manager.ts';
import { ContactsManager } from './managers/contacts-manager.ts';
import { FriendsManager } from './managers/friends-manager.ts';
import { MomentsManager } from './managers/moments-manager.ts';
import { DirectoryManager } from './managers/directory-manager.ts';
import { DownloadManager } from './managers/download-manager.ts';
import { FilesManager } from './managers/files-manager.ts';
import { GroupsManager } from './managers/groups-manager.ts';
import { ConversationsManager } from './managers/conversations-manager.ts';
import { resolveDevice, type DeviceInfo, type DeviceOptions } from './managers/device.ts';
import { MessagesManager } from './managers/messages-manager.ts';
import { OpsAccountManager } from './managers/opsaccount-manager.ts';
import { ExportsManager } from './managers/exports-manager.ts';
import { SystemManager } from './managers/system-manager.ts';
import { SettingsManager } from './managers/settings-manager.ts';
import { StatsManager } from './managers/stats-manager.ts';
import { UsersManager } from './managers/users-manager.ts';
import { systemTimers, type TimerHandle, type Timers } from './platform/timers.ts';
import type { WebSocketConstructor } from './platform/websocket.ts';
import { RealtimeConnection, type ConnectionState } from './realtime/connection.ts';
import { ExponentialBackoffPolicy, type ReconnectPolicy } from './realtime/reconnect-policy.ts';
import type { FetchLike } from './rest/fetch.ts';
import { webSocketUrl } from './rest/request.ts';
import { RestClient, type LockFn } from './rest/rest-client.ts';
import { MemoryStorage, type Storage } from './storage/storage.ts';
import { TokenStore, type Session } from './storage/token-store.ts';
import { SyncManager, type SyncResult } from './sync/sync-manager.ts';
import { createCall, type Call } from './transport.ts';

export interface ZhixinClientOptions {
  /** The server, e.g. `https://im.example.com` (REST under `/api/v1`, WebSocket at `/ws`). */
  baseUrl: string;
  /** Default `globalThis.WebSocket`; in Node 20 pass `WebSocket` from the `ws` package. */
  WebSocket?: WebSocketConstructor;
  /** Default `globalThis.fetch`. */
  fetch?: FetchLike;
  /** Where the session, device id and sync cursors live; default in memory (`LocalStorageAdapter` in browsers). */
  storage?: Storage;
  /** How this device is named in the user's device list. */
  device?: DeviceOptions;
  /** When to reconnect after a drop; default exponential backoff with full jitter, 0.5 s to 30 s. */
  reconnectPolicy?: ReconnectPolicy;
  /** When to retry a send that failed transiently; default 5 attempts, 0.5 s to 8 s. */
  sendRetryPolicy?: ReconnectPolicy;
  timers?: Timers;
  /** Per request, REST and WebSocket; default 15 s. */
  requestTimeoutMs?: number;
  /** Serialises token refreshes between clients sharing `storage` (default: the Web Locks API when present). */
  lock?: LockFn;
  sync?: { pageSize?: number; maxCatchUp?: number; concurrency?: number };
}

/**
 * The Zhixin client: a thin facade over the managers (`auth`, `messages`, `conversations`, `users`,
 * `contacts`, `settings`),
 * the REST client, the realtime connection and sync.
 *
 * @example
 * import { WebSocket } from 'ws'; // Node 20 only
 * const client = new ZhixinClient({ baseUrl: 'https://im.example.com', WebSocket });
 * await client.auth.loginPassword('13800138000', 'correct horse');
 * client.on('message.created', (m) => console.log(m.senderId, m.content));
 * await client.connect();
 */
export class ZhixinClient {
  readonly auth: AuthManager;
  readonly messages: MessagesManager;
  readonly conversations: ConversationsManager;
  readonly groups: GroupsManager;
  readonly users: UsersManager;
  readonly contacts: ContactsManager;
  readonly friends: FriendsManager;
  /** Moments (战友圈): posts, feeds, likes, comments, drafts, moderation. */
  readonly moments: MomentsManager;
  readonly directory: DirectoryManager;
  readonly codes: CodesManager;
  readonly settings: SettingsManager;
  readonly opsAccount: OpsAccountManager;
  /** Exports of users and behaviour data (operators). */
  readonly exports: ExportsManager;
  /** Runtime system settings and the API catalogue. */
  readonly system: SystemManager;
  /** Binary downloads: signed file links and bearer-authorised plain routes, with progress. */
  readonly downloads: DownloadManager;
  /** Resumable uploads (tus), file records, signed download links, quota, file settings. */
  readonly files: FilesManager;
  readonly audit: AuditManager;
  /** User and group administration, license and invalid-user screening (staff). */
  readonly admin: AdminManager;
  /** Usage statistics (operators and administrators). */
  readonly stats: StatsManager;
  /** 1:1 voice and video calls (signalling). */
  readonly calls: CallsManager;
  /** Meetings (signalling; media through the `/janus` proxy). */
  readonly meetings: MeetingsManager;

  private readonly emitter = new TypedEmitter<ZhixinEvents>();
  private readonly tokens: TokenStore;
  private readonly rest: RestClient;
  private readonly realtime: RealtimeConnection;
  private readonly syncer: SyncManager;
  private readonly routed: Call;
  /** auth.lost is reported once per session, whichever part noticed first. */
  private authLost = false;
  private readonly timers: Timers;
  /** A catch-up a spread `sync.hint` asked for, waiting for its moment. */
  private hintedCatchUp: TimerHandle | undefined;

  constructor(options: ZhixinClientOptions) {
    const storage = options.storage ?? new MemoryStorage();
    const timers = (this.timers = options.timers ?? systemTimers);
    const tokens = (this.tokens = new TokenStore(storage));
    const rest = (this.rest = new RestClient({
      baseUrl: options.baseUrl,
      fetch: options.fetch,
      tokens,
      timers,
      timeoutMs: options.requestTimeoutMs,
      lock: options.lock,
    }));
    const realtime = (this.realtime = new RealtimeConnection({
      url: webSocketUrl(options.baseUrl),
      WebSocket: options.WebSocket,
      reconnectPolicy: options.reconnectPolicy,
      timers,
      requestTimeoutMs: options.requestTimeoutMs,
      auth: {
        accessToken: async () => (await tokens.load())?.tokens.accessToken,
        isExpired: () => (tokens.current ? tokens.current.tokens.accessExpiresAt <= timers.now() : false),
        refresh: async () => void (await rest.refreshSession(tokens.current?.tokens.accessToken)),
      },
    }));
    const call = (this.routed = createCall(rest, realtime));
    const sync = (this.syncer = new SyncManager({
      call,
      storage,
      userId: () => tokens.current?.userId,
      serverNow: () => realtime.serverNow(),
      ...options.sync,
    }));
    let device: Promise<DeviceInfo> | undefined;
    this.auth = new AuthManager({
      rest,
      call,
      tokens,
      device: () => (device ??= resolveDevice(storage, options.device)),
      onSessionStarted: (session, previous) => {
        this.authLost = false;
        if (previous && previous.userId !== session.userId) realtime.close();
      },
      onLoggedOut: async () => {
        realtime.close();
        await sync.reset();
      },
    });
    this.messages = new MessagesManager({
      call,
      timers,
      retryPolicy:
        options.sendRetryPolicy ?? new ExponentialBackoffPolicy({ baseMs: 500, maxMs: 8000, maxAttempts: 5 }),
      onSent: (m) => sync.receiveSent(m),
      onChanged: (m) => sync.receiveUpdated(m),
    });
    this.conversations = new ConversationsManager(call);
    this.groups = new GroupsManager(call);
    this.users = new UsersManager(call);
    this.contacts = new ContactsManager(call);
    this.friends = new FriendsManager(call);
    this.moments = new MomentsManager(call);
    this.directory = new DirectoryManager(call);
    this.codes = new CodesManager(call);
    this.settings = new SettingsManager(call);
    this.opsAccount = new OpsAccountManager(call);
    this.exports = new ExportsManager(call);
    this.system = new SystemManager(call);
    this.downloads = new DownloadManager({
      baseUrl: options.baseUrl,
      accessToken: async () => {
        const session = await tokens.load();
        if (!session) return undefined;
        if (session.tokens.accessExpiresAt > timers.now() + 5_000) return session.tokens.accessToken;
        return (await rest.refreshSession(session.tokens.accessToken)).tokens.accessToken;
      },
    });
    this.files = new FilesManager({
      baseUrl: options.baseUrl,
      call,
      accessToken: async () => {
        const session = await tokens.load();
        if (!session) return undefined;
        if (session.tokens.accessExpiresAt > timers.now() + 5_000) return session.tokens.accessToken;
        return (await rest.refreshSession(session.tokens.accessToken)).tokens.accessToken;
      },
      userId: () => tokens.current?.userId,
    });
    this.audit = new AuditManager(call, this.downloads);
    this.admin = new AdminManager(call);
    this.stats = new StatsManager(call);
    this.calls = new CallsManager(call);
    this.meetings = new MeetingsManager(call, options.baseUrl);
    this.wire();
  }

  /**
   * Listen to an event; returns the function that stops listening.
   *
   * @example
   * const off = client.on('typing', ({ conversationId, userId, typing }) => showTyping(conversationId, userId, typing));
   * client.on('connection.state', ({ state }) => banner(state));
   * client.on('auth.lost', () => showLogin());
   * off();
   */
  on<K extends keyof ZhixinEvents>(event: K, listener: Listener<ZhixinEvents[K]>): Unsubscribe {
    return this.emitter.on(event, listener);
  }

  /** Listen to the next occurrence only. @example client.once('sync.completed', () => hideSpinner()); */
  once<K extends keyof ZhixinEvents>(event: K, listener: Listener<ZhixinEvents[K]>): Unsubscribe {
    return this.emitter.once(event, listener);
  }

  /**
   * Open the realtime connection (log in first). Resolves at the server's `hello`; after that the SDK
   * catches up on what was missed and keeps reconnecting until `close()`, logout or a lost session.
   * Rejects if the first attempt fails.
   *
   * @example
   * const hello = await client.connect();
   */
  async connect(): Promise<HelloFrame> {
    if (!(await this.tokens.load()))
      throw new ZhixinError('UNAUTHENTICATED', 'log in before connecting', { status: 0 });
    return this.realtime.connect();
  }

  /**
   * Close the connection and write pending state; the session stays (call `connect()` again later).
   * @example
   * await client.close();
   */
  async close(): Promise<void> {
    this.cancelHintedCatchUp();
    this.realtime.close();
    await this.syncer.flush();
  }

  /** `'connecting' | 'connected' | 'reconnecting' | 'disconnected'`. @example if (client.connectionState === 'connected') ... */
  get connectionState(): ConnectionState {
    return this.realtime.state;
  }

  /** The stored session once loaded (see `auth.session()`), else null. @example client.session?.userId */
  get session(): Session | null {
    return this.tokens.current;
  }

  /**
   * Catch up now (done by itself on every connect); useful for REST-only clients.
   * @example
   * const { conversations } = await client.syncNow();
   */
  syncNow(): Promise<SyncResult> {
    return this.syncer.sync();
  }

  /**
   * Call any operation of the protocol by name (over the WebSocket when connected, else REST).
   * @example
   * const me = await client.call('users.me', {});
   */
  call<N extends OpName>(name: N, request: OpRequest<N>): Promise<OpResponse<N>> {
    return this.routed(name, request);
  }

  private wire(): void {
    const { emitter, syncer, realtime } = this;
    syncer.on('message.created', (m) => emitter.emit('message.created', m));
    syncer.on('message.updated', (m) => emitter.emit('message.updated', m));
    syncer.on('sync.completed', (r) => emitter.emit('sync.completed', r));
    syncer.on('sync.error', (e) => emitter.emit('sync.error', e));
    realtime.on('state', (change) => {
      if (change.previous === 'connected') syncer.checkpoint(realtime.lastAliveServerTime());
      emitter.emit('connection.state', change);
    });
    realtime.on('hello', () => {
      syncer.sync().catch((err: unknown) => emitter.emit('sync.error', ZhixinError.from(err)));
    });
    realtime.on('event', (frame) => this.onServerEvent(frame));
    realtime.on('auth.lost', (err) => this.loseAuth(err));
    this.rest.on('auth.lost', (err) => this.loseAuth(err));
  }

  private onServerEvent(frame: EventFrame): void {
    switch (frame.event) {
      case 'message.created.v1':
        return this.syncer.receiveCreated(frame.body as ServerEvents['message.created']);
      case 'message.updated.v1':
        return this.syncer.receiveUpdated(frame.body as ServerEvents['message.updated']);
      case 'sync.hint.v1': {
        // Something may have been routed while this connection was being announced, or while its
        // node was cut off from the cluster: catch up again (a sync already running is followed by
        // one more), at a random moment of `spreadMs` when the node told all its devices at once.
        const body = frame.body as ServerEvents['sync.hint'];
        this.catchUpWithin(body.spreadMs ?? 0);
        return this.emitter.emit('sync.hint', body);
      }
      case 'session.revoked.v1': {
        const body = frame.body as ServerEvents['session.revoked'];
        this.emitter.emit('session.revoked', body);
        if (body.sessionId === this.tokens.current?.sessionId) {
          this.loseAuth(
            new ZhixinError('SESSION_REVOKED', 'this device has been logged out', { status: 401 }),
          );
        }
        return;
      }
      default: {
        const name = unversioned(frame.event);
        if (SERVER_EVENT_NAMES.has(name)) this.emitter.emit(name as keyof ServerEvents, frame.body as never);
      }
    }
  }

  private catchUpWithin(spreadMs: number): void {
    const catchUp = () =>
      this.syncer.sync().catch((err: unknown) => this.emitter.emit('sync.error', ZhixinError.from(err)));
    if (spreadMs <= 0) {
      void catchUp();
      return;
    }
    // One waiting catch-up covers every hint until it runs.
    if (this.hintedCatchUp !== undefined) return;
    this.hintedCatchUp = this.timers.setTimeout(
      () => {
        this.hintedCatchUp = undefined;
        void catchUp();
      },
      Math.floor(Math.random() * spreadMs),
    );
  }

  private cancelHintedCatchUp(): void {
    if (this.hintedCatchUp === undefined) return;
    this.timers.clearTimeout(this.hintedCatchUp);
    this.hintedCatchUp = undefined;
  }

  private loseAuth(err: ZhixinError): void {
    if (this.authLost) return;
    this.authLost = true;
    this.cancelHintedCatchUp();
    this.realtime.close();
    // Storage failures here must not hide the event; the next login overwrites the session anyway.
    this.tokens.clear().catch(() => undefined);
    this.syncer.reset().catch(() => undefined);
    this.emitter.emit('auth.lost', err);
  }
}
