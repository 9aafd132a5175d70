import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { testGatewayConfig } from '../gateway/testing.ts';
import { createLogger } from '../platform/logger.ts';
import { startPrimary, type Primary } from './workers.ts';

// Its own file: Node fixes the cluster's scheduling policy at the first fork of a process, and
// workers.test.ts runs its primary round-robin.
const fixture = fileURLToPath(new URL('./accept-balance.fixture.ts', import.meta.url));

interface Asked {
  socket: Socket;
  /** The worker that answered (its node id). */
  answer: Promise<string>;
}

/** Open a connection and send one keep-alive request; the answer's body names the worker. */
function ask(port: number): Asked {
  const socket = connect(port, '127.0.0.1');
  socket.write('GET / HTTP/1.1\r\nHost: test\r\n\r\n');
  const answer = new Promise<string>((resolve, reject) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += String(chunk);
      const head = text.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(text);
      if (head >= 0 && length && text.length >= head + 4 + Number(length[1]))
        resolve(text.slice(head + 4, head + 4 + Number(length[1])));
    });
    socket.on('error', reject);
  });
  return { socket, answer };
}

const within = <T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> =>
  Promise.race([p, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms))]);

describe('shared accept (workerAccept: shared)', () => {
  let primary: Primary | undefined;
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const s of sockets) s.destroy();
    await primary?.stop(5000);
    primary = undefined;
  });

  it('a worker at its limit stops accepting, the other takes the connections, and it starts again when one closes', async () => {
    primary = startPrimary(testGatewayConfig({ workers: 2, nodeId: 'acc', workerAccept: 'shared' }), {
      log: createLogger('silent'),
      exec: fixture,
      args: [],
      execArgv: ['--import', 'tsx'],
      workerEnv: { ZX_TEST_ACCEPT_LIMIT: '3' },
    });
    const port = await primary.listening;

    // One at a time, each kept open: whichever worker the kernel picks, each holds 3 at the end.
    const held: Array<{ socket: Socket; node: string }> = [];
    for (let i = 0; i < 6; i++) {
      const asked = ask(port);
      sockets.push(asked.socket);
      held.push({ socket: asked.socket, node: await asked.answer });
    }
    const byNode = new Map<string, number>();
    for (const h of held) byNode.set(h.node, (byNode.get(h.node) ?? 0) + 1);
    expect(Object.fromEntries(byNode)).toEqual({ 'acc-w0': 3, 'acc-w1': 3 });

    // Both are full: a seventh waits in the kernel's queue, unanswered.
    const waiting = ask(port);
    sockets.push(waiting.socket);
    expect(await within(waiting.answer, 1000)).toBe('timeout');

    // One of w1's closes: w1 polls again and takes the waiting one.
    const leaving = held.find((h) => h.node === 'acc-w1')!;
    leaving.socket.destroy();
    expect(await within(waiting.answer, 5000)).toBe('acc-w1');
  }, 60_000);
});
