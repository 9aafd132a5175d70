import { createLogger } from '../../platform/logger.ts';
import {
  JanusPool,
  JanusSocket,
  findExecutable,
  type JanusControl,
  type JanusMessage,
  type LiveServer,
} from '../../platform/media/index.ts';

/** Whether the janus binary is here; with CI=true a missing one is a failure, not a skip. */
export function janusInstalled(): boolean {
  const found = findExecutable('janus') !== null;
  if (!found && process.env.CI === 'true') throw new Error('CI=true but the janus binary is not installed');
  return found;
}

/** A browser-like client of the media proxy: the Janus API through `/janus?grant=...`. */
export class ProxyClient {
  private constructor(readonly socket: JanusSocket) {}

  static async open(port: number, wsUrl: string): Promise<ProxyClient> {
    return new ProxyClient(await JanusSocket.open(`ws://127.0.0.1:${port}${wsUrl}`, 'janus-protocol'));
  }

  /** Create a session and attach a videoroom handle. */
  async attach(): Promise<{ session: number; handle: number }> {
    const s = await this.socket.request({ janus: 'create' });
    const session = (s.data as { id: number }).id;
    const h = await this.socket.request({
      janus: 'attach',
      session_id: session,
      plugin: 'janus.plugin.videoroom',
    });
    return { session, handle: (h.data as { id: number }).id };
  }

  /** A videoroom request; resolves with Janus's answer (an `event`, or a proxy/Janus `error` rejection). */
  message(session: number, handle: number, body: Record<string, unknown>): Promise<JanusMessage> {
    return this.socket.request({ janus: 'message', session_id: session, handle_id: handle, body });
  }

  close(): void {
    this.socket.close();
  }
}

/** The videoroom data of a plugin answer. */
export function pluginData(msg: JanusMessage): Record<string, unknown> {
  return ((msg.plugindata as { data?: Record<string, unknown> } | undefined)?.data ?? {}) as Record<
    string,
    unknown
  >;
}

/** The one server of the in-memory pool. */
export const IN_MEMORY_JANUS = 'janus-memory';

/** Answers every videoroom request (create, destroy, kick, moderate) as a Janus that did it. */
class InMemoryControl {
  videoroom(): Promise<Record<string, unknown>> {
    return Promise.resolve({ videoroom: 'success' });
  }
  ping(): Promise<void> {
    return Promise.resolve();
  }
  close(): void {}
  onClose(): void {}
}

/**
 * A Janus pool with one always-live server that keeps nothing: meetings are created, joined and
 * moderated (grants signed, rooms "placed") without a media server, for tests of everything but the
 * media itself. Its server's WebSocket URL leads nowhere, so a proxied connection ends at once.
 */
export class InMemoryJanusPool extends JanusPool {
  // JanusControl is a class with a private constructor; the rooms only call these four methods.
  private readonly control = new InMemoryControl() as unknown as JanusControl;

  constructor() {
    super({ servers: [], embeddedBinary: null, healthCheckMs: 60_000, log: createLogger('silent') });
  }

  override get configured(): boolean {
    return true;
  }

  override start(): Promise<void> {
    return Promise.resolve();
  }

  override aliveIds(): string[] {
    return [IN_MEMORY_JANUS];
  }

  override live(id: string): LiveServer | null {
    if (id !== IN_MEMORY_JANUS) return null;
    return { id, wsUrl: 'ws://127.0.0.1:9/janus-memory', token: 'in-memory', control: this.control };
  }
}
