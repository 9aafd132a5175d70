import { CloseCode, PROTOCOL_VERSION } from '@zhixin/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../app.ts';
import { buildTestApp } from '../testing/app.ts';
import { TestClient } from './testing.ts';

describe('the gateway inside the app', () => {
  let app: App | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('serves /ws on the Fastify listener with the real authenticator and says bye on app.close()', async () => {
    app = await buildTestApp();
    const port = await app.listen();
    const url = `ws://127.0.0.1:${port}/ws`;
    const refused = await TestClient.connect(url);
    refused.send({ type: 'auth', v: PROTOCOL_VERSION, accessToken: 'not-a-jwt' });
    expect((await refused.closed).code).toBe(CloseCode.unauthenticated);
    expect(refused.frames[0]).toMatchObject({
      type: 'error',
      error: { code: expect.stringMatching(/^TOKEN_/) },
    });

    const waiting = await TestClient.connect(url);
    expect(app.ops.has('presence.query')).toBe(true);
    await app.close();
    app = undefined;
    expect(await waiting.closed).toEqual({ code: CloseCode.server_shutdown, reason: 'server_shutdown' });
  });
});
