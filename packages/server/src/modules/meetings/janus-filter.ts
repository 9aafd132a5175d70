/** What one proxied connection may do in Janus: the granted room, feeds and display. */
export interface ProxyGrant {
  room: number;
  feedId: number;
  screenFeedId: number;
  display: string;
}

/** What the proxy adds to requests: our Janus API token and the room pin. */
export interface ProxySecrets {
  token: string;
  pin: string;
}

/** Sessions and handles this connection created (learned from Janus's answers). */
export class ProxyState {
  readonly sessions = new Set<number>();
  readonly handles = new Set<number>();
  /** Client transactions of `create` / `attach` requests waiting for their answer. */
  readonly pending = new Map<string, 'create' | 'attach'>();
  /** Publisher handles and the feed id they joined with. */
  readonly publishers = new Map<number, number>();

  /** The audio mids a publisher handle's event reports (Janus's `configured` answer lists its streams). */
  publishedAudio(reply: Record<string, unknown>): { feedId: number; mids: string[] } | null {
    if (reply.janus !== 'event' || typeof reply.sender !== 'number') return null;
    const feedId = this.publishers.get(reply.sender);
    const streams = (reply.plugindata as { data?: { streams?: unknown } } | undefined)?.data?.streams;
    if (feedId === undefined || !Array.isArray(streams)) return null;
    const mids = streams
      .filter(
        (s): s is { type: string; mid: string } =>
          isRecord(s) && s.type === 'audio' && typeof s.mid === 'string',
      )
      .map((s) => s.mid);
    return { feedId, mids };
  }

  /** Learn session and handle ids from Janus's answers. */
  observe(reply: Record<string, unknown>): void {
    const tx = typeof reply.transaction === 'string' ? reply.transaction : undefined;
    const kind = tx === undefined ? undefined : this.pending.get(tx);
    if (kind === undefined || reply.janus === 'ack') return;
    this.pending.delete(tx as string);
    const id = (reply.data as { id?: unknown } | undefined)?.id;
    if (reply.janus !== 'success' || typeof id !== 'number') return;
    (kind === 'create' ? this.sessions : this.handles).add(id);
  }
}

export type FilterResult = { ok: true; frame: Record<string, unknown> } | { ok: false; reason: string };

const MAX_SESSIONS = 4;
const MAX_HANDLES = 16;

/** Videoroom requests a participant may make; anything else (create, destroy, kick, moderate, list...) is refused. */
const ALLOWED_REQUESTS = new Set([
  'join',
  'joinandconfigure',
  'configure',
  'publish',
  'unpublish',
  'start',
  'pause',
  'switch',
  'update',
  'subscribe',
  'unsubscribe',
  'leave',
  'listparticipants',
]);

const refuse = (reason: string): FilterResult => ({ ok: false, reason });

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function filterBody(body: Record<string, unknown>, grant: ProxyGrant, pin: string): FilterResult {
  const request = body.request;
  if (typeof request !== 'string' || !ALLOWED_REQUESTS.has(request)) {
    return refuse(`videoroom request not allowed: ${String(request)}`);
  }
  if ('room' in body && body.room !== grant.room) return refuse('another room');
  // Recording and forwarding stay with the server.
  for (const key of ['record', 'filename', 'secret', 'admin_key']) {
    if (key in body) return refuse(`${key} not allowed`);
  }
  const out: Record<string, unknown> = { ...body };
  if (request === 'join' || request === 'joinandconfigure') {
    if (body.room !== grant.room) return refuse('join needs the granted room');
    if (body.ptype === 'publisher') {
      if (body.id !== grant.feedId && body.id !== grant.screenFeedId)
        return refuse('publisher id not granted');
      out.display = grant.display;
    } else if (body.ptype !== 'subscriber') {
      return refuse('ptype must be publisher or subscriber');
    }
    out.pin = pin;
  }
  if ((request === 'configure' || request === 'publish') && 'display' in body) out.display = grant.display;
  return { ok: true, frame: out };
}

/**
 * Decide one client frame of the Janus API: refuse what a participant may not do, and add the
 * token (and, on joins, the room pin and the granted display). `state` knows the connection's own
 * sessions and handles: every request naming another is refused.
 */
export function filterClientFrame(
  frame: unknown,
  grant: ProxyGrant,
  state: ProxyState,
  secrets: ProxySecrets,
): FilterResult {
  if (!isRecord(frame) || typeof frame.janus !== 'string' || typeof frame.transaction !== 'string') {
    return refuse('not a Janus request');
  }
  const { janus } = frame;
  const base = { ...frame, token: secrets.token };
  delete (base as { apisecret?: unknown }).apisecret;
  if (janus === 'create') {
    if (state.sessions.size + state.pending.size >= MAX_SESSIONS + MAX_HANDLES)
      return refuse('too many sessions');
    if (state.sessions.size >= MAX_SESSIONS) return refuse('too many sessions');
    state.pending.set(frame.transaction, 'create');
    return { ok: true, frame: base };
  }
  if (typeof frame.session_id !== 'number' || !state.sessions.has(frame.session_id)) {
    return refuse('not a session of this connection');
  }
  if (janus === 'keepalive' || janus === 'destroy') return { ok: true, frame: base };
  if (janus === 'attach') {
    if (frame.plugin !== 'janus.plugin.videoroom') return refuse('only the videoroom plugin');
    if (state.handles.size >= MAX_HANDLES) return refuse('too many handles');
    state.pending.set(frame.transaction, 'attach');
    return { ok: true, frame: base };
  }
  if (typeof frame.handle_id !== 'number' || !state.handles.has(frame.handle_id)) {
    return refuse('not a handle of this connection');
  }
  if (janus === 'trickle' || janus === 'detach' || janus === 'hangup') return { ok: true, frame: base };
  if (janus !== 'message') return refuse(`request not allowed: ${janus}`);
  if (!isRecord(frame.body)) return refuse('message without body');
  const body = filterBody(frame.body, grant, secrets.pin);
  if (!body.ok) return body;
  if (frame.body.ptype === 'publisher' && typeof frame.body.id === 'number') {
    state.publishers.set(frame.handle_id, frame.body.id);
  }
  return { ok: true, frame: { ...base, body: body.frame } };
}
