import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { brokerContract, eventually } from './broker.contract.ts';
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

  const url = natsUrl;
  describe('with a subject prefix', () => {
    const prefix = `inst${randomBytes(4).toString('hex')}.zx-test`;
    brokerContract(async () => {
      const [a, b] = await Promise.all([
        NatsBroker.connect(url, { subjectPrefix: prefix }),
        NatsBroker.connect(url, { subjectPrefix: prefix }),
      ]);
      return { a, b, close: async () => void (await Promise.all([a.close(), b.close()])) };
    });

    it('keeps installations with different prefixes (or none) apart on one NATS server', async () => {
      const other = `other${randomBytes(4).toString('hex')}`;
      const [mine, theirs, bare] = await Promise.all([
        NatsBroker.connect(url, { subjectPrefix: prefix }),
        NatsBroker.connect(url, { subjectPrefix: other }),
        NatsBroker.connect(url),
      ]);
      try {
        const got: Record<string, string[]> = { mine: [], theirs: [], bare: [] };
        const subject = `zx.iso${randomBytes(4).toString('hex')}`;
        mine.subscribe(`${subject}.>`, (p, s) => got.mine!.push(`${s}=${String(p)}`));
        theirs.subscribe(`${subject}.>`, (p, s) => got.theirs!.push(`${s}=${String(p)}`));
        bare.subscribe(`${subject}.>`, (p, s) => got.bare!.push(`${s}=${String(p)}`));
        await Promise.all([mine.flush(), theirs.flush(), bare.flush()]);
        mine.publish(`${subject}.a`, 'from-mine');
        theirs.publish(`${subject}.a`, 'from-theirs');
        bare.publish(`${subject}.a`, 'from-bare');
        await Promise.all([mine.flush(), theirs.flush(), bare.flush()]);
        await eventually(() => {
          expect(got.mine).toEqual([`${subject}.a=from-mine`]);
          expect(got.theirs).toEqual([`${subject}.a=from-theirs`]);
          expect(got.bare).toEqual([`${subject}.a=from-bare`]);
        });
      } finally {
        await Promise.all([mine.close(), theirs.close(), bare.close()]);
      }
    });
  });
});
