import { JanusSocket, findExecutable, type JanusMessage } from '../../platform/media/index.ts';

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
