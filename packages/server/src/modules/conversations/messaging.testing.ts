import type { EventBody, EventName, OpName, OpRequest, OpResponse } from '@zhixin/protocol';
import type { App } from '../../app.ts';
import { isAppError } from '../../errors.ts';
import type { EmitOptions } from '../../platform/events.ts';
import { newId } from '../../platform/ids.ts';
import { callOp, randomPhone, registerUser } from '../../testing/factories.ts';

/** Test helpers of the messaging modules (conversations, groups, messages). */

export interface RecordedEvent {
  recipients: string[];
  event: EventName;
  body: unknown;
  exceptSessionId: string | undefined;
}

export interface CallError {
  status: number;
  code: string | undefined;
  details: unknown;
}

/** A user with a device, calling operations as a client would. */
export interface TestClient {
  userId: string;
  sessionId: string;
  call<N extends OpName>(name: N, body: OpRequest<N>): Promise<OpResponse<N>>;
  /** The error of a call that must fail. */
  fail<N extends OpName>(name: N, body: OpRequest<N> | Record<string, unknown>): Promise<CallError>;
}

/** Record every event the modules emit (still delivered by the gateway). */
export function recordEvents(app: App): RecordedEvent[] {
  const recorded: RecordedEvent[] = [];
  const sink = app.gateway.events;
  const deliver = sink.emit.bind(sink);
  sink.emit = <E extends EventName>(
    recipients: readonly string[],
    event: E,
    body: EventBody<E>,
    opts?: EmitOptions,
  ) => {
    recorded.push({ recipients: [...recipients], event, body, exceptSessionId: opts?.exceptSessionId });
    deliver(recipients, event, body, opts);
  };
  return recorded;
}

/** A user registered through the real auth API, calling through the REST routes with a Bearer token. */
export async function restClient(app: App): Promise<TestClient> {
  const user = await registerUser(app);
  return {
    userId: user.userId,
    sessionId: user.sessionId,
    async call(name, body) {
      const res = await callOp(app, name, body as Record<string, unknown>, user.accessToken);
      if (res.status !== 200)
        throw new Error(`${name} failed with ${res.status}: ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async fail(name, body) {
      const res = await callOp(app, name, body as Record<string, unknown>, user.accessToken);
      if (res.status === 200) throw new Error(`${name} unexpectedly succeeded`);
      return { status: res.status, code: res.body.error?.code, details: res.body.error?.details };
    },
  };
}

/** Many users at once: accounts made directly (no password hashing), calls through the registry. */
export async function quickClients(app: App, count: number): Promise<TestClient[]> {
  const out: TestClient[] = [];
  for (let start = 0; start < count; start += 50) {
    const batch = Array.from({ length: Math.min(50, count - start) }, (_, i) =>
      app.services.users.createAccount({
        phone: randomPhone(),
        passwordHash: 'x',
        nickname: `成员${start + i}`,
        role: 'user',
      }),
    );
    for (const account of await Promise.all(batch)) out.push(principalClient(app, account.id, newId()));
  }
  return out;
}

/** Another device of a user: same user id, its own session. */
export function principalClient(app: App, userId: string, sessionId: string): TestClient {
  const ctx = { principal: { userId, sessionId, role: 'user' as const }, ip: '127.0.0.1' };
  return {
    userId,
    sessionId,
    call: (name, body) => app.ops.invoke(name, body, ctx),
    async fail(name, body) {
      try {
        await app.ops.invoke(name, body, ctx);
      } catch (err) {
        if (!isAppError(err)) throw err;
        return { status: err.status, code: err.code, details: err.details };
      }
      throw new Error(`${name} unexpectedly succeeded`);
    },
  };
}

/** Events of one name since a mark, for one-line assertions. */
export function eventsNamed<E extends EventName>(recorded: readonly RecordedEvent[], event: E, from = 0) {
  return recorded.slice(from).filter((e) => e.event === event) as Array<
    RecordedEvent & { body: EventBody<E> }
  >;
}

/** A text message body. */
export function text(conversationId: string, value: string, clientId = `c-${newId()}`) {
  return { conversationId, clientId, content: { kind: 'text' as const, text: value } };
}
