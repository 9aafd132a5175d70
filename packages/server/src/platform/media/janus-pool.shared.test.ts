import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { poolFromConfig, SHARED_JANUS_ENV, sharedJanusFromEnv } from './janus-pool.ts';

const shared = {
  id: 'embedded',
  wsUrl: 'ws://127.0.0.1:9/janus',
  adminUrl: 'ws://127.0.0.1:9/admin',
  adminSecret: 'not-a-real-secret',
};

/** A stand-in `janus` binary that only records that it was started. */
function recordingBinary(): { binary: string; started: () => boolean } {
  const dir = mkdtempSync(join(tmpdir(), 'zx-fake-janus-'));
  const marker = join(dir, 'started');
  const binary = join(dir, 'janus');
  writeFileSync(binary, `#!/bin/sh\ntouch '${marker}'\nexit 1\n`);
  chmodSync(binary, 0o755);
  return { binary, started: () => existsSync(marker) };
}

const media = (janusBinary: string) => ({
  janus: [],
  embeddedJanus: 'auto' as const,
  janusBinary,
  healthCheckSeconds: 60,
});

describe("a cluster worker's Janus pool", () => {
  it('reads the shared Janus the primary hands over, and refuses an incomplete one', () => {
    expect(sharedJanusFromEnv({})).toBeNull();
    expect(sharedJanusFromEnv({ [SHARED_JANUS_ENV]: JSON.stringify(shared) })).toEqual(shared);
    expect(() =>
      sharedJanusFromEnv({ [SHARED_JANUS_ENV]: JSON.stringify({ ...shared, adminSecret: '' }) }),
    ).toThrow(/adminSecret/);
  });

  it('uses the shared Janus instead of starting its own', async () => {
    const fake = recordingBinary();
    const pool = poolFromConfig(media(fake.binary), createLogger('silent'), {
      [SHARED_JANUS_ENV]: JSON.stringify(shared),
    });
    try {
      expect(pool.configured).toBe(true);
      await pool.start();
      expect(fake.started()).toBe(false);
      // The shared server is the pool's member (unreachable here, so not alive).
      expect(pool.aliveIds()).toEqual([]);
    } finally {
      await pool.close();
    }
  });

  it('starts its own Janus on first use when it runs alone', async () => {
    const fake = recordingBinary();
    const pool = poolFromConfig(media(fake.binary), createLogger('silent'), {});
    try {
      await pool.start();
      expect(fake.started()).toBe(true);
    } finally {
      await pool.close();
    }
  });
});
