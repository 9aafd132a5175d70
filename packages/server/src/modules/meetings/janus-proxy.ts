import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { statusOf } from '@zhixin/protocol';
import WebSocket, { WebSocketServer } from 'ws';
import { AppError } from '../../errors.ts';
import type { Broker, Subscription } from '../../platform/broker/index.ts';
import type { Logger } from '../../platform/logger.ts';
import type { GrantClaims, LiveServer } from '../../platform/media/index.ts';
import { filterClientFrame, ProxyState, type ProxySecrets } from './janus-filter.ts';
import { REVOKE_SUBJECT, type RevokeMessage } from './meetings.context.ts';

export const JANUS_PROXY_PATH = '/janus';
const PROTOCOL = 'janus-protocol';
/** Largest client frame (an SDP offer with many streams fits easily). */
const MAX_FRAME_BYTES = 256 * 1024;

/** What the meetings module answers for a grant: its claims, the live server and the secrets to add. */
export interface AuthorizedGrant {
  claims: GrantClaims;
  server: LiveServer;
  secrets: ProxySecrets;
}

export interface JanusProxyDeps {
  /** Throws MEDIA_GRANT_INVALID (forged, expired, revoked, moved) or MEDIA_UNAVAILABLE. */
  authorize(grant: string): Promise<AuthorizedGrant>;
  /** A participant's feed publishes these audio mids (host mutes `moderate` them). */
  published(claims: GrantClaims, feedId: number, audioMids: string[]): void;
  broker: Broker;
  log: Logger;
}

interface ProxyConnection {
  meetingId: string;
  userId: string;
  close(): void;
}

function refuseUpgrade(socket: Duplex, code: string): void {
  const status = statusOf(code);
  const body = JSON.stringify({ error: { code, message: code } });
  socket.end(
    `HTTP/1.1 ${status} ${code}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  socket.destroy();
}

/**
 * The WebSocket proxy browsers reach Janus through: `/janus?grant=...`. The grant is checked before
 * the upgrade; then every client frame goes through `filterClientFrame` (refused ones are answered
 * with a Janus-style error and never forwarded) and Janus's frames go back unchanged. Revocations
 * on the broker (removed, meeting ended, room moved) close the matching connections on every node.
 */
export class JanusProxy {
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: MAX_FRAME_BYTES,
    clientTracking: false,
    handleProtocols: (protocols) => (protocols.has(PROTOCOL) ? PROTOCOL : false),
  });
  private readonly live = new Set<ProxyConnection>();
  private readonly sub: Subscription;

  constructor(private readonly deps: JanusProxyDeps) {
    this.sub = deps.broker.subscribe(REVOKE_SUBJECT, (payload) => {
      const msg = payload as RevokeMessage;
      for (const conn of [...this.live]) {
        if (conn.meetingId === msg.meetingId && (msg.userId === undefined || conn.userId === msg.userId)) {
          conn.close();
        }
      }
    });
  }

  /** The upgrade handler for `/janus`. */
  readonly upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    let grant: string | null = null;
    try {
      grant = new URL(req.url ?? '/', 'http://localhost').searchParams.get('grant');
    } catch {
      grant = null;
    }
    if (!grant) return refuseUpgrade(socket, 'MEDIA_GRANT_INVALID');
    this.deps.authorize(grant).then(
      (auth) => this.wss.handleUpgrade(req, socket, head, (client) => this.pipe(client, auth)),
      (err: unknown) => refuseUpgrade(socket, err instanceof AppError ? err.code : 'INTERNAL'),
    );
  };

  /** How many proxied connections this node holds. */
  get connections(): number {
    return this.live.size;
  }

  close(): void {
    this.sub.unsubscribe();
    for (const conn of [...this.live]) conn.close();
  }

  private pipe(client: WebSocket, auth: AuthorizedGrant): void {
    const upstream = new WebSocket(auth.server.wsUrl, PROTOCOL, { perMessageDeflate: false });
    const state = new ProxyState();
    const queued: string[] = [];
    const conn: ProxyConnection = {
      meetingId: auth.claims.meetingId,
      userId: auth.claims.userId,
      close: () => {
        this.live.delete(conn);
        client.close(4403, 'revoked');
        upstream.terminate();
      },
    };
    this.live.add(conn);
    const end = () => {
      this.live.delete(conn);
      if (client.readyState === WebSocket.OPEN) client.close();
      if (upstream.readyState !== WebSocket.CLOSED) upstream.terminate();
    };
    upstream.on('open', () => {
      for (const frame of queued.splice(0)) upstream.send(frame);
    });
    upstream.on('message', (data) => {
      const text = String(data);
      try {
        const reply = JSON.parse(text) as Record<string, unknown>;
        state.observe(reply);
        const audio = state.publishedAudio(reply);
        if (audio) this.deps.published(auth.claims, audio.feedId, audio.mids);
      } catch {
        return;
      }
      if (client.readyState === WebSocket.OPEN) client.send(text);
    });
    upstream.on('close', end);
    upstream.on('error', end);
    client.on('close', end);
    client.on('error', end);
    client.on('message', (data, isBinary) => {
      let frame: unknown;
      try {
        frame = isBinary ? undefined : JSON.parse(String(data));
      } catch {
        frame = undefined;
      }
      const result = filterClientFrame(frame, auth.claims, state, auth.secrets);
      if (!result.ok) {
        const transaction = (frame as { transaction?: unknown } | undefined)?.transaction;
        client.send(
          JSON.stringify({
            janus: 'error',
            ...(typeof transaction === 'string' ? { transaction } : {}),
            error: { code: 403, reason: `refused by the proxy: ${result.reason}` },
          }),
        );
        return;
      }
      const text = JSON.stringify(result.frame);
      if (upstream.readyState === WebSocket.OPEN) upstream.send(text);
      else queued.push(text);
    });
  }
}
