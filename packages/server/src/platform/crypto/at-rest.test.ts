import { existsSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import { photo, uploadFile } from '../../modules/moments/moments.testing.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import { loginUser, mustCall, registerUser, type TestUser } from '../../testing/factories.ts';

/**
 * The at-rest proof (DESIGN.md, security model): what users write through the API is readable through
 * the API and appears nowhere in the database's bytes — not in the SQLite file, not in its WAL, not
 * in any column of any table on PostgreSQL — in UTF-8 or UTF-16.
 */
const PHONE = '+8613987654321';
const SECRETS = {
  phone: '13987654321',
  nickname: '保密昵称Quokka',
  signature: 'signature-Marmot-个性签名',
  direct: 'direct-message-Axolotl-机密',
  group: 'group-message-Pangolin-绝密',
  fileName: 'Narwhal-年度报告.jpg',
  moment: 'moment-text-Okapi-朋友圈',
  comment: 'moment-comment-Tapir-评论',
};

function forms(text: string): Buffer[] {
  const utf16be = Buffer.from(text, 'utf16le');
  utf16be.swap16();
  return [Buffer.from(text, 'utf8'), Buffer.from(text, 'utf16le'), utf16be];
}

/** Which secrets occur in `bytes`, in any of their encodings. */
function leaked(bytes: Buffer): string[] {
  return Object.entries(SECRETS)
    .filter(([, text]) => forms(text).some((f) => bytes.includes(f)))
    .map(([name]) => name);
}

describe.each(testDialects())('encryption at rest (%s)', (dialect) => {
  let app: App;
  let alice: TestUser;
  let bob: TestUser;
  let direct: string;
  let group: string;
  let post: string;
  let fileId: string;

  beforeAll(async () => {
    app = await buildTestApp({ dialect });
    const base = `http://127.0.0.1:${await app.listen()}`;
    alice = await registerUser(app, { phone: PHONE, nickname: SECRETS.nickname });
    bob = await registerUser(app);
    const carol = await registerUser(app);
    await mustCall(app, 'users.updateMe', { signature: SECRETS.signature }, alice.accessToken);
    direct = (await mustCall(app, 'conversations.openDirect', { userId: bob.userId }, alice.accessToken)).id;
    const text = (t: string) => ({ kind: 'text' as const, text: t });
    await mustCall(
      app,
      'messages.send',
      { conversationId: direct, clientId: 'at-rest-1', content: text(SECRETS.direct) },
      alice.accessToken,
    );
    group = (
      await mustCall(
        app,
        'groups.create',
        { title: '项目组', memberIds: [bob.userId, carol.userId] },
        alice.accessToken,
      )
    ).id;
    await mustCall(
      app,
      'messages.send',
      { conversationId: group, clientId: 'at-rest-2', content: text(SECRETS.group) },
      alice.accessToken,
    );
    const file = await uploadFile(app, base, alice, await photo(), SECRETS.fileName, 'image/jpeg');
    fileId = file.id;
    await mustCall(
      app,
      'messages.send',
      {
        conversationId: direct,
        clientId: 'at-rest-3',
        content: { kind: 'file', fileId, name: SECRETS.fileName, mime: 'image/jpeg', size: file.size },
      },
      alice.accessToken,
    );
    post = (
      await mustCall(
        app,
        'moments.create',
        { text: SECRETS.moment, visibility: 'everyone' },
        alice.accessToken,
      )
    ).id;
    await mustCall(app, 'moments.comment', { postId: post, text: SECRETS.comment }, alice.accessToken);
  });
  afterAll(() => app?.close());

  it('the API returns every value written', async () => {
    const me = await mustCall(app, 'users.me', {}, alice.accessToken);
    expect(me).toMatchObject({ phone: PHONE, nickname: SECRETS.nickname, signature: SECRETS.signature });
    const directPage = JSON.stringify(
      await mustCall(app, 'messages.history', { conversationId: direct }, bob.accessToken),
    );
    expect(directPage).toContain(SECRETS.direct);
    expect(directPage).toContain(SECRETS.fileName);
    const groupPage = JSON.stringify(
      await mustCall(app, 'messages.history', { conversationId: group }, bob.accessToken),
    );
    expect(groupPage).toContain(SECRETS.group);
    expect((await mustCall(app, 'files.get', { id: fileId }, alice.accessToken)).name).toBe(SECRETS.fileName);
    expect(JSON.stringify(await mustCall(app, 'moments.get', { id: post }, alice.accessToken))).toContain(
      SECRETS.moment,
    );
    expect(
      JSON.stringify(await mustCall(app, 'moments.comments', { postId: post }, alice.accessToken)),
    ).toContain(SECRETS.comment);
  });

  it.runIf(dialect === 'sqlite')('none of it is in the SQLite file or its WAL', async () => {
    const file = app.platform.config.databaseUrl;
    const parts = [file, `${file}-wal`].filter((f) => existsSync(f));
    expect(parts.length).toBeGreaterThan(0);
    // The search works: the (unsealed) upload's MIME type is in the bytes.
    const bytes = Buffer.concat(parts.map((f) => readFileSync(f)));
    expect(bytes.includes(Buffer.from('image/jpeg'))).toBe(true);
    expect(leaked(bytes)).toEqual([]);
  });

  it.runIf(dialect === 'postgres')('none of it is in any column of any table on PostgreSQL', async () => {
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(app.platform.db);
    expect(tables.rows.length).toBeGreaterThan(20);
    const found = new Map<string, string[]>();
    let sawMime = false;
    for (const { table_name } of tables.rows) {
      // Each row as text: every column, whatever its type (bytea shows as hex, so search that too).
      const rows = await sql<{ row: string }>`select t::text as row from ${sql.table(table_name)} t`.execute(
        app.platform.db,
      );
      const text = rows.rows.map((r) => r.row).join('\n');
      sawMime ||= text.includes('image/jpeg');
      const hex = Buffer.from(text.replace(/[^0-9a-f]/gi, ''), 'hex');
      const hits = [...new Set([...leaked(Buffer.from(text, 'utf8')), ...leaked(hex)])];
      if (hits.length) found.set(table_name, hits);
    }
    expect(sawMime).toBe(true);
    expect(Object.fromEntries(found)).toEqual({});
  });
});

describe('security.encryptAtRest=false (benchmarks only)', () => {
  it('is refused without security.allowDevSecrets, naming the key', () => {
    expect(() =>
      loadConfig({
        env: {},
        file: '',
        overrides: { security: { encryptAtRest: false, allowDevSecrets: false } },
      }),
    ).toThrow(/security\.encryptAtRest/);
  });

  it('stores plain values; rows written either way stay readable when the switch changes, both ways', async () => {
    const signature = async (app: App, user: TestUser) => {
      const session = await loginUser(app, user.phone, user.password);
      return (await mustCall(app, 'users.me', {}, session.accessToken)).signature;
    };
    const stored = async (app: App, userId: string) =>
      (
        await app.platform.db
          .selectFrom('users')
          .select('signature_enc')
          .where('id', '=', userId)
          .executeTakeFirstOrThrow()
      ).signature_enc;

    const on = await buildTestApp();
    const { dataDir, databaseUrl } = on.platform.config;
    const user = await registerUser(on, { nickname: '切换用户' });
    await mustCall(on, 'users.updateMe', { signature: 'sealed while on' }, user.accessToken);
    expect((await stored(on, user.userId)).startsWith('plain.')).toBe(false);
    await on.close();

    const off = await buildTestApp({
      dataDir,
      databaseUrl,
      config: { security: { kdfLogN: 10, encryptAtRest: false } },
    });
    try {
      expect(await signature(off, user)).toBe('sealed while on');
      const session = await loginUser(off, user.phone, user.password);
      await mustCall(off, 'users.updateMe', { signature: 'plain while off' }, session.accessToken);
      expect(await stored(off, user.userId)).toBe(
        `plain.${Buffer.from('plain while off').toString('base64url')}`,
      );
    } finally {
      await off.close();
    }

    const again = await buildTestApp({ dataDir, databaseUrl });
    try {
      expect(await signature(again, user)).toBe('plain while off');
    } finally {
      await again.close();
    }
  });
});
