import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStorage, ZhixinClient, type Message } from '@zhixin/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { freePort } from '../bench/lib/server.ts';
import { randomPhone } from './support.ts';

const root = join(import.meta.dirname, '..');

/** `zhixin start` as its own process, as an administrator would run it. */
async function startProcess(
  env: NodeJS.ProcessEnv,
  port: number,
): Promise<{ child: ChildProcess; out: () => string }> {
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/main.ts', 'start'], {
    cwd: root,
    env: {
      ...process.env,
      ...env,
      ZX_PORT: String(port),
      ZX_HOST: '127.0.0.1',
      ZX_LOG_LEVEL: 'info',
      // Eight senders on one connection go past the default per-connection request limit.
      ZX_GATEWAY_MAX_REQUESTS_PER_SECOND: '100000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited: ${out}`);
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { child, out: () => out };
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server not ready: ${out}`);
}

function smsCodeIn(log: string, phone: string): string {
  const line = log
    .split('\n')
    .filter((l) => l.includes(phone.slice(-4)) && /\b\d{6}\b/.test(l))
    .at(-1);
  const code = line?.match(/\b(\d{6})\b/)?.[1];
  if (!code) throw new Error(`no SMS code for ${phone} in the server output`);
  return code;
}

describe('acknowledged means durable', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
  });

  it('keeps every acknowledged message when the server is killed mid-stream (kill -9, restart)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'zx-durable-'));
    const port = await freePort();
    const first = await startProcess({ ZX_DATA_DIR: dataDir }, port);
    children.push(first.child);
    expect(first.out()).toContain('Zhixin first administrator');

    const client = new ZhixinClient({
      baseUrl: `http://127.0.0.1:${port}`,
      WebSocket: WebSocket as unknown as ConstructorParameters<typeof ZhixinClient>[0]['WebSocket'],
      storage: new MemoryStorage(),
      sendRetryPolicy: { nextDelayMs: () => null },
      reconnectPolicy: { nextDelayMs: () => null },
      requestTimeoutMs: 3000,
    });
    const phone = randomPhone();
    await client.auth.sendSmsCode(phone, 'register');
    await new Promise((r) => setTimeout(r, 200));
    const session = await client.auth.register({
      phone,
      code: smsCodeIn(first.out(), phone),
      password: 'durable-password-1',
      nickname: '持久',
    });
    await client.connect();
    const chat = await client.conversations.openDirect(session.userId);

    const acked: Message[] = [];
    const failures: unknown[] = [];
    let stop = false;
    const senders = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        try {
          acked.push(await client.messages.sendText(chat.id, `w${w}-${i}`));
        } catch (err) {
          failures.push(err); // the server is gone (or the test is broken: checked below)
          return;
        }
      }
    });
    while (acked.length < 300) {
      if (failures.length > 0) throw new Error(`a send failed before the kill: ${String(failures[0])}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    first.child.kill('SIGKILL');
    stop = true;
    await Promise.all(senders);
    await client.close();

    const second = await startProcess({ ZX_DATA_DIR: dataDir }, port);
    children.push(second.child);
    expect(second.out()).not.toContain('Zhixin first administrator');
    const again = new ZhixinClient({ baseUrl: `http://127.0.0.1:${port}`, storage: new MemoryStorage() });
    await again.auth.loginPassword(phone, 'durable-password-1');
    const stored = new Set<number>();
    for (let before: number | undefined; ;) {
      const page = await again.messages.history(chat.id, { beforeSeq: before, limit: 200 });
      for (const m of page.messages) stored.add(m.seq);
      if (!page.hasMore || page.messages.length === 0) break;
      before = Math.min(...page.messages.map((m) => m.seq));
    }
    const missing = acked.filter((m) => !stored.has(m.seq));
    expect(acked.length).toBeGreaterThanOrEqual(300);
    expect(missing).toEqual([]);
    // Seqs stay contiguous: what was committed but not acknowledged before the kill is kept too.
    const seqs = [...stored].sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
  }, 120_000);
});
