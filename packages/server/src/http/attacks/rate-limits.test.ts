import { API_PREFIX, Operations, pathParams, PROTOCOL_VERSION, type OpName } from '@zhixin/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { TestClient } from '../../gateway/testing.ts';
import { TusTestClient } from '../../modules/files/files.testing.ts';
import { buildTestApp } from '../../testing/app.ts';
import { callOp, randomPhone, staffUser, testDevice, type TestUser } from '../../testing/factories.ts';
import { CALLER_LIMITS_PER_MINUTE } from '../caller-limits.ts';
import { SENSITIVE_LIMITS } from '../rest.ts';

/**
 * Attack: guess or flood through an operation faster than a person could. Every public operation
 * that guards a credential or sends SMS is limited per address; every signed-in operation that
 * guesses (phone numbers, codes) or floods others is limited per caller, on REST and WebSocket.
 */

const ID = '01JD3Q8Z5K7M9N2P4R6T8V0X1Y';

/** A schema-valid body for each public, per-address limited operation (the first test checks the list is whole). */
const PUBLIC_BODIES: Partial<Record<OpName, () => Record<string, unknown>>> = {
  'auth.sendSmsCode': () => ({ phone: randomPhone(), purpose: 'login' }),
  'auth.register': () => ({
    phone: randomPhone(),
    code: '000000',
    password: 'a fine passphrase',
    nickname: 'x',
    device: testDevice(),
  }),
  'auth.loginPassword': () => ({ phone: randomPhone(), password: 'a wrong guess', device: testDevice() }),
  'auth.loginSms': () => ({ phone: randomPhone(), code: '000000', device: testDevice() }),
  'auth.resetPassword': () => ({ phone: randomPhone(), code: '000000', password: 'a fine passphrase' }),
  'auth.refresh': () => ({ refreshToken: 'not-a-token' }),
  'auth.quickLogin.start': () => ({ device: testDevice() }),
  'auth.quickLogin.status': () => ({ attemptId: ID, pollToken: 'guess', waitMs: 0 }),
};

/** A schema-valid body for each per-caller limited operation (the handler may still refuse it). */
const CALLER_BODIES: Partial<Record<OpName, Record<string, unknown>>> = {
  'friends.search': { query: '13800000000' },
  'codes.resolve': { code: 'zx:guess' },
  'groups.preview': { code: 'guess' },
  'groups.joinByCode': { code: 'guess' },
  'meetings.join': { code: '123456789' },
  'auth.changePassword': { oldPassword: 'a wrong guess', newPassword: 'a fine passphrase' },
  'auth.quickLogin.scan': { code: 'guess' },
  'auth.quickLogin.confirm': { attemptId: ID, allow: true },
  'users.setAccount': { account: 'taken_name' },
  'friends.request': { userId: ID, message: 'hi' },
  'contacts.add': { userId: ID },
  'moments.report': { postId: ID, reason: 'spam' },
  'moments.comment': { postId: ID, text: 'spam' },
  'calls.start': { conversationId: ID, media: 'audio' },
  'meetings.create': { topic: 'flood' },
  'meetings.invite': { meetingId: ID, userIds: [ID] },
  'groups.create': { title: 'flood', memberIds: [] },
  'images.upload': { mime: 'image/png', dataBase64: 'AAAA' },
  'exports.ticket': { kind: 'users', format: 'csv' },
  'files.link': { id: ID },
};

/** `n` REST calls of an operation from one address; the statuses, in order. */
async function fromOneAddress(app: App, name: OpName, n: number, body: () => Record<string, unknown>) {
  const def = Operations[name];
  const statuses: number[] = [];
  let last: { error?: { code: string } } = {};
  for (let i = 0; i < n; i++) {
    const input = body();
    let url = API_PREFIX + def.path;
    for (const p of pathParams(def.path)) url = url.replace(`{${p}}`, String(input[p]));
    const inQuery = def.method === 'GET' || def.method === 'DELETE';
    const res = await app.http.inject({
      method: def.method,
      url,
      remoteAddress: '192.0.2.77',
      ...(inQuery
        ? { query: Object.fromEntries(Object.entries(input).map(([k, v]) => [k, String(v)])) }
        : { payload: input }),
    });
    statuses.push(res.statusCode);
    last = res.json();
  }
  return { statuses, last };
}

