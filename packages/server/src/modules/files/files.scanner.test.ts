import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import { mustCall, registerUser, type TestUser } from '../../testing/factories.ts';
import { pseudoRandomBytes, sha256, TusTestClient } from './files.testing.ts';

const EICAR = Buffer.from('X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*');

/** clamd from Debian's clamav-daemon; missing, the test fails (it is a declared dependency). */
function clamdBinary(): string {
  const found = spawnSync('sh', ['-c', 'command -v clamd || ls /usr/sbin/clamd'], { encoding: 'utf8' });
  const path = found.stdout.trim().split('\n')[0];
  if (!path) throw new Error('clamd is not installed (Debian clamav-daemon; .ci/run installs it)');
  return path;
}

/** A private clamd whose only signature is the EICAR test file's MD5 (no official database needed). */
async function startClamd(bin: string): Promise<{ socket: string; stop(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'zx-clamd-'));
  mkdirSync(join(dir, 'db'));
  writeFileSync(
    join(dir, 'db', 'test.hdb'),
    `${createHash('md5').update(EICAR).digest('hex')}:${EICAR.length}:Eicar-Test-Signature\n`,
  );
  const socket = join(dir, 'clamd.sock');
  writeFileSync(
    join(dir, 'clamd.conf'),
    [
      `LocalSocket ${socket}`,
      `DatabaseDirectory ${join(dir, 'db')}`,
      'Foreground yes',
      `TemporaryDirectory ${dir}`,
      'LogFile ' + join(dir, 'clamd.log'),
    ].join('\n'),
  );
  const child: ChildProcess = spawn(bin, ['-c', join(dir, 'clamd.conf')], { stdio: 'ignore' });
  for (let i = 0; i < 300 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 100));
  if (!existsSync(socket)) {
    child.kill();
    throw new Error('clamd did not open its socket');
  }
  return {
    socket,
    stop() {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('the scanner gate (clamd)', () => {
  let clamd: { socket: string; stop(): void };
  beforeAll(async () => {
    clamd = await startClamd(clamdBinary());
  }, 60_000);
  afterAll(() => clamd.stop());

  describe.each(testDialects())('%s', (dialect) => {
    let app: App;
    let alice: TestUser;
    let tus: TusTestClient;

    beforeAll(async () => {
      app = await buildTestApp({ dialect, config: { files: { clamdSocket: clamd.socket } } });
      const base = `http://127.0.0.1:${await app.listen()}`;
      alice = await registerUser(app);
      tus = new TusTestClient(base, alice.accessToken);
    });
    afterAll(() => app.close());

    it('refuses the EICAR test file with the signature name, removes it and keeps the evidence', async () => {
      const { id, res } = await tus.upload(EICAR, {
        filename: 'eicar.com',
        filetype: 'application/octet-stream',
      });
      expect(res.status).toBe(422);
      const body = await res.json();
      expect(body.error).toMatchObject({
        code: 'FILE_REJECTED',
        details: { reason: 'Eicar-Test-Signature.UNOFFICIAL' },
      });
      expect(await mustCall(app, 'files.get', { id }, alice.accessToken)).toMatchObject({
        status: 'rejected',
        reason: 'Eicar-Test-Signature.UNOFFICIAL',
        sha256: sha256(EICAR),
      });
      expect(existsSync(join(app.platform.config.dataDir, 'files', id))).toBe(false);
      const evidence = await app.services.audit.list({ action: 'file.reject', subject: sha256(EICAR) });
      expect(evidence.records[0]).toMatchObject({ actorId: alice.userId, ip: '127.0.0.1' });
      expect(evidence.records[0]!.details).toMatchObject({
        fileId: id,
        reason: 'Eicar-Test-Signature.UNOFFICIAL',
      });
    });

    it('lets a clean file through, also one larger than a single clamd chunk', async () => {
      const data = pseudoRandomBytes(3 * 1024 * 1024, 8);
      const { id, res } = await tus.upload(data, { filename: 'clean.bin' }, 1024 * 1024);
      expect(res.status).toBe(204);
      expect(await mustCall(app, 'files.get', { id }, alice.accessToken)).toMatchObject({
        status: 'ready',
        sha256: sha256(data),
      });
    });
  });
});

describe.each(testDialects())('when the gate cannot decide (%s)', (dialect) => {
  let webhook: Server;
  let webhookUrl: string;
  const seen: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    webhook = createServer((req, res) => {
      let text = '';
      req.on('data', (d: Buffer) => (text += d.toString()));
      req.on('end', () => {
        const facts = JSON.parse(text) as Record<string, unknown>;
        seen.push(facts);
        const refuse = String(facts.name).startsWith('secret');
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(refuse ? { allow: false, reason: 'classified' } : { allow: true }));
      });
    });
    await new Promise<void>((r) => webhook.listen(0, '127.0.0.1', r));
    const addr = webhook.address();
    webhookUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/inspect`;
  });
  afterAll(() => new Promise<void>((r) => webhook.close(() => r())));

  async function appWith(
    files: Record<string, unknown>,
  ): Promise<{ app: App; tus: TusTestClient; user: TestUser }> {
    const app = await buildTestApp({ dialect, config: { files } });
    const base = `http://127.0.0.1:${await app.listen()}`;
    const user = await registerUser(app);
    return { app, tus: new TusTestClient(base, user.accessToken), user };
  }

  it('fails closed by default when clamd is unreachable, and open when configured so', async () => {
    const closed = await appWith({ clamdSocket: '/nonexistent/clamd.sock' });
    try {
      const { id, res } = await closed.tus.upload(Buffer.from('plain text'), { filename: 'a.txt' });
      expect(res.status).toBe(422);
      expect(await mustCall(closed.app, 'files.get', { id }, closed.user.accessToken)).toMatchObject({
        status: 'rejected',
        reason: 'scanner unavailable',
      });
    } finally {
      await closed.app.close();
    }
    const open = await appWith({ clamdSocket: '/nonexistent/clamd.sock', clamdFailOpen: true });
    try {
      const { id, res } = await open.tus.upload(Buffer.from('plain text'), { filename: 'a.txt' });
      expect(res.status).toBe(204);
      expect((await mustCall(open.app, 'files.get', { id }, open.user.accessToken)).status).toBe('ready');
    } finally {
      await open.app.close();
    }
  });

  it('asks the inspection webhook about every completed upload and obeys a refusal', async () => {
    const { app, tus, user } = await appWith({ inspectWebhookUrl: webhookUrl });
    try {
      const ok = await tus.upload(Buffer.from('meeting notes'), { filename: 'notes.txt' });
      expect(ok.res.status).toBe(204);
      const refused = await tus.upload(Buffer.from('top secret'), { filename: 'secret.txt' });
      expect(refused.res.status).toBe(422);
      expect(await mustCall(app, 'files.get', { id: refused.id }, user.accessToken)).toMatchObject({
        status: 'rejected',
        reason: 'inspection: classified',
      });
      expect(seen.find((f) => f.fileId === ok.id)).toEqual({
        fileId: ok.id,
        sha256: sha256(Buffer.from('meeting notes')),
        name: 'notes.txt',
        size: 13,
        mime: 'text/plain',
        ownerId: user.userId,
        conversationId: null,
      });
    } finally {
      await app.close();
    }
  });
});
