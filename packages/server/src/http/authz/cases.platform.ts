import { PROTOCOL_VERSION, type JoinMeetingResult } from '@zhixin/protocol';
import WebSocket from 'ws';
import { TestClient } from '../../gateway/testing.ts';
import { InMemoryJanusPool } from '../../modules/meetings/meetings.testing.ts';
import type { TestAppOptions } from '../../testing/app.ts';
import { mustCall } from '../../testing/factories.ts';
import {
  ANYONE,
  SIGNED_IN,
  type CallerKind,
  type OpCase,
  type RawOutcome,
  type RouteCase,
  type World,
} from './authz.types.ts';
import { AUTHZ_LICENSE_PUBLIC_KEY } from './cases.admin.ts';
import { injectAs, outcomeOf, tokenOf } from './runner.ts';

/**
 * What the world's app needs for every case to be provable: a license key an administrator can
 * really install a license with, and meetings that work without a media server (the in-memory
 * Janus pool: grants, rooms and host controls, no media).
 */
export function authzAppOptions(): TestAppOptions {
  return {
    config: { license: { publicKeys: [AUTHZ_LICENSE_PUBLIC_KEY] } },
    janusPool: new InMemoryJanusPool(),
  };
}

/** No operations of its own: this area is the routes beside the API. */
export const opCases: OpCase[] = [];

/** The port the world's app listens on (the runner listens before building the world). */
function portOf(w: World): number {
  const address = w.app.http.server.address();
  if (!address || typeof address === 'string') throw new Error('the world app is not listening');
  return address.port;
}

const get = (url: string, headers: Record<string, string> = {}) => ({ method: 'GET' as const, url, headers });

/** The first outcome that is not a success, else the last: an allowed caller must pass every step. */
function allSucceed(outcomes: readonly RawOutcome[]): RawOutcome {
  return outcomes.find((o) => o.status < 200 || o.status >= 300) ?? outcomes[outcomes.length - 1]!;
}

/** A GET as `caller` that follows one redirect (the reference page's old address sends to the new). */
async function followingRedirect(w: World, caller: CallerKind, url: string): Promise<RawOutcome> {
  const token = tokenOf(w, caller);
  const first = await w.app.http.inject(get(url, token ? { authorization: `Bearer ${token}` } : {}));
  const location = first.headers.location;
  if (first.statusCode < 300 || first.statusCode >= 400 || typeof location !== 'string') {
    return outcomeOf(first.statusCode, first.body);
  }
  return injectAs(w, caller, get(new URL(location, `http://localhost${url}`).pathname));
}

/**
 * `/ws`: anyone may open the socket (authentication is the first frame, so a page of another origin
 * gains nothing), but nothing is served before a valid token: a request before `auth` is refused,
 * a valid token is answered `hello`. A signed-in caller's outcome is 101 once the hello arrives.
 */
async function attemptWs(w: World, caller: CallerKind): Promise<RawOutcome> {
  const client = await TestClient.connect(`ws://127.0.0.1:${portOf(w)}/ws`);
  try {
    const token = tokenOf(w, caller);
    if (!token) {
      // A request before auth, then an auth frame with a forged token: both must be refused.
      const res = await client.request('users.me', {});
      if (res.ok === true) return { status: 200 };
      client.send({ type: 'auth', v: PROTOCOL_VERSION, accessToken: 'eyJhbGciOiJIUzI1NiJ9.e30.forged' });
      const answer = await client.next((f) => f.type === 'hello' || f.type === 'error');
      const code = (answer.error as { code?: string } | undefined)?.code;
      return answer.type === 'hello' ? { status: 101 } : { status: 401, ...(code ? { code } : {}) };
    }
    client.send({ type: 'auth', v: PROTOCOL_VERSION, accessToken: token });
    const answer = await client.next((f) => f.type === 'hello' || f.type === 'error');
    return answer.type === 'hello' ? { status: 101 } : { status: 401 };
  } finally {
    client.close();
  }
}

/** A raw WebSocket upgrade: 101 when accepted, else the HTTP status (and error code) of the refusal. */
function upgrade(url: string, protocol: string): Promise<RawOutcome> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocol, { perMessageDeflate: false });
    ws.on('open', () => {
      ws.terminate();
      resolve({ status: 101 });
    });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += String(chunk)));
      res.on('end', () => {
        ws.terminate();
        resolve(outcomeOf(res.statusCode ?? 0, body));
      });
    });
    ws.on('error', reject);
  });
}

/** The grant `user` got joining a fresh meeting hosted by the world's owner (who let them in). */
async function joinFresh(w: World, caller: 'owner' | 'member' | 'groupAdmin'): Promise<JoinMeetingResult> {
  const { owner } = w.users;
  const meeting = await mustCall(w.app, 'meetings.create', { topic: '媒体代理' }, owner.accessToken);
  return mustCall(w.app, 'meetings.join', { meetingId: meeting.id }, w.users[caller].accessToken);
}

/**
 * `/janus?grant=`: the media proxy lets in the holder of a grant meetings.join signed, while it is
 * good. The owner opens it with their own grant; the member's grant is dead once the host removed
 * them, the group admin's once the meeting ended; the stranger's is forged (another room); the
 * others bring none (staff have no media access of their own).
 */
