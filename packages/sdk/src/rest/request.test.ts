import { describe, expect, it } from 'vitest';
import { ZhixinError } from '../errors.ts';
import { buildHttpRequest, webSocketUrl } from './request.ts';
import { parseRetryAfter } from './fetch.ts';

const BASE = 'https://im.example.com';

describe('buildHttpRequest', () => {
  it('puts the remaining fields of a GET in the query string, numbers as strings', () => {
    expect(
      buildHttpRequest(BASE, 'messages.history', { conversationId: 'c1', afterSeq: 5, limit: 100 }),
    ).toEqual({
      method: 'GET',
      url: `${BASE}/api/v1/conversations/c1/messages?afterSeq=5&limit=100`,
    });
  });

  it('leaves out undefined fields and the query when nothing remains', () => {
    expect(buildHttpRequest(BASE, 'conversations.list', { since: undefined })).toEqual({
      method: 'GET',
      url: `${BASE}/api/v1/conversations`,
    });
    expect(buildHttpRequest(BASE, 'users.me', {}).url).toBe(`${BASE}/api/v1/users/me`);
  });

  it('writes booleans as strings and encodes query values', () => {
    const req = buildHttpRequest(BASE, 'users.lookupByPhone', { phone: '+8613800138000' });
    expect(req.url).toBe(`${BASE}/api/v1/users/lookup?phone=%2B8613800138000`);
    expect(buildHttpRequest(BASE, 'users.profiles', { ids: 'a,b' }).url).toBe(
      `${BASE}/api/v1/users?ids=a%2Cb`,
    );
  });

  it('fills several path parameters and sends the rest as a JSON body', () => {
    const req = buildHttpRequest(BASE, 'messages.react', {
      conversationId: 'c1',
      seq: 42,
      emoji: '👍',
      on: true,
    });
    expect(req.method).toBe('POST');
    expect(req.url).toBe(`${BASE}/api/v1/conversations/c1/messages/42/reactions`);
    expect(JSON.parse(req.body as string)).toEqual({ emoji: '👍', on: true });
  });

  it('URL-encodes path parameters', () => {
    const req = buildHttpRequest(BASE, 'conversations.get', { conversationId: 'a/b c?' });
    expect(req.url).toBe(`${BASE}/api/v1/conversations/a%2Fb%20c%3F`);
  });

  it('sends an empty JSON object for a POST with nothing but path parameters', () => {
    const req = buildHttpRequest(BASE, 'messages.recall', { conversationId: 'c1', seq: 3 });
    expect(req.url).toBe(`${BASE}/api/v1/conversations/c1/messages/3/recall`);
    expect(req.body).toBe('{}');
  });

  it('binds DELETE like GET: parameters in the path, the rest in the query', () => {
    expect(buildHttpRequest(BASE, 'auth.revokeDevice', { sessionId: 's1' })).toEqual({
      method: 'DELETE',
      url: `${BASE}/api/v1/auth/devices/s1`,
    });
  });

  it('keeps a base path and drops trailing slashes', () => {
    expect(buildHttpRequest('https://corp.example/zhixin///', 'users.me', {}).url).toBe(
      'https://corp.example/zhixin/api/v1/users/me',
    );
  });

  it('refuses a request without a path parameter', () => {
    expect(() => buildHttpRequest(BASE, 'conversations.get', {} as { conversationId: string })).toThrow(
      ZhixinError,
    );
    try {
      buildHttpRequest(BASE, 'conversations.get', { conversationId: '' });
    } catch (err) {
      expect((err as ZhixinError).code).toBe('VALIDATION_FAILED');
    }
  });
});

describe('webSocketUrl', () => {
  it('maps http to ws and https to wss, then adds /ws', () => {
    expect(webSocketUrl('http://127.0.0.1:8080')).toBe('ws://127.0.0.1:8080/ws');
    expect(webSocketUrl('https://im.example.com/zx/')).toBe('wss://im.example.com/zx/ws');
    expect(webSocketUrl('HTTPS://IM.example.com')).toBe('wss://IM.example.com/ws');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds or an HTTP date', () => {
    expect(parseRetryAfter('3', 0)).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(parseRetryAfter(null, 0)).toBeUndefined();
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
  });
});
