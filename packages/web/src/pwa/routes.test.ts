import { describe, expect, it } from 'vitest';
import { staleCaches, strategyFor, type RequestInfo } from './routes.ts';

const ORIGIN = 'https://im.example.cn';
const precached = new Set(['/index.html', '/manifest.webmanifest', '/icons/icon-192.png']);
const get = (path: string, mode: RequestMode = 'no-cors'): RequestInfo => ({
  url: ORIGIN + path,
  method: 'GET',
  mode,
});

describe('service worker routing', () => {
  it('never caches the API or the WebSocket, not even a navigation to them', () => {
    expect(strategyFor(get('/api/v1/conversations'), ORIGIN, precached)).toBe('network');
    expect(strategyFor(get('/api/v1/auth/session', 'navigate'), ORIGIN, precached)).toBe('network');
    expect(strategyFor(get('/ws'), ORIGIN, precached)).toBe('network');
  });

  it('keeps images by id cache-first, but not image listings or queries', () => {
    expect(strategyFor(get('/api/v1/images/IMG123'), ORIGIN, precached)).toBe('cache-first');
    expect(strategyFor(get('/api/v1/images/IMG123?size=1'), ORIGIN, precached)).toBe('network');
    expect(strategyFor(get('/api/v1/images'), ORIGIN, precached)).toBe('network');
  });

  it('answers navigations network-first with the shell as fallback', () => {
    expect(strategyFor(get('/chats/abc', 'navigate'), ORIGIN, precached)).toBe('navigation');
  });

  it('serves build assets and precached files cache-first', () => {
    expect(strategyFor(get('/assets/index-abc123.js'), ORIGIN, precached)).toBe('cache-first');
    expect(strategyFor(get('/icons/icon-192.png'), ORIGIN, precached)).toBe('cache-first');
    expect(strategyFor(get('/robots.txt'), ORIGIN, precached)).toBe('network');
  });

  it('leaves writes and other origins alone', () => {
    expect(strategyFor({ ...get('/assets/x.js'), method: 'POST' }, ORIGIN, precached)).toBe('network');
    expect(
      strategyFor(
        { url: 'https://cdn.example.com/assets/x.js', method: 'GET', mode: 'cors' },
        ORIGIN,
        precached,
      ),
    ).toBe('network');
  });

  it('deletes the shell caches of other builds on activate, and nothing that is not ours', () => {
    const existing = ['zhixin-shell-old1', 'zhixin-shell-new2', 'zhixin-images-v1', 'someone-else'];
    expect(staleCaches(existing, 'new2')).toEqual(['zhixin-shell-old1']);
  });
});
