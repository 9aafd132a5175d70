import { describe, it } from 'vitest';
import { brokerContract } from './broker.contract.ts';
import { MemoryBroker } from './memory.ts';
import { NatsBroker } from './nats.ts';
import { createIpcTestBus } from './testing.ts';

/** NATS for tests; in CI a missing URL fails the suite instead of skipping it. */
const natsUrl = process.env.ZX_TEST_NATS_URL;
const ci = process.env.CI === 'true';

describe('MemoryBroker', () => {
  brokerContract(async () => {
    const broker = new MemoryBroker();
    return { a: broker, b: broker, close: () => broker.close() };
  });
});

describe('IpcBroker (relayed by the primary)', () => {
  brokerContract(async () => {
    const bus = createIpcTestBus(2);
    const [a, b] = bus.brokers as [(typeof bus.brokers)[0], (typeof bus.brokers)[0]];
    return { a, b, close: async () => void (await Promise.all([a.close(), b.close()])) };
  });
});

describe('NatsBroker', () => {
  if (!natsUrl) {
    if (ci)
      it('runs against NATS in CI', () => {
        throw new Error('CI=true but ZX_TEST_NATS_URL is not set');
      });
    else it.skip('needs ZX_TEST_NATS_URL (e.g. nats://127.0.0.1:4222)', () => {});
    return;
  }
  brokerContract(async () => {
    const [a, b] = await Promise.all([NatsBroker.connect(natsUrl), NatsBroker.connect(natsUrl)]);
    return { a, b, close: async () => void (await Promise.all([a.close(), b.close()])) };
  });
});
