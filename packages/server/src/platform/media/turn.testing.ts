import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable, freePort } from './janus-process.ts';

/** Whether coturn is here; with CI=true a missing one is a failure, not a skip. */
export function coturnInstalled(): boolean {
  const found = findExecutable('turnserver') !== null && findExecutable('turnutils_uclient') !== null;
  if (!found && process.env.CI === 'true')
    throw new Error('CI=true but coturn (turnserver) is not installed');
  return found;
}

/**
 * coturn on 127.0.0.1 with the `use-auth-secret` (TURN REST API) scheme, loopback peers allowed
 * (notes/WEBRTC-TESTS.md); for tests only.
 */
export async function startTestTurn(secret: string): Promise<{ port: number; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'zx-turn-'));
  const port = await freePort();
  const relay = 50_000 + Math.floor(Math.random() * 150) * 100;
  const child = spawn(
    'turnserver',
    [
      '-n',
      '-L',
      '127.0.0.1',
      '-E',
      '127.0.0.1',
      '--listening-port',
      String(port),
      '--min-port',
      String(relay),
      '--max-port',
      String(relay + 99),
      '--use-auth-secret',
      `--static-auth-secret=${secret}`,
      '-r',
      'zhixin.test',
      '-f',
      '--no-tls',
      '--no-dtls',
      '--no-cli',
      '--no-rfc5780',
      '--allow-loopback-peers',
      '--pidfile',
      join(dir, 'turn.pid'),
      '--userdb',
      join(dir, 'turndb.sqlite'),
      '--log-file',
      'stdout',
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('turnserver did not start')), 10_000);
    child.stdout.on('data', (chunk: Buffer) => {
      if (String(chunk).includes('Total General servers')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`turnserver exited with ${code}`)));
  });
  return {
    port,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Allocate two relays on the TURN server with these credentials and send between them
 * (`turnutils_uclient -y`); returns its report ("Total lost packets 0" when it worked).
 */
export function relayThroughTurn(port: number, username: string, credential: string): string {
  const res = spawnSync(
    'turnutils_uclient',
    ['-u', username, '-w', credential, '-n', '3', '-m', '1', '-y', '-p', String(port), '127.0.0.1'],
    { encoding: 'utf8', timeout: 20_000 },
  );
  return `${res.stdout}${res.stderr}`;
}
