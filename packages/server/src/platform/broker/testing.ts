import { createHash, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { IpcBroker, type IpcChannel, type IpcToPrimary } from './ipc.ts';
import { IpcRelay } from './ipc-relay.ts';

/**
 * A cluster primary and `workers` IpcBrokers joined by in-memory channels that behave like Node's
 * IPC: asynchronous, ordered, and every message is copied through JSON.
 */
export function createIpcTestBus(workers: number): {
  relay: IpcRelay;
  brokers: IpcBroker[];
  disconnect(i: number): void;
} {
  const relay = new IpcRelay();
  const brokers: IpcBroker[] = [];
  const alive: boolean[] = [];
  for (let i = 0; i < workers; i++) {
    const id = `w${i}`;
    const toWorker = new EventEmitter();
    alive.push(true);
    const channel: IpcChannel = {
      send(message: IpcToPrimary, callback: (err: Error | null) => void): boolean {
        if (!alive[i]) {
          setImmediate(() => callback(new Error('channel closed')));
          return false;
        }
        const copy: unknown = JSON.parse(JSON.stringify(message));
        setImmediate(() => {
          relay.handle(id, copy);
          callback(null);
        });
        return true;
      },
      on: (event, listener) => toWorker.on(event, listener),
      off: (event, listener) => toWorker.off(event, listener),
    };
    relay.addPeer(id, {
      send(message) {
        const copy: unknown = JSON.parse(JSON.stringify(message));
        setImmediate(() => toWorker.emit('message', copy));
      },
    });
    brokers.push(new IpcBroker(channel));
  }
  return {
    relay,
    brokers,
    disconnect(i: number) {
      alive[i] = false;
      relay.removePeer(`w${i}`);
    },
  };
}

/**
 * A NATS subject prefix of its own for one test cluster: test files running at the same time share
 * the NATS server, and without it a test's nodes would see another test's nodes. Nodes built with
 * the same key (the shared database) join one cluster.
 */
export function testSubjectPrefix(key: string = randomUUID()): string {
  return `zxtest-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}
