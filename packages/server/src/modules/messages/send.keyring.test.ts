import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp } from '../../testing/app.ts';
import { callOp, mustCall, registerUser, type TestUser } from '../../testing/factories.ts';
import { clientId, fileOf, imageOf, photoWithGps, upload } from '../filerefs/filerefs.testing.ts';

/**
 * The keyring's work per send, counted through the API (issue 6's encryption-cost benchmark): what
 * encryption at rest adds to a send is these calls, so a path that seals or opens more than it
 * needs shows up here, not only as a slower benchmark.
 */
describe('keyring calls per message send', () => {
  let app: App;
  let base: string;
  let alice: TestUser;
  let direct: string;

  beforeAll(async () => {
    app = await buildTestApp();
    base = `http://127.0.0.1:${await app.listen()}`;
    const bob = await registerUser(app);
    alice = await registerUser(app);
    direct = (await mustCall(app, 'conversations.openDirect', { userId: bob.userId }, alice.accessToken)).id;
  }, 60_000);
  afterAll(() => app.close());

  /** Send once and tally the keyring's calls by kind and context while it ran. */
  async function countedSend(content: unknown): Promise<Record<string, number>> {
    const keyring = app.platform.keyring;
    const counts: Record<string, number> = {};
    const tally = (key: string) => (counts[key] = (counts[key] ?? 0) + 1);
    const seal = vi.spyOn(keyring, 'seal');
    const open = vi.spyOn(keyring, 'open');
    const index = vi.spyOn(keyring, 'blindIndex');
    try {
      const res = await callOp(
        app,
        'messages.send',
        { conversationId: direct, clientId: clientId(), content },
        alice.accessToken,
      );
      expect(res.status).toBe(200);
    } finally {
      for (const [, context] of seal.mock.calls) tally(`seal ${context}`);
      for (const [, context] of open.mock.calls) tally(`open ${context}`);
      for (const [domain] of index.mock.calls) tally(`blindIndex ${domain}`);
      vi.restoreAllMocks();
    }
    return counts;
  }

  it('seals a text message body once and opens nothing', async () => {
    const counts = await countedSend({ kind: 'text', text: '你好 hello' });
    expect(counts).toEqual({ 'seal messages.content': 1, 'blindIndex message-mac': 1 });
  });

  it('seals a file message body and its evidence record once each, and never opens the file name', async () => {
    const photo = await upload(app, base, alice, await photoWithGps(), {
      filename: '照片.jpg',
      filetype: 'image/jpeg',
    });
    const report = await upload(app, base, alice, Buffer.from('%PDF-1.4\n' + ' '.repeat(2048)), {
      filename: '季度报告.pdf',
      filetype: 'application/pdf',
    });
    for (const content of [imageOf(photo), fileOf(report)]) {
      const counts = await countedSend(content);
      expect(counts).toEqual({
        'seal messages.content': 1,
        'seal audit.details': 1,
        'blindIndex message-mac': 1,
      });
    }
    // The evidence still names the file by its content hash, read once by the send's check.
    const [record] = await app.services.audit.listAscending(
      { category: 'file', action: 'file.send', subject: report.sha256 ?? '', limit: 10 },
      0,
    );
    expect(record).toMatchObject({ actorId: alice.userId, conversationId: direct });
  });
});
