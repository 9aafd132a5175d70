import { randomInt } from 'node:crypto';
import { MemoryStorage, ZhixinClient, type Storage, type ZhixinEvents } from '@zhixin/sdk';
import { WebSocket } from 'ws';
import type { App } from '../packages/server/src/app.ts';
import { buildTestApp, type TestAppOptions } from '../packages/server/src/testing/app.ts';
import { lastSmsCode } from '../packages/server/src/testing/sms.ts';

export interface RunningServer {
  app: App;
  baseUrl: string;
}

/** A real server listening on a random port. */
export async function startServer(opts: TestAppOptions = {}): Promise<RunningServer> {
  const app = await buildTestApp(opts);
  const port = await app.listen();
  return { app, baseUrl: `http://127.0.0.1:${port}` };
}

/** An SDK client as a Node program would make it; `storage` is the device's persistent state. */
export function newClient(
  server: RunningServer,
  name: string,
  storage: Storage = new MemoryStorage(),
): ZhixinClient {
  return new ZhixinClient({
    baseUrl: server.baseUrl,
    WebSocket: WebSocket as unknown as ConstructorParameters<typeof ZhixinClient>[0]['WebSocket'],
    storage,
    device: { name, platform: 'desktop' },
    reconnectPolicy: { nextDelayMs: (ctx) => (ctx.attempt > 50 ? null : 100) },
  });
}

export function randomPhone(): string {
  return `+861${randomInt(3, 10)}${String(randomInt(0, 1_000_000_000)).padStart(9, '0')}`;
}

/** Register through the SDK, reading the SMS code from the server's development provider. */
export async function signUp(server: RunningServer, client: ZhixinClient, nickname: string) {
  const phone = randomPhone();
  const password = `pw-${nickname}-${randomInt(1e9)}`;
  await client.auth.sendSmsCode(phone, 'register');
  const code = lastSmsCode(server.app, phone, 'register');
  const session = await client.auth.register({ phone, code, password, nickname });
  return { phone, password, userId: session.userId };
}

/** The next event of a kind that satisfies `match`, or a timeout error naming it. */
export function nextEvent<K extends keyof ZhixinEvents>(
  client: ZhixinClient,
  event: K,
  match: (body: ZhixinEvents[K]) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<ZhixinEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${String(event)} within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = client.on(event, (body) => {
      if (!match(body)) return;
      clearTimeout(timer);
      off();
      resolve(body);
    });
  });
}

/** Collect every event of a kind until stopped. */
export function collect<K extends keyof ZhixinEvents>(client: ZhixinClient, event: K) {
  const items: Array<ZhixinEvents[K]> = [];
  const off = client.on(event, (body) => items.push(body));
  return { items, off };
}

/** Wait until `check` passes (polling), for state that arrives asynchronously. */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