describe('rate limits on guessable and floodable routes', () => {
  let app: App;
  let port: number;
  let caller: TestUser;
  beforeAll(async () => {
    // Real limits: no multiplier, the default per-address budget.
    app = await buildTestApp({ config: { http: { callerLimitMultiplier: 1, rateLimitPerMinute: 100_000 } } });
    port = await app.listen();
    // An operator, so exports.ticket is reachable too; every other limited operation is a user's.
    caller = await staffUser(app, 'operator');
  });
  afterAll(() => app.close());

  it('lists every limited operation with a body here (the tables above are complete)', () => {
    expect(Object.keys(PUBLIC_BODIES).sort()).toEqual(Object.keys(SENSITIVE_LIMITS).sort());
    const callerOps = Object.keys(CALLER_LIMITS_PER_MINUTE).filter((a) => a !== 'uploads.create');
    expect(Object.keys(CALLER_BODIES).sort()).toEqual(callerOps.sort());
  });

  it.each(Object.keys(SENSITIVE_LIMITS) as OpName[])('limits %s per address', async (name) => {
    const limit = SENSITIVE_LIMITS[name]!;
    const { statuses, last } = await fromOneAddress(app, name, limit + 1, PUBLIC_BODIES[name]!);
    expect(statuses.slice(0, limit)).not.toContain(429);
    expect(statuses[limit]).toBe(429);
    expect(last).toMatchObject({
      error: { code: 'RATE_LIMITED', details: { retryAfterMs: expect.any(Number) } },
    });
  });

  it.each(Object.keys(CALLER_BODIES) as OpName[])(
    'limits %s per caller, from many addresses',
    async (name) => {
      const limit = CALLER_LIMITS_PER_MINUTE[name]!;
      for (let i = 0; i < limit; i++) {
        // callOp uses a fresh random address per call: the per-address limits cannot be what stops it.
        const res = await callOp(app, name, CALLER_BODIES[name]!, caller.accessToken);
        expect(res.status, `${name} call ${i + 1}: ${JSON.stringify(res.body)}`).not.toBe(429);
      }
      const res = await callOp(app, name, CALLER_BODIES[name]!, caller.accessToken);
      expect(res.status).toBe(429);
      expect(res.body).toMatchObject({
        error: { code: 'RATE_LIMITED', details: { retryAfterMs: expect.any(Number) } },
      });
    },
  );

  it('counts WebSocket calls and REST calls of one caller together', async () => {
    const user = await staffUser(app, 'operator');
    for (let i = 0; i < CALLER_LIMITS_PER_MINUTE['friends.search']!; i++)
      await callOp(
        app,
        'friends.search',
        { query: `1380000${String(i).padStart(4, '0')}` },
        user.accessToken,
      );
    const ws = await TestClient.connect(`ws://127.0.0.1:${port}/ws`);
    ws.send({ type: 'auth', v: PROTOCOL_VERSION, accessToken: user.accessToken });
    await ws.next((f) => f.type === 'hello');
    const res = await ws.request('friends.search', { query: '13912345678' });
    expect(res).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    ws.close();
  });

  it('limits upload creation per caller', async () => {
    const tus = new TusTestClient(`http://127.0.0.1:${port}`, caller.accessToken);
    const limit = CALLER_LIMITS_PER_MINUTE['uploads.create']!;
    for (let i = 0; i < limit; i++) {
      const res = await tus.create(10, { filename: `f${i}.txt` });
      await res.arrayBuffer();
      expect(res.status).not.toBe(429);
    }
    const res = await tus.create(10, { filename: 'one-too-many.txt' });
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
  });

  it('answers a WebSocket flood with RATE_LIMITED and keeps the socket', async () => {
    const flood = await buildTestApp({ config: { gateway: { maxRequestsPerSecond: 5 } } });
    const floodPort = await flood.listen();
    try {
      const user = await staffUser(flood, 'operator');
      const ws = await TestClient.connect(`ws://127.0.0.1:${floodPort}/ws`);
      ws.send({ type: 'auth', v: PROTOCOL_VERSION, accessToken: user.accessToken });
      await ws.next((f) => f.type === 'hello');
      for (let i = 0; i < 40; i++) ws.send({ type: 'req', id: `f${i}`, op: 'users.me', body: {} });
      await ws.next((f) => f.type === 'res' && f.id === 'f39');
      const limited = ws.frames.filter(
        (f) => f.type === 'res' && (f.error as { code?: string } | undefined)?.code === 'RATE_LIMITED',
      );
      expect(limited.length).toBeGreaterThan(0);
      expect(ws.ws.readyState).toBe(1);
      ws.close();
    } finally {
      await flood.close();
    }
  });
});
