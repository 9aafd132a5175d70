import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { JanusPool } from './janus-pool.ts';
import { findExecutable, startManagedJanus, type ManagedJanus } from './janus-process.ts';

function janusInstalled(): boolean {
  const found = findExecutable('janus') !== null;
  if (!found && process.env.CI === 'true') throw new Error('CI=true but the janus binary is not installed');
  return found;
}

function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.runIf(janusInstalled())('a managed Janus that dies', () => {
  const log = createLogger('silent');
  let janus: ManagedJanus | undefined;
  let pool: JanusPool | undefined;

  afterEach(async () => {
    await pool?.close();
    await janus?.stop();
    pool = undefined;
    janus = undefined;
  });

  it(
    'is started again on the same ports and secret, and the pool using it reconnects',
    { timeout: 60_000 },
    async () => {
      janus = await startManagedJanus({ id: 'j', log, restart: true, rtpPortRange: '43000-43999' });
      pool = new JanusPool({ servers: [janus.server], embeddedBinary: null, healthCheckMs: 200, log });
      await pool.start();
      expect(pool.aliveIds()).toEqual(['j']);
      const down: string[] = [];
      pool.onDown((id) => down.push(id));
      const first = janus.pid;

      janus.kill();
      await waitFor('the pool sees it down', () => down.length === 1);
      await waitFor('a new process', () => janus!.restarts === 1 && janus!.alive());
      expect(janus.pid).not.toBe(first);
      expect(processRunning(first)).toBe(false);
      // Same address and admin secret: the pool adds its token again and uses it.
      await waitFor('the pool reconnects', () => pool!.aliveIds().includes('j'));
      expect(pool.live('j')).not.toBeNull();
    },
  );

  it('without `restart` stays down', { timeout: 30_000 }, async () => {
    janus = await startManagedJanus({ id: 'j', log, rtpPortRange: '43000-43999' });
    janus.kill();
    await waitFor('it exits', () => !janus!.alive());
    await new Promise((r) => setTimeout(r, 1500));
    expect(janus.alive()).toBe(false);
    expect(janus.restarts).toBe(0);
  });

  it('stop() during the wait before a restart leaves no process behind', { timeout: 30_000 }, async () => {
    janus = await startManagedJanus({ id: 'j', log, restart: true, rtpPortRange: '43000-43999' });
    const first = janus.pid;
    janus.kill();
    await waitFor('it exits', () => !janus!.alive());
    await janus.stop();
    await new Promise((r) => setTimeout(r, 1500));
    expect(janus.restarts).toBe(0);
    expect(janus.pid).toBe(first);
    expect(janus.alive()).toBe(false);
  });
});
