import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CloseCode } from '@zhixin/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { testGatewayConfig, TestClient, uid } from '../gateway/testing.ts';
import { eventually } from '../platform/broker/broker.contract.ts';
import { createLogger } from '../platform/logger.ts';
import { startPrimary, type Primary } from './workers.ts';

const fixture = fileURLToPath(new URL('./workers.fixture.ts', import.meta.url));

/** Log in until a connection lands on `nodeId` (round-robin spreads connections over workers). */
async function loginOn(
  url: string,
  user: string,
  want: (nodeId: string) => boolean,
): Promise<{ client: TestClient; nodeId: string }> {
  for (let i = 0; i < 20; i++) {
    const client = await TestClient.login(url, user, `${user}-${i}`);
    const hello = client.frames.find((f) => f.type === 'hello')!;
    if (want(hello.nodeId as string)) return { client, nodeId: hello.nodeId as string };
    client.close();
    await client.closed;
  }
  throw new Error('round-robin never reached the wanted worker');
}

describe('cluster primary (zhixin start --workers N)', () => {
  let primary: Primary | undefined;
  afterEach(async () => {
    await primary?.stop(5000);
    primary = undefined;
  });

  it('runs workers on one port, relays events and presence between them, restarts a crashed one', async () => {
    // Round-robin: loginOn reaches each worker in turn (shared accept is accept-balance.process.test.ts).
    const config = testGatewayConfig({ workers: 2, nodeId: 'test', workerAccept: 'round-robin' });
    primary = startPrimary(config, {
      log: createLogger('silent'),
      exec: fixture,
      args: [],
      execArgv: ['--import', 'tsx'],
      restartDelayMs: 100,
    });
    const port = await primary.listening;
    const url = `ws://127.0.0.1:${port}/ws`;
    const [alice, bob] = [uid('a'), uid('b')];
    const a = await loginOn(url, alice, () => true);
    const b = await loginOn(url, bob, (n) => n !== a.nodeId);
    expect([a.nodeId, b.nodeId].sort()).toEqual(['test-w0', 'test-w1']);

    // Presence crosses workers through the primary's relay.
    await eventually(async () => {
      const res = await a.client.request('presence.query', { userIds: [bob] });
      expect(res).toMatchObject({ body: { presence: [{ userId: bob, online: true }] } });
    }, 5000);
    // So do events: alice's worker emits to bob, connected to the other worker.
    expect(
      await a.client.request('conversations.typing', { conversationId: bob, typing: true }),
    ).toMatchObject({ ok: true });
    expect(await b.client.next((f) => f.event === 'typing.v1')).toMatchObject({
      body: { userId: alice, typing: true },
    });

    // Kill bob's worker: alice learns bob is offline, and the worker comes back.
    const killed = primary.status().find((w) => w.nodeId === b.nodeId)!.pid!;
    process.kill(killed, 'SIGKILL');
    await a.client.next(
      (f) => f.event === 'presence.v1' && (f.body as { online: boolean }).online === false,
      5000,
    );
    await eventually(() => {
      const status = primary!.status();
      expect(status.map((w) => [w.nodeId, w.listening])).toEqual([
        ['test-w0', true],
        ['test-w1', true],
      ]);
      expect(status.map((w) => w.pid)).not.toContain(killed);
    }, 10_000);
    const again = await loginOn(url, bob, (n) => n === b.nodeId);
    await a.client.next(
      (f) => f.event === 'presence.v1' && (f.body as { online: boolean }).online === true,
      5000,
      a.client.frames.length - 1,
    );

    // Graceful stop: every client hears server_shutdown.
    await primary.stop(5000);
    primary = undefined;
    expect((await a.client.closed).code).toBe(CloseCode.server_shutdown);
    expect((await again.client.closed).code).toBe(CloseCode.server_shutdown);
  }, 60_000);
});

function healthz(port: number): Promise<{ node: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += String(c)));
      res.on('end', () => resolve(JSON.parse(body) as { node: string }));
    }).on('error', reject);
  });
}

describe('zhixin start --workers 2 (the real command)', () => {
  it('prepares the database once, serves from two workers and exits cleanly on SIGTERM', async () => {
    const main = fileURLToPath(new URL('../main.ts', import.meta.url));
    const dataDir = mkdtempSync(join(tmpdir(), 'zx-workers-'));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', main, 'start', '--workers', '2', '--port', '0'],
      {
        env: {
          ...process.env,
          ZX_DATA_DIR: dataDir,
          ZX_HOST: '127.0.0.1',
          ZX_LOG_LEVEL: 'info',
          ZX_NODE_ID: 'cli',
          ZX_SECURITY_KDF_LOG_N: '10',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += String(c)));
    child.stderr.on('data', (c: Buffer) => (out += String(c)));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      await eventually(() => expect(out).toMatch(/with 2 workers/), 50_000);
      const port = Number(
        /"port":(\d+)/.exec(out.split('\n').find((l) => l.includes('with 2 workers'))!)![1],
      );
      const nodes = new Set<string>();
      // Shared accept: the kernel picks the worker, so ask until both answered.
      for (let i = 0; i < 50 && nodes.size < 2; i++) nodes.add((await healthz(port)).node);
      expect([...nodes].sort()).toEqual(['cli-w0', 'cli-w1']);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 70_000);
});
