import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from './broker.contract.ts';
import type { IpcToWorker } from './ipc.ts';
import { IpcRelay } from './ipc-relay.ts';
import { createIpcTestBus } from './testing.ts';

describe('IpcRelay', () => {
  it('forwards a publish only to workers subscribed to a matching subject', () => {
    const relay = new IpcRelay();
    const seen: Record<string, IpcToWorker[]> = { w1: [], w2: [], w3: [] };
    for (const id of Object.keys(seen)) relay.addPeer(id, { send: (m) => seen[id]!.push(m) });
    relay.handle('w1', { zx: 'broker', t: 'sub', pattern: 'zx.node.w1' });
    relay.handle('w2', { zx: 'broker', t: 'sub', pattern: 'zx.node.w2' });
    relay.handle('w3', { zx: 'broker', t: 'sub', pattern: 'zx.>' });
    relay.handle('w2', { zx: 'broker', t: 'pub', subject: 'zx.node.w1', data: '1' });
    expect(seen.w1).toEqual([{ zx: 'broker', t: 'msg', subject: 'zx.node.w1', data: '1' }]);
    expect(seen.w2).toEqual([]);
    expect(seen.w3).toHaveLength(1);
  });

  it("answers a flush on the same channel and ignores messages that are not the broker's", () => {
    const relay = new IpcRelay();
    const seen: IpcToWorker[] = [];
    relay.addPeer('w1', { send: (m) => seen.push(m) });
    expect(relay.handle('w1', { cmd: 'something else' })).toBe(false);
    expect(relay.handle('w1', { zx: 'broker', t: 'flush', id: 7 })).toBe(true);
    expect(seen).toEqual([{ zx: 'broker', t: 'flushed', id: 7 }]);
  });

  it('forgets the subscriptions of a worker that exited', () => {
    const relay = new IpcRelay();
    const seen: IpcToWorker[] = [];
    relay.addPeer('w1', { send: (m) => seen.push(m) });
    relay.handle('w1', { zx: 'broker', t: 'sub', pattern: 'a' });
    relay.removePeer('w1');
    relay.publish('a', 1);
    expect(seen).toEqual([]);
    expect(relay.size).toBe(0);
  });

  it('keeps working for the others when one worker disappears mid-publish', async () => {
    const bus = createIpcTestBus(3);
    const got: unknown[] = [];
    bus.brokers[2]!.subscribe('x', (p) => got.push(p));
    await bus.brokers[2]!.flush();
    bus.disconnect(1);
    bus.brokers[1]!.publish('x', 'lost');
    await bus.brokers[1]!.flush();
    bus.brokers[0]!.publish('x', 'kept');
    await bus.brokers[0]!.flush();
    await eventually(() => expect(got).toEqual(['kept']));
  });
});

describe('IpcBroker over a real forked child', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill();
    child = undefined;
  });

  it('relays between the primary and a worker process in both directions', async () => {
    const relay = new IpcRelay();
    const script = fileURLToPath(new URL('./ipc-worker.fixture.ts', import.meta.url));
    const c = fork(script, [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
    child = c;
    // The test plays a second worker living in the primary.
    const replies: unknown[] = [];
    relay.addPeer('child', { send: (m) => c.send(m) });
    relay.addPeer('here', {
      send: (m) => {
        if (m.t === 'msg') replies.push(JSON.parse(m.data));
      },
    });
    relay.handle('here', { zx: 'broker', t: 'sub', pattern: 'reply.*' });
    const ready = new Promise<void>((resolve) => {
      c.on('message', (m) => {
        if (relay.handle('child', m)) return;
        if ((m as { ready?: boolean }).ready) resolve();
      });
    });
    await ready;
    relay.publish('echo.one', { n: 1 });
    relay.publish('echo.two', { n: 2 });
    relay.publish('other.three', { n: 3 });
    await eventually(
      () =>
        expect(replies).toEqual([
          { from: c.pid, payload: { n: 1 } },
          { from: c.pid, payload: { n: 2 } },
        ]),
      10_000,
    );
    const exited = new Promise<number | null>((r) => c.once('exit', (code) => r(code)));
    c.send({ stop: true });
    expect(await exited).toBe(0);
  });
});
