import { randomBytes } from 'node:crypto';
import type { Logger } from '../logger.ts';
import { addJanusToken, JanusControl } from './janus-client.ts';
import { findExecutable, startManagedJanus, type ManagedJanus } from './janus-process.ts';

/** One Janus server of the pool: its API and admin API (both WebSocket) and the admin secret. */
export interface JanusServerConfig {
  id: string;
  wsUrl: string;
  adminUrl: string;
  adminSecret: string;
}

export interface JanusPoolOptions {
  servers: readonly JanusServerConfig[];
  /** Start a Janus of our own on first use when this binary is installed (null: never). */
  embeddedBinary: string | null;
  healthCheckMs: number;
  log: Logger;
}

interface Member {
  config: JanusServerConfig;
  /** This node's API token on that server (added through its admin API). */
  token: string;
  control: JanusControl | null;
  alive: boolean;
  connecting: Promise<void> | null;
}

/** What callers need to talk to one live server. */
export interface LiveServer {
  id: string;
  wsUrl: string;
  token: string;
  control: JanusControl;
}

/**
 * The Janus servers meetings run on: the configured ones plus, when installed, one we start
 * ourselves on first use. Each is health-checked; when one stops answering, `onDown` listeners
 * move its rooms elsewhere. Every node adds its own API token to every server (`token_auth`).
 */
export class JanusPool {
  private readonly members = new Map<string, Member>();
  private readonly downListeners: Array<(serverId: string) => void> = [];
  private embedded: ManagedJanus | null = null;
  private starting: Promise<void> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly opts: JanusPoolOptions) {
    for (const config of opts.servers) this.add(config);
  }

  /** Whether meetings can have media at all (a server configured, or Janus installed). */
  get configured(): boolean {
    return this.members.size > 0 || this.opts.embeddedBinary !== null;
  }

  onDown(listener: (serverId: string) => void): void {
    this.downListeners.push(listener);
  }

  /** Connect to every server (starting the embedded one if needed) and begin health checks. */
  start(): Promise<void> {
    this.starting ??= (async () => {
      if (this.opts.embeddedBinary !== null && !this.embedded) {
        try {
          this.embedded = await startManagedJanus({
            binary: this.opts.embeddedBinary,
            log: this.opts.log,
            restart: true,
          });
          this.add(this.embedded.server);
        } catch (err) {
          this.opts.log.error({ err }, 'could not start the embedded janus');
        }
      }
      await Promise.all([...this.members.values()].map((m) => this.connect(m)));
      if (!this.closed && !this.timer) {
        this.timer = setInterval(() => void this.check(), this.opts.healthCheckMs);
        this.timer.unref();
      }
    })();
    return this.starting;
  }

  /** Ids of the servers answering now. */
  aliveIds(): string[] {
    return [...this.members.values()].filter((m) => m.alive).map((m) => m.config.id);
  }

  /** A live server by id, or null when it is unknown or down. */
  live(id: string): LiveServer | null {
    const m = this.members.get(id);
    if (!m || !m.alive || !m.control) return null;
    return { id, wsUrl: m.config.wsUrl, token: m.token, control: m.control };
  }

  /** Check every server now (the timer does it every `healthCheckMs`). */
  async check(): Promise<void> {
    await Promise.all(
      [...this.members.values()].map(async (m) => {
        if (!m.alive) return this.connect(m);
        try {
          await m.control!.ping(Math.min(2000, this.opts.healthCheckMs));
        } catch {
          this.markDown(m);
        }
      }),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.starting?.catch(() => undefined);
    for (const m of this.members.values()) m.control?.close();
    await this.embedded?.stop();
  }

  private add(config: JanusServerConfig): void {
    this.members.set(config.id, {
      config,
      token: randomBytes(24).toString('base64url'),
      control: null,
      alive: false,
      connecting: null,
    });
  }

  private connect(m: Member): Promise<void> {
    m.connecting ??= (async () => {
      try {
        await addJanusToken(m.config.adminUrl, m.config.adminSecret, m.token);
        const control = await JanusControl.connect(m.config.wsUrl, m.token);
        if (this.closed) return control.close();
        m.control = control;
        m.alive = true;
        control.onClose(() => this.markDown(m));
        this.opts.log.info({ janus: m.config.id }, 'janus server up');
      } catch (err) {
        this.opts.log.debug({ err, janus: m.config.id }, 'janus server not reachable');
      } finally {
        m.connecting = null;
      }
    })();
    return m.connecting;
  }

  private markDown(m: Member): void {
    if (!m.alive) return;
    m.alive = false;
    m.control?.close();
    m.control = null;
    if (this.closed) return;
    this.opts.log.warn({ janus: m.config.id }, 'janus server down');
    for (const l of this.downListeners) l(m.config.id);
  }
}

/** The pool a config describes. */
/**
 * With `zhixin start --workers N` the primary starts the node's one embedded Janus and hands it to
 * every worker in this variable (JSON of a JanusServerConfig): a meeting's participants reach
 * different workers, and every worker must place and find its room on the same Janus.
 */
export const SHARED_JANUS_ENV = 'ZX_SHARED_JANUS';

/** The node's shared Janus from the environment, if the primary started one. */
export function sharedJanusFromEnv(env: NodeJS.ProcessEnv = process.env): JanusServerConfig | null {
  const raw = env[SHARED_JANUS_ENV];
  if (!raw) return null;
  const parsed = JSON.parse(raw) as Partial<JanusServerConfig>;
  const fields = [parsed.id, parsed.wsUrl, parsed.adminUrl, parsed.adminSecret];
  if (!fields.every((f) => typeof f === 'string' && f.length > 0))
    throw new Error(`${SHARED_JANUS_ENV} must hold id, wsUrl, adminUrl and adminSecret`);
  return parsed as JanusServerConfig;
}

/** The `janus` to start as the embedded one: with `embeddedJanus: auto`, when it is installed. */
export function embeddedJanusBinary(media: {
  embeddedJanus: 'auto' | 'off';
  janusBinary: string;
}): string | null {
  return media.embeddedJanus === 'auto' ? findExecutable(media.janusBinary) : null;
}

export function poolFromConfig(
  media: {
    janus: readonly JanusServerConfig[];
    embeddedJanus: 'auto' | 'off';
    janusBinary: string;
    healthCheckSeconds: number;
  },
  log: Logger,
  env: NodeJS.ProcessEnv = process.env,
): JanusPool {
  // A worker of a cluster uses the primary's Janus and never starts one of its own.
  const shared = sharedJanusFromEnv(env);
  const binary = shared ? null : embeddedJanusBinary(media);
  return new JanusPool({
    servers: shared ? [...media.janus, shared] : media.janus,
    embeddedBinary: binary,
    healthCheckMs: media.healthCheckSeconds * 1000,
    log,
  });
}