async function attemptJanus(w: World, caller: CallerKind): Promise<RawOutcome> {
  const base = `ws://127.0.0.1:${portOf(w)}/janus`;
  const owner = w.users.owner.accessToken;
  let grant: string | null = null;
  if (caller === 'owner') grant = (await joinFresh(w, 'owner')).media.grant;
  if (caller === 'member') {
    const joined = await joinFresh(w, 'member');
    const meetingId = joined.meeting.id;
    await mustCall(w.app, 'meetings.remove', { meetingId, userId: w.users.member.userId }, owner);
    grant = joined.media.grant;
  }
  if (caller === 'groupAdmin') {
    const joined = await joinFresh(w, 'groupAdmin');
    await mustCall(w.app, 'meetings.end', { meetingId: joined.meeting.id }, owner);
    grant = joined.media.grant;
  }
  if (caller === 'stranger') {
    const [prefix, body, mac] = (await joinFresh(w, 'owner')).media.grant.split('.');
    const claims = JSON.parse(Buffer.from(body!, 'base64url').toString('utf8')) as { room: number };
    const forged = Buffer.from(JSON.stringify({ ...claims, room: claims.room + 1 })).toString('base64url');
    grant = `${prefix}.${forged}.${mac}`;
  }
  return upgrade(grant ? `${base}?grant=${encodeURIComponent(grant)}` : base, 'janus-protocol');
}

/**
 * `/metrics` as the world's app serves it: without `http.metricsToken` (the default) only to this
 * host, so every caller, coming from a network address, is refused; server.test.ts proves the
 * loopback and token paths.
 */
async function attemptMetrics(w: World, caller: CallerKind): Promise<RawOutcome> {
  if (w.app.platform.config.http.metricsToken)
    throw new Error('this case proves the default (no http.metricsToken); server.test.ts proves the token');
  return injectAs(w, caller, get('/metrics'));
}

/** Health, metrics, the API's documentation, the web client, and the WebSocket upgrades. */
export const routeCases: RouteCase[] = [
  {
    route: 'GET /healthz',
    allow: ANYONE,
    rule: 'anyone (liveness: the node id, nothing else)',
    attempt: (w, caller) => injectAs(w, caller, get('/healthz')),
  },
  {
    route: 'GET /readyz',
    allow: ANYONE,
    rule: 'anyone (readiness: the node id, nothing else)',
    attempt: (w, caller) => injectAs(w, caller, get('/readyz')),
  },
  {
    route: 'GET /metrics',
    allow: [],
    rule: 'no user: the host itself while http.metricsToken is unset (the default), else that bearer token',
    attempt: attemptMetrics,
  },
  {
    route: 'GET /api/openapi.json',
    allow: ANYONE,
    rule: 'anyone (the API description; no data)',
    attempt: (w, caller) => injectAs(w, caller, get('/api/openapi.json')),
  },
  {
    route: 'GET /api/docs',
    allow: ANYONE,
    rule: 'anyone (the API reference page; no data)',
    attempt: (w, caller) => injectAs(w, caller, get('/api/docs')),
  },
  {
    route: 'GET /api/docs/json',
    allow: ANYONE,
    rule: 'anyone (the API description; no data)',
    attempt: (w, caller) => injectAs(w, caller, get('/api/docs/json')),
  },
  {
    route: 'GET /api/docs/yaml',
    allow: ANYONE,
    rule: 'anyone (the API description; no data)',
    attempt: (w, caller) => injectAs(w, caller, get('/api/docs/yaml')),
  },
  {
    route: 'GET /api/docs/static/index.html',
    allow: ANYONE,
    rule: 'anyone (the API reference page; no data)',
    attempt: (w, caller) => followingRedirect(w, caller, '/api/docs/static/index.html'),
  },
  {
    route: 'GET /api/docs/static/swagger-initializer.js',
    allow: ANYONE,
    rule: 'anyone (the API reference page; no data)',
    attempt: (w, caller) => injectAs(w, caller, get('/api/docs/static/swagger-initializer.js')),
  },
  {
    route: 'GET /api/docs/static/*',
    allow: ANYONE,
    rule: 'anyone (the API reference page’s scripts and styles)',
    attempt: (w, caller) => injectAs(w, caller, get('/api/docs/static/swagger-ui.css')),
  },
  {
    route: 'GET /*',
    allow: ANYONE,
    rule: 'anyone (the web client: its files, and index.html for every browser navigation no route takes)',
    attempt: async (w, caller) =>
      allSucceed([
        await injectAs(w, caller, get('/')),
        await injectAs(w, caller, get('/manifest.webmanifest')),
        await injectAs(w, caller, get('/chats/some-chat', { accept: 'text/html' })),
      ]),
  },
  {
    route: 'OPTIONS *',
    allow: [],
    rule: 'nobody while http.corsOrigins is empty (the default: no other origin may call the API); else a preflight from a listed origin',
    attempt: (w, caller) =>
      injectAs(w, caller, {
        method: 'OPTIONS',
        url: '/api/v1/users/me',
        headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'GET' },
      }),
  },
  {
    route: 'GET /ws',
    allow: SIGNED_IN,
    rule: 'a valid access token in the first frame (before it every request is refused; a bad token closes the socket)',
    attempt: attemptWs,
  },
  {
    route: 'GET /janus',
    allow: ['owner'],
    rule: 'the holder of a live grant from meetings.join (none, forged, revoked or of an ended meeting: 401)',
    attempt: attemptJanus,
  },
];
