import {
  ErrorCatalog,
  ErrorFrame,
  Operations,
  PongFrame,
  PROTOCOL_VERSION,
  ResponseErr,
  ResponseOk,
  type OpName,
} from '@zhixin/protocol';
import fc from 'fast-check';
import { Compile } from 'typebox/compile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app.ts';
import { guardedRowCounts } from '../http/attacks/row-counts.ts';
import { buildTestApp } from '../testing/app.ts';
import { registerUser } from '../testing/factories.ts';
import { parseClientFrame } from './frames.ts';
import { startTestNode, TestClient, uid, type Frame, type TestNode } from './testing.ts';

const isOk = Compile(ResponseOk);
const isErr = Compile(ResponseErr);
const isError = Compile(ErrorFrame);
const isPong = Compile(PongFrame);
const knownCode = (code: unknown) => typeof code === 'string' && Object.hasOwn(ErrorCatalog, code);

/** A frame the server may send in answer to anything: a response, a typed error or a pong. */
function isValidAnswer(f: Frame): boolean {
  if (isOk.Check(f)) return true;
  if (isErr.Check(f) || isError.Check(f)) return knownCode((f.error as { code: unknown }).code);
  return isPong.Check(f);
}

const bases: Array<Record<string, unknown>> = [
  { type: 'req', id: 'm1', op: 'conversations.get', body: { conversationId: 'c1' } },
  { type: 'req', id: 'm2', op: 'presence.query', body: { userIds: ['u1', 'u2'] } },
  { type: 'req', id: 'm3', op: 'users.me', body: {} },
  { type: 'ping', t: 1 },
  { type: 'auth', v: 1, accessToken: 'ok:u:s' },
];
const keys = ['type', 'id', 'op', 'body', 't', 'v', 'accessToken', '__proto__', 'constructor'];
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), key: fc.constantFrom(...keys) }),
  fc.record({
    kind: fc.constant('set' as const),
    key: fc.constantFrom(...keys, 'extra'),
    value: fc.jsonValue(),
  }),
  fc.record({
    kind: fc.constant('body' as const),
    key: fc.constantFrom('conversationId', 'userIds', 'x'),
    value: fc.jsonValue(),
  }),
  fc.record({
    kind: fc.constant('op' as const),
    value: fc.oneof(
      fc.string(),
      fc.constantFrom('presence.query', 'auth.register', 'messages.send', 'toString'),
    ),
  }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(base: Record<string, unknown>, mutations: Mutation[]): string {
  const frame = structuredClone(base);
  for (const m of mutations) {
    if (m.kind === 'delete') delete frame[m.key];
    else if (m.kind === 'set')
      Object.defineProperty(frame, m.key, {
        value: m.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else if (m.kind === 'op') frame.op = m.value;
    else {
      const body =
        typeof frame.body === 'object' && frame.body !== null && !Array.isArray(frame.body)
          ? (frame.body as Record<string, unknown>)
          : {};
      body[m.key] = m.value;
      frame.body = body;
    }
  }
  return JSON.stringify(frame);
}

/** Anything a client could put in a text frame. */
const textFrame = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc
    .tuple(fc.constantFrom(...bases), fc.array(mutation, { minLength: 1, maxLength: 4 }))
    .map(([b, ms]) => mutate(b, ms)),
);

describe('frame parser', () => {
  it('never throws and classifies every input', () => {
    fc.assert(
      fc.property(textFrame, (text) => {
        const parsed = parseClientFrame(text);
        expect(['auth', 'req', 'ping', 'invalid']).toContain(parsed.kind);
        if (parsed.kind === 'invalid') expect(knownCode(parsed.error.code)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('a live gateway under random frames', () => {
  let node: TestNode;
  let client: TestClient;
  let sentinel = 0;
  beforeAll(async () => {
    node = await startTestNode({ config: { gateway: { maxRequestsPerSecond: 100_000 } } });
    client = await TestClient.login(node.url, uid());
  });
  afterAll(async () => {
    client.close();
    await node.close();
  });

  /** Send one frame and a valid request behind it; return what answered the frame. */
  async function exchange(send: () => void): Promise<Frame[]> {
    const from = client.frames.length;
    const id = `sentinel-${sentinel++}`;
    send();
    client.send({ type: 'req', id, op: 'users.me', body: {} });
    await client.next((f) => f.type === 'res' && f.id === id, 3000, from);
    // The frame's own answer may be a slower request: wait for it too.
    const others = () => client.frames.slice(from).filter((f) => f.id !== id);
    await client.next(() => others().length > 0, 3000, from);
    return others();
  }

  it('answers every text frame with exactly one valid response or typed error, and keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(textFrame, async (text) => {
        const answers = await exchange(() => client.send(text));
        expect(answers).toHaveLength(1);
        expect(isValidAnswer(answers[0]!)).toBe(true);
        const sent = (() => {
          try {
            return JSON.parse(text) as unknown;
          } catch {
            return undefined;
          }
        })();
        const id = (sent as { id?: unknown } | undefined)?.id;
        if (answers[0]!.type === 'res') expect(answers[0]!.id).toBe(id);
      }),
      { numRuns: 400 },
    );
    expect(client.ws.readyState).toBe(1);
  });

  it('answers every binary frame with a typed error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        const answers = await exchange(() => client.ws.send(bytes, { binary: true }));
        expect(answers).toEqual([{ type: 'error', error: expect.objectContaining({ code: 'BAD_REQUEST' }) }]);
      }),
      { numRuns: 100 },
    );
  });

  it('still serves the fuzzed connection and new ones afterwards', async () => {
    expect(sentinel).toBe(500);
    expect(await client.request('users.me', {})).toMatchObject({ ok: true });
    const fresh = await TestClient.login(node.url, uid());
    expect(await fresh.request('presence.query', { userIds: ['someone'] })).toMatchObject({ ok: true });
    fresh.close();
  });
});

/** Values that break hand-written handlers: wrong types, edge numbers, long and odd strings. */
const nastyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom('', ' ', '0', '-1', '__proto__', '../..', '%00', '😀'.repeat(500), 'x'.repeat(5000)),
  fc.constantFrom(-1, 0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 0.5),
);

/** A body shaped like the operation's request, each field replaced by something random, or no shape at all. */
function mutatedWsBody(name: OpName): fc.Arbitrary<unknown> {
  const props = Object.keys((Operations[name].request as { properties?: object }).properties ?? {});
  const shaped = fc.record(Object.fromEntries(props.map((p) => [p, nastyValue])), { requiredKeys: [] });
  return fc.oneof(shaped, fc.jsonValue({ maxDepth: 3 }));
}

const WS_OPS = (Object.keys(Operations) as OpName[]).filter((n) => Operations[n].ws);

describe('every WebSocket operation of the real server under random bodies', () => {
  let app: App;
  let client: TestClient;
  beforeAll(async () => {
    app = await buildTestApp({ config: { gateway: { maxRequestsPerSecond: 100_000 } } });
    const port = await app.listen();
    const user = await registerUser(app);
    client = await TestClient.connect(`ws://127.0.0.1:${port}/ws`);
    client.send({ type: 'auth', v: PROTOCOL_VERSION, accessToken: user.accessToken });
    await client.next((f) => f.type === 'hello');
  });
  afterAll(async () => {
    client.close();
    await app.close();
  });

  it.each(WS_OPS)(
    '%s answers a typed response, never INTERNAL, and a refusal writes nothing',
    async (name) => {
      await fc.assert(
        fc.asyncProperty(mutatedWsBody(name), async (body) => {
          const before = await guardedRowCounts(app);
          const res = await client.request(name, body, 5000);
          expect(isOk.Check(res) || isErr.Check(res), JSON.stringify(res).slice(0, 300)).toBe(true);
          if (res.ok === false) {
            const code = (res.error as { code: string }).code;
            expect(code, JSON.stringify(res).slice(0, 300)).not.toBe('INTERNAL');
            expect(knownCode(code)).toBe(true);
            expect(await guardedRowCounts(app)).toEqual(before);
          }
        }),
        { numRuns: 6 },
      );
      expect(client.ws.readyState).toBe(1);
    },
  );
});
