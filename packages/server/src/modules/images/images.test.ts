import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import { callOp, errorOf, mustCall, registerUser, type TestUser } from '../../testing/factories.ts';
import { decodeBase64, MAX_IMAGE_BYTES, sniffImage } from './images.magic.ts';

const PNG = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([36, 0, 0, 0]), Buffer.from('WEBPVP8 ')]);

function padded(head: Buffer, size: number): Buffer {
  return Buffer.concat([head, Buffer.alloc(size - head.length, 7)]);
}

describe('sniffImage and decodeBase64', () => {
  it('tells PNG, JPEG and WebP by their magic bytes, and nothing else', () => {
    expect(sniffImage(PNG)).toBe('image/png');
    expect(sniffImage(JPEG)).toBe('image/jpeg');
    expect(sniffImage(WEBP)).toBe('image/webp');
    expect(sniffImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(sniffImage(Buffer.from('RIFF\0\0\0\0WAVE'))).toBeNull();
    expect(sniffImage(Buffer.alloc(0))).toBeNull();
  });

  it('accepts strict base64 only', () => {
    expect(decodeBase64(PNG.toString('base64'))).toEqual(PNG);
    for (const bad of ['abc', 'ab=c', 'a b c d', 'ab-_', 'YQ==YQ==']) expect(decodeBase64(bad)).toBeNull();
  });
});

describe.each(testDialects())('images (%s)', (dialect) => {
  let app: App;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    app = await buildTestApp({ dialect });
    alice = await registerUser(app);
    bob = await registerUser(app);
  });
  afterAll(() => app.close());

  const upload = (user: TestUser, mime: string, bytes: Buffer | string) =>
    callOp(
      app,
      'images.upload',
      { mime, dataBase64: typeof bytes === 'string' ? bytes : bytes.toString('base64') },
      user.accessToken,
    );
  const countImages = async () =>
    Number(
      (
        await app.platform.db
          .selectFrom('images')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('stores an image and serves it without a session, immutable and typed', async () => {
    const ref = await mustCall(
      app,
      'images.upload',
      { mime: 'image/png', dataBase64: PNG.toString('base64') },
      alice.accessToken,
    );
    expect(ref).toEqual({ id: expect.stringMatching(/^[0-9A-Z]{26}$/), url: `/api/v1/images/${ref.id}` });
    const res = await app.http.inject({ method: 'GET', url: ref.url });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload).toEqual(PNG);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const etag = res.headers.etag as string;
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    const again = await app.http.inject({ method: 'GET', url: ref.url, headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
  });

  it('accepts JPEG and WebP up to 512 KiB', async () => {
    expect((await upload(alice, 'image/jpeg', padded(JPEG, MAX_IMAGE_BYTES))).status).toBe(200);
    const webp = await upload(bob, 'image/webp', WEBP);
    expect(webp.status).toBe(200);
    const served = await app.http.inject({ method: 'GET', url: webp.body.url });
    expect(served.headers['content-type']).toBe('image/webp');
  });

  it('refuses what is not the declared image, too large, or not base64, storing nothing', async () => {
    const before = await countImages();
    const cases: Array<[string, Buffer | string]> = [
      ['image/png', JPEG],
      ['image/jpeg', Buffer.from('<html><script>alert(1)</script></html>')],
      ['image/webp', Buffer.from('RIFF\0\0\0\0WAVEfmt ')],
      ['image/png', padded(PNG, MAX_IMAGE_BYTES + 1)],
      ['image/png', '!!!!'],
      ['image/png', 'iVBORw0KGgo'],
    ];
    for (const [mime, bytes] of cases) {
      expect(errorOf(await upload(alice, mime, bytes))).toEqual({ status: 400, code: 'IMAGE_INVALID' });
    }
    for (const body of [
      { mime: 'image/svg+xml', dataBase64: PNG.toString('base64') },
      { mime: 'image/png' },
      { mime: 'image/png', dataBase64: PNG.toString('base64'), name: 'x.png' },
    ]) {
      expect(errorOf(await callOp(app, 'images.upload', body, alice.accessToken))).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    expect(await countImages()).toBe(before);
  });

  it('answers a JSON 404 for an unknown or malformed image id', async () => {
    for (const url of ['/api/v1/images/01J00000000000000000000000', '/api/v1/images/..%2Fetc']) {
      const res = await app.http.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    }
  });

  it('lets me use my own upload as my avatar, and no one else’s', async () => {
    const mine = await mustCall(
      app,
      'images.upload',
      { mime: 'image/png', dataBase64: PNG.toString('base64') },
      alice.accessToken,
    );
    const theirs = await mustCall(
      app,
      'images.upload',
      { mime: 'image/png', dataBase64: PNG.toString('base64') },
      bob.accessToken,
    );
    expect(
      (await mustCall(app, 'users.updateMe', { avatarFileId: mine.id }, alice.accessToken)).avatarFileId,
    ).toBe(mine.id);
    for (const avatarFileId of [theirs.id, '01J00000000000000000000000']) {
      expect(
        errorOf(
          await callOp(app, 'users.updateMe', { avatarFileId, nickname: 'changed' }, alice.accessToken),
        ),
      ).toEqual({ status: 404, code: 'IMAGE_NOT_FOUND' });
    }
    const me = await mustCall(app, 'users.me', {}, alice.accessToken);
    expect(me.avatarFileId).toBe(mine.id);
    expect(me.nickname).not.toBe('changed');
    expect(
      (await mustCall(app, 'users.updateMe', { avatarFileId: null }, alice.accessToken)).avatarFileId,
    ).toBeNull();
  });

  it('requires a session to upload', async () => {
    expect(errorOf(await upload({ ...alice, accessToken: '' }, 'image/png', PNG))).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
  });
});
