import { PROTOCOL_VERSION } from '@zhixin/protocol';
import type { App } from '../app.ts';
import { TestClient, type Frame } from '../gateway/testing.ts';
import { loginUser, registerUser, type TestUser } from './factories.ts';

/** A device of a user connected over the real WebSocket of a listening app. */
export interface TestDevice {
  user: TestUser;
  ws: TestClient;
  /** A request over the WebSocket: the `res` frame. */
  request(op: string, body: unknown): Promise<Frame>;
  /** The body of the next event of this name after the last one returned (received or coming). */
  nextEvent(event: string, timeoutMs?: number): Promise<unknown>;
}

/** Connect and authenticate a WebSocket for a session of a user (the app must be listening). */
export async function connectDevice(port: number, user: TestUser): Promise<TestDevice> {
  const ws = await TestClient.connect(`ws://127.0.0.1:${port}/ws`);
  ws.send({ type: 'auth', v: PROTOCOL_VERSION, accessToken: user.accessToken });
  await ws.next((f) => f.type === 'hello');
  let cursor = 0;
  return {
    user,
    ws,
    request: (op, body) => ws.request(op, body),
    async nextEvent(event, timeoutMs = 3000) {
      const frame = await ws.next((f) => f.type === 'event' && f.event === event, timeoutMs, cursor);
      cursor = ws.frames.indexOf(frame) + 1;
      return frame.body;
    },
  };
}

/** A user with two devices: `first` (REST calls use its token) and `second`, connected over WS. */
export async function userWithTwoDevices(
  app: App,
  port: number,
  nickname?: string,
): Promise<{ first: TestUser; second: TestDevice }> {
  const first = await registerUser(app, nickname === undefined ? {} : { nickname });
  const other = await loginUser(app, first.phone, first.password);
  return { first, second: await connectDevice(port, other) };
}

/** Wait a little, for asserting that something did NOT arrive. */
export function settle(ms = 50): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
