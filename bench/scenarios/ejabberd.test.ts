import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../lib/args.ts';
import { runEjabberdBench } from './ejabberd.ts';

/**
 * Smoke run of the ejabberd side-by-side scenario (issue 9, item 4) at tiny N, so it cannot rot: a
 * private ejabberd node starts, users register in bulk, every XMPP client logs in and every chat
 * message arrives. It fails when ejabberd is missing or does not answer (.ci/run installs it).
 */
describe('ejabberd side-by-side scenario', () => {
  it('logs 20 XMPP clients into a private ejabberd and delivers every 1:1 message', async () => {
    const args = parseBenchArgs([
      'ejabberd',
      '--n',
      '20',
      '--login-rate',
      '200',
      '--idle',
      '1',
      '--rate',
      '40',
      '--duration',
      '2',
    ]);
    const result = await runEjabberdBench(args);

    expect(result.registration.users).toBe(20);
    expect(result.connections.online).toBe(20);
    expect(result.connections.failures).toEqual({});
    expect(result.connections.loginLatency.count).toBe(20);
    expect(result.idle.dropped).toBe(0);
    expect(result.throughput.sent).toBe(80);
    expect(result.throughput.received).toBe(80);
    expect(result.throughput.lost).toBe(0);
    expect(result.throughput.outOfOrder).toBe(0);
    expect(result.throughput.latency.count).toBe(80);
    expect(result.throughput.serverCpuSeconds).toBeGreaterThan(0);
    // 23 s on a quiet machine, most of it fixed waits (the Erlang VM's start, RSS settling, the
    // drain). A fresh-clone CI run failed it once, its message not kept; 60 s under the load of the
    // other suites is the likely cause, so it has three times that now.
  }, 180_000);
});
