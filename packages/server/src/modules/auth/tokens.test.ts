import { createHmac, randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { AppError } from '../../errors.ts';
import { AccessTokens } from './tokens.ts';

const key = randomBytes(32);
const tokens = new AccessTokens(key, 900);
const who = { userId: 'u1', sessionId: 's1', role: 'user' as const };
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** A token over any header and claims, signed with `withKey` (our key by default). */
function forge(header: unknown, claims: unknown, withKey: Buffer = key): string {
  const unsigned = `${b64(header)}.${b64(claims)}`;
  return `${unsigned}.${createHmac('sha256', withKey).update(unsigned).digest('base64url')}`;
}

async function codeOf(token: string, now?: number): Promise<string> {
  try {
    await tokens.verify(token, now);
    return 'OK';
  } catch (err) {
    return (err as AppError).code;
  }
}

const now = Math.floor(Date.now() / 1000);
const claims = { sub: 'u1', sid: 's1', role: 'user', aud: 'zhixin:access', iat: now, exp: now + 60 };

describe('access tokens', () => {
  it('verifies what it signs, and a token signed by a standard JWT library with the same key', async () => {
    const { token, expiresAt } = await tokens.sign(who);
    expect(await tokens.verify(token)).toEqual(who);
    expect(expiresAt).toBeGreaterThan(Date.now() + 899_000);
    const standard = await new SignJWT({ sid: 's1', role: 'admin' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('u1')
      .setAudience('zhixin:access')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key);
    expect(await tokens.verify(standard)).toEqual({ userId: 'u1', sessionId: 's1', role: 'admin' });
  });

  it('accepts our header spelled otherwise (the fast path only skips decoding the usual spelling)', async () => {
    expect(await codeOf(forge({ alg: 'HS256' }, claims))).toBe('OK');
    expect(await codeOf(forge({ typ: 'JWT', alg: 'HS256' }, claims))).toBe('OK');
    expect(await codeOf(forge({ typ: 'JOSE', alg: 'HS256' }, claims))).toBe('TOKEN_INVALID');
  });

  it('says TOKEN_EXPIRED at the expiry second, TOKEN_INVALID before a not-before time', async () => {
    const { token } = await tokens.sign(who, Date.now());
    expect(await codeOf(token, Date.now() + 899_000)).toBe('OK');
    expect(await codeOf(token, Date.now() + 901_000)).toBe('TOKEN_EXPIRED');
    expect(await codeOf(forge({ alg: 'HS256' }, { ...claims, nbf: now + 30 }))).toBe('TOKEN_INVALID');
  });

  it.each([
    ['another key', forge({ alg: 'HS256', typ: 'JWT' }, claims, randomBytes(32))],
    ['alg none', `${b64({ alg: 'none' })}.${b64(claims)}.`],
    ['alg HS512 header', forge({ alg: 'HS512' }, claims)],
    ['a header field we never set (kid)', forge({ alg: 'HS256', kid: '../../key' }, claims)],
    ['a critical header', forge({ alg: 'HS256', crit: ['exp'] }, claims)],
    ['another audience', forge({ alg: 'HS256' }, { ...claims, aud: 'someone-else' })],
    ['no audience', forge({ alg: 'HS256' }, { ...claims, aud: undefined })],
    ['no expiry', forge({ alg: 'HS256' }, { ...claims, exp: undefined })],
    ['a string expiry', forge({ alg: 'HS256' }, { ...claims, exp: String(now + 60) })],
    ['an unknown role', forge({ alg: 'HS256' }, { ...claims, role: 'root' })],
    ['no session', forge({ alg: 'HS256' }, { ...claims, sid: undefined })],
    ['a payload that is an array', forge({ alg: 'HS256' }, [claims])],
    ['two parts', `${b64({ alg: 'HS256' })}.${b64(claims)}`],
    ['four parts', `${forge({ alg: 'HS256' }, claims)}.x`],
    ['garbage', 'not a token'],
    ['an oversize token', 'a'.repeat(5000)],
  ])('refuses %s', async (_what, token) => {
    expect(await codeOf(token)).toBe('TOKEN_INVALID');
  });

  it('refuses a changed payload and a signature with extra or altered characters', async () => {
    const { token } = await tokens.sign(who);
    const [h, p, s] = token.split('.') as [string, string, string];
    const admin = b64({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), role: 'admin' });
    expect(await codeOf(`${h}.${admin}.${s}`)).toBe('TOKEN_INVALID');
    expect(await codeOf(`${h}.${p}.${s}A`)).toBe('TOKEN_INVALID');
    expect(await codeOf(`${h}.${p}.${s.slice(0, -1)}${s.endsWith('A') ? 'B' : 'A'}`)).toBe('TOKEN_INVALID');
    expect(await codeOf(`${h}.${p}.${s}=`)).toBe('TOKEN_INVALID');
  });
});
