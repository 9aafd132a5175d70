import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';

/** A frame of the Janus API (JSON over WebSocket). */
export type JanusMessage = Record<string, unknown> & { janus?: string; transaction?: string };

export type JanusProtocol = 'janus-protocol' | 'janus-admin-protocol';

/** An error Janus answered (`janus: error`) or a videoroom request it refused (`error_code`). */
export class JanusError extends Error {
  constructor(
    readonly code: number,
    reason: string,
  ) {
    super(`janus error ${code}: ${reason}`);
  }
}

interface Pending {
  /** Resolve on an `ack` too (keepalive and trickle answer only that). */
  ack: boolean;
  resolve(msg: JanusMessage): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

const transactionId = () => randomBytes(9).toString('base64url');

/**
 * One WebSocket to Janus with request/response matching by `transaction`: `ack` frames are skipped
 * (a plugin request answers `ack` then an `event`; `trickle` only `ack` — use `send` for those).
 * Frames with no waiting transaction go to the event listener.
 */
export class JanusSocket {
  private readonly pending = new Map<string, Pending>();
  private closeListeners: Array<() => void> = [];
  private eventListener: ((msg: JanusMessage) => void) | undefined;
  private closed = false;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => this.receive(String(data)));
    ws.on('close', () => this.handleClose());
    ws.on('error', () => this.handleClose());
  }

  /** Open a socket; rejects when Janus does not answer the upgrade within `timeoutMs`. */
  static open(url: string, protocol: JanusProtocol, timeoutMs = 5000): Promise<JanusSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, protocol, { handshakeTimeout: timeoutMs, perMessageDeflate: false });
      ws.once('open', () => resolve(new JanusSocket(ws)));
      ws.once('error', (err) => reject(err));
    });
  }

  get isOpen(): boolean {
    return !this.closed && this.ws.readyState === WebSocket.OPEN;
  }

  onEvent(listener: (msg: JanusMessage) => void): void {
    this.eventListener = listener;
  }

  onClose(listener: () => void): void {
    if (this.closed) listener();
    else this.closeListeners.push(listener);
  }

  /** Send a request and wait for its first answer that is not an `ack` (or any answer, with `ack`). */
  request(msg: JanusMessage, timeoutMs = 5000, ack = false): Promise<JanusMessage> {
    if (!this.isOpen) return Promise.reject(new Error('janus socket closed'));
    const transaction = transactionId();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(transaction);
        reject(new Error(`janus did not answer ${String(msg.janus)} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(transaction, { ack, resolve, reject, timer });
      this.ws.send(JSON.stringify({ ...msg, transaction }));
    }).then((reply) => {
      const answer = reply as JanusMessage;
      if (answer.janus === 'error') {
        const error = answer.error as { code?: number; reason?: string } | undefined;
        throw new JanusError(error?.code ?? 0, error?.reason ?? 'unknown');
      }
      return answer;
    });
  }

  close(): void {
    this.ws.close();
    this.handleClose();
  }

  private receive(text: string): void {
    let msg: JanusMessage;
    try {
      msg = JSON.parse(text) as JanusMessage;
    } catch {
      return;
    }
    const waiting = typeof msg.transaction === 'string' ? this.pending.get(msg.transaction) : undefined;
    if (waiting && (msg.janus !== 'ack' || waiting.ack)) {
      this.pending.delete(msg.transaction as string);
      clearTimeout(waiting.timer);
      waiting.resolve(msg);
      return;
    }
    if (!waiting) this.eventListener?.(msg);
  }

  private handleClose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error('janus socket closed'));
    }
    this.pending.clear();
    const listeners = this.closeListeners;
    this.closeListeners = [];
    for (const l of listeners) l();
  }
}

/** Add an API token through the admin API, allowed to use only the videoroom plugin. */
export async function addJanusToken(adminUrl: string, adminSecret: string, token: string): Promise<void> {
  const admin = await JanusSocket.open(adminUrl, 'janus-admin-protocol');
  try {
    await admin.request({
      janus: 'add_token',
      token,
      plugins: ['janus.plugin.videoroom'],
      admin_secret: adminSecret,
    });
  } finally {
    admin.close();
  }
}

/**
 * The server's own control session on one Janus: a session with a videoroom handle for room
 * management (create, destroy, kick, moderate) with the room secrets, kept alive every 25 s.
 */
export class JanusControl {
  private keepalive: NodeJS.Timeout | undefined;

  private constructor(
    private readonly socket: JanusSocket,
    private readonly token: string,
    private readonly sessionId: number,
    private readonly handleId: number,
  ) {
    this.keepalive = setInterval(() => {
      this.socket
        .request({ janus: 'keepalive', session_id: sessionId, token }, 5000, true)
        .catch(() => undefined);
    }, 25_000);
    this.keepalive.unref();
    socket.onClose(() => clearInterval(this.keepalive));
  }

  static async connect(wsUrl: string, token: string): Promise<JanusControl> {
    const socket = await JanusSocket.open(wsUrl, 'janus-protocol');
    try {
      const session = await socket.request({ janus: 'create', token });
      const sessionId = (session.data as { id: number }).id;
      const handle = await socket.request({
        janus: 'attach',
        session_id: sessionId,
        plugin: 'janus.plugin.videoroom',
        token,
      });
      return new JanusControl(socket, token, sessionId, (handle.data as { id: number }).id);
    } catch (err) {
      socket.close();
      throw err;
    }
  }

  get isOpen(): boolean {
    return this.socket.isOpen;
  }

  onClose(listener: () => void): void {
    this.socket.onClose(listener);
  }

  /** A synchronous videoroom request (create, destroy, kick, moderate, exists, listparticipants). */
  async videoroom(body: Record<string, unknown>, timeoutMs = 5000): Promise<Record<string, unknown>> {
    const reply = await this.socket.request(
      { janus: 'message', session_id: this.sessionId, handle_id: this.handleId, token: this.token, body },
      timeoutMs,
    );
    const data = ((reply.plugindata as { data?: Record<string, unknown> } | undefined)?.data ?? {}) as Record<
      string,
      unknown
    >;
    if (typeof data.error_code === 'number') {
      throw new JanusError(data.error_code, typeof data.error === 'string' ? data.error : 'videoroom error');
    }
    return data;
  }

  /** Answers when Janus is alive (a keepalive of the control session). */
  async ping(timeoutMs: number): Promise<void> {
    await this.socket.request(
      { janus: 'keepalive', session_id: this.sessionId, token: this.token },
      timeoutMs,
      true,
    );
  }

  close(): void {
    clearInterval(this.keepalive);
    this.socket.close();
  }
}
