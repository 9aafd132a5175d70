import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const bundle = join(root, 'packages/server/dist/main.mjs');

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Distinct node ids answering /readyz within `ms` (new connections, asked until each worker has answered). */
async function readyNodes(port: number, want: number, ms: number): Promise<Set<string>> {
  const nodes = new Set<string>();
  const end = Date.now() + ms;
  while (nodes.size < want && Date.now() < end) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`, { headers: { connection: 'close' } });
      if (res.ok) nodes.add(((await res.json()) as { node: string }).node);
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return nodes;
}

describe('the production bundle (npm run build:server)', () => {
  let server: ChildProcess | undefined;
  afterEach(() => {
    server?.kill('SIGKILL');
    server = undefined;
  });

  it('builds, and `node dist/main.mjs start --workers 2` serves from both workers without a TypeScript loader', async () => {
    const built = spawnSync(process.execPath, [join(root, 'scripts/build-server.mjs')], { encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    const port = await freePort();
    server = spawn(process.execPath, [bundle, 'start', '--workers', '2'], {
      cwd: root,
      env: {
        ...process.env,
        // No loader may come in through the environment either: the bundle runs on plain node.
        NODE_OPTIONS: '',
        ZX_DATA_DIR: mkdtempSync(join(tmpdir(), 'zx-bundle-')),
        ZX_PORT: String(port),
        ZX_HOST: '127.0.0.1',
        ZX_LOG_LEVEL: 'warn',
      },
      stdio: 'ignore',
    });
    const nodes = await readyNodes(port, 2, 45_000);
    expect(nodes.size).toBe(2);
  }, 90_000);
});
