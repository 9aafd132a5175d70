import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { AppError } from '../../errors.ts';
import { createLogger } from '../logger.ts';
import { DevSmsProvider, HttpSmsProvider, createSmsProvider, renderSmsBody } from './index.ts';

const log = createLogger('silent');

interface Received {
  method: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}

let server: Server | undefined;

/** A real carrier stand-in on a random local port. */
async function carrier(reply: (res: ServerResponse) => void): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        body,
      });
      reply(res);
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`, received };
}

function smsConfig(url: string, extra: Partial<ReturnType<typeof loadConfig>['sms']> = {}) {
  return { ...loadConfig({ env: {}, file: '' }).sms, provider: 'http' as const, httpUrl: url, ...extra };
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

describe('HttpSmsProvider', () => {
  it('posts the rendered template with the Authorization header', async () => {
    const { url, received } = await carrier((res) => res.writeHead(200).end('{"ok":true}'));
    const sms = new HttpSmsProvider(smsConfig(url, { httpAuthorization: 'Basic dXNlcjpwYXNz' }), log);
    await sms.send('+8613800138000', '123456', 'login');
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      method: 'POST',
      authorization: 'Basic dXNlcjpwYXNz',
      contentType: 'application/json',
    });
    expect(JSON.parse(received[0]!.body)).toEqual({
      phone: '+8613800138000',
      code: '123456',
      purpose: 'login',
    });
  });

  it('answers UNAVAILABLE when the gateway returns a non-2xx status', async () => {
    const { url } = await carrier((res) => res.writeHead(502).end('bad gateway'));
    const sms = new HttpSmsProvider(smsConfig(url), log);
    await expect(sms.send('+8613800138000', '123456', 'login')).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
  });

  it('answers UNAVAILABLE when the gateway does not answer within httpTimeoutMs', async () => {
    const { url } = await carrier(() => {}); // never replies
    const sms = new HttpSmsProvider(smsConfig(url, { httpTimeoutMs: 200 }), log);
    const started = Date.now();
    const err = await sms.send('+8613800138000', '123456', 'login').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('answers UNAVAILABLE when nothing listens at the URL', async () => {
    const { url } = await carrier((res) => res.end());
    await new Promise<void>((r) => server!.close(() => r()));
    server = undefined;
    const sms = new HttpSmsProvider(smsConfig(url), log);
    await expect(sms.send('+8613800138000', '123456', 'login')).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
  });

  it('JSON-escapes values placed into the template', () => {
    const body = renderSmsBody('{"to":"{phone}","text":"code {code} for {purpose}"}', {
      phone: '+86"1\\',
      code: '123456',
      purpose: 'a\nb',
    });
    expect(JSON.parse(body)).toEqual({ to: '+86"1\\', text: 'code 123456 for a\nb' });
  });
});

describe('DevSmsProvider', () => {
  it('keeps the last code per phone and purpose', async () => {
    const sms = new DevSmsProvider(log);
    await sms.send('+8613800138000', '111111', 'login');
    await sms.send('+8613800138000', '222222', 'login');
    await sms.send('+8613800138000', '333333', 'register');
    expect(sms.lastCode('+8613800138000', 'login')).toBe('222222');
    expect(sms.lastCode('+8613800138000', 'register')).toBe('333333');
    expect(sms.lastCode('+8613900139000', 'login')).toBeUndefined();
  });

  it('is what the config chooses by default', () => {
    expect(createSmsProvider(loadConfig({ env: {}, file: '' }).sms, log)).toBeInstanceOf(DevSmsProvider);
  });
});
