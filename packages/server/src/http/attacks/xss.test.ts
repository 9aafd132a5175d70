import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { TusTestClient } from '../../modules/files/files.testing.ts';
import { buildTestApp } from '../../testing/app.ts';
import { callOp, errorOf, mustCall, registerUser, type TestUser } from '../../testing/factories.ts';
import { befriend } from '../../testing/friends.ts';

/**
 * Attack: stored XSS, server side. The server never renders user text into HTML: it answers JSON
 * (nosniff), so payloads come back verbatim as data for the client to render as text (the browser
 * test e2e/web/xss.e2e.test.ts proves the client does). Uploaded HTML and SVG are never served as
 * something a browser would run, file names cannot break out of Content-Disposition, images must be
 * real images, and no error page reflects its input as HTML.
 */

const PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  'javascript:alert(1)',
  '{{constructor.constructor("alert(1)")()}}',
  '<a href="javascript:alert(1)">x</a>',
];

describe('stored XSS, server side', () => {
  let app: App;
  let port: number;
  let user: TestUser;
  let friend: TestUser;
  beforeAll(async () => {
    app = await buildTestApp();
    port = await app.listen();
    user = await registerUser(app);
    friend = await registerUser(app);
    await befriend(app, user, friend);
  });
  afterAll(() => app.close());

  it('answers stored payloads verbatim, as JSON a browser will not sniff into HTML', async () => {
    const group = await mustCall(
      app,
      'groups.create',
      { title: 'g', memberIds: [friend.userId] },
      user.accessToken,
    );
    for (const [i, p] of PAYLOADS.entries()) {
      await mustCall(app, 'users.updateMe', { nickname: p.slice(0, 32), signature: p }, user.accessToken);
      await mustCall(app, 'groups.rename', { conversationId: group.id, title: p }, user.accessToken);
      await mustCall(app, 'groups.setAnnouncement', { conversationId: group.id, text: p }, user.accessToken);
      await mustCall(
        app,
        'messages.send',
        { conversationId: group.id, clientId: `xss-client-${i}`, content: { kind: 'text', text: p } },
        user.accessToken,
      );
      const res = await app.http.inject({
        url: `/api/v1/users?ids=${user.userId}`,
        headers: { authorization: `Bearer ${friend.accessToken}` },
      });
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.json().users[0].signature).toBe(p);
    }
    const history = await app.http.inject({
      url: `/api/v1/conversations/${group.id}/messages`,
      headers: { authorization: `Bearer ${friend.accessToken}` },
    });
    expect(history.headers['content-type']).toMatch(/^application\/json/);
    const texts = (history.json() as { messages: Array<{ content: { text?: string } }> }).messages.map(
      (m) => m.content.text,
    );
    for (const p of PAYLOADS) expect(texts).toContain(p);
  });

  it('reflects no input as HTML in errors', async () => {
    const probe = encodeURIComponent('<script>alert(1)</script>');
    for (const url of [`/api/v1/${probe}`, `/api/v1/conversations/${probe}`, `/api/v1/images/${probe}`]) {
      const res = await app.http.inject({ url, headers: { authorization: `Bearer ${user.accessToken}` } });
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(res.headers['content-type'], url).toMatch(/^application\/json/);
    }
  });

  it('never serves an uploaded HTML or SVG file as a page, even when asked for inline', async () => {
    const tus = new TusTestClient(`http://127.0.0.1:${port}`, user.accessToken);
    const files = [
      {
        name: 'page.html',
        type: 'text/html',
        body: '<!doctype html><script>alert(document.domain)</script>',
      },
      {
        name: 'pic.svg',
        type: 'image/svg+xml',
        body: '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
      },
      { name: 'fake.png', type: 'image/png', body: '<html><script>alert(1)</script></html>' },
      {
        name: 'x.xhtml',
        type: 'application/xhtml+xml',
        body: '<html xmlns="http://www.w3.org/1999/xhtml"/>',
      },
    ];
    for (const f of files) {
      const { id } = await tus.upload(Buffer.from(f.body), { filename: f.name, filetype: f.type });
      const { url } = await mustCall(app, 'files.link', { id, disposition: 'inline' }, user.accessToken);
      const res = await app.http.inject(url);
      expect(res.statusCode, f.name).toBe(200);
      expect(res.headers['content-disposition'], f.name).toMatch(/^attachment;/);
      expect(res.headers['x-content-type-options'], f.name).toBe('nosniff');
      expect(String(res.headers['content-type']), f.name).not.toMatch(/html|svg|xml|javascript/);
    }
  });

  it('keeps file names inside Content-Disposition', async () => {
    const tus = new TusTestClient(`http://127.0.0.1:${port}`, user.accessToken);
    const name = 'a"; filename="evil.html';
    const { id } = await tus.upload(Buffer.from('hello'), { filename: name });
    const { url } = await mustCall(app, 'files.link', { id }, user.accessToken);
    const disposition = String((await app.http.inject(url)).headers['content-disposition']);
    expect(disposition.match(/filename="/g)).toHaveLength(1);
    expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent(name).replace(/'/g, '%27')}`);
    expect(disposition).not.toContain('filename="evil.html');
    // CR/LF cannot even be stored, so no header can be injected.
    const created = await tus.create(5, { filename: 'a\r\nX-Injected: 1' });
    expect(created.status).toBe(400);
    expect(await created.json()).toMatchObject({ error: { code: 'FILE_NAME_INVALID' } });
  });

  it('refuses an "image" that is really HTML or SVG', async () => {
    for (const body of ['<html><script>alert(1)</script></html>', '<svg onload="alert(1)"/>']) {
      const res = await callOp(
        app,
        'images.upload',
        { mime: 'image/png', dataBase64: Buffer.from(body).toString('base64') },
        user.accessToken,
      );
      expect(errorOf(res)).toEqual({ status: 400, code: 'IMAGE_INVALID' });
    }
  });
});
