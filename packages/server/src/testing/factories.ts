import { randomInt } from 'node:crypto';
import {
  API_PREFIX,
  Operations,
  pathParams,
  type OpName,
  type OpRequest,
  type OpResponse,
} from '@zhixin/protocol';
import type { App } from '../app.ts';
import { randomToken } from '../platform/ids.ts';
import { normalizePhone } from '../modules/users/index.ts';
import { lastSmsCode } from './sms.ts';

export { lastSmsCode } from './sms.ts';

export interface OpResult<N extends OpName> {
  status: number;
  /** The response on 200; `{error}` otherwise. */
  body: OpResponse<N> & { error?: { code: string; message: string; details?: unknown } };
}

/**
 * Call an operation through the real REST route (app.http.inject): path parameters and, for GET and
 * DELETE, the query string are built from `input` as a client would. Each call comes from its own
 * random address, so the per-IP limits of sensitive routes do not trip shared test apps.
 */
export async function callOp<N extends OpName>(
  app: App,
  name: N,
  input: OpRequest<N> | Record<string, unknown>,
  accessToken?: string,
): Promise<OpResult<N>> {
  const def = Operations[name];
  const rest: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  let url = API_PREFIX + def.path;
  for (const p of pathParams(def.path)) {
    url = url.replace(`{${p}}`, encodeURIComponent(String(rest[p])));
    delete rest[p];
  }
  const inQuery = def.method === 'GET' || def.method === 'DELETE';
  const res = await app.http.inject({
    method: def.method,
    url,
    remoteAddress: `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`,
    ...(accessToken ? { headers: { authorization: `Bearer ${accessToken}` } } : {}),
    ...(inQuery
      ? { query: Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, String(v)])) }
      : { payload: rest }),
  });
  return { status: res.statusCode, body: res.json() };
}

/** Like callOp, but throws unless the call succeeds. */
export async function mustCall<N extends OpName>(
  app: App,
  name: N,
  input: OpRequest<N> | Record<string, unknown>,
  accessToken?: string,
): Promise<OpResponse<N>> {
  const res = await callOp(app, name, input, accessToken);
  if (res.status !== 200) throw new Error(`${name} failed with ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A random, unregistered-looking mainland mobile number in E.164. */
export function randomPhone(): string {
  return `+861${randomInt(3, 10)}${String(randomInt(0, 1_000_000_000)).padStart(9, '0')}`;
}

export function randomDeviceId(): string {
  return `test-${randomToken(9)}`;
}

/** A device description for login and registration bodies. */
export function testDevice(deviceId = randomDeviceId(), name = 'test device') {
  return { deviceId, name, platform: 'web' as const };
}

export interface TestUser {
  userId: string;
  /** E.164. */
  phone: string;
  password: string;
  sessionId: string;
  accessToken: string;
  refreshToken: string;
}

export interface RegisterUserOptions {
  phone?: string;
  nickname?: string;
  password?: string;
  deviceId?: string;
}

/** Register a user through the REST API: SMS code (read from the dev provider), then register. */
export async function registerUser(app: App, opts: RegisterUserOptions = {}): Promise<TestUser> {
  const phone = normalizePhone(opts.phone ?? randomPhone());
  const password = opts.password ?? `pw-${randomToken(9)}`;
  await mustCall(app, 'auth.sendSmsCode', { phone, purpose: 'register' });
  const session = await mustCall(app, 'auth.register', {
    phone,
    code: lastSmsCode(app, phone, 'register'),
    password,
    nickname: opts.nickname ?? `测试用户${randomInt(10_000)}`,
    device: testDevice(opts.deviceId),
  });
  return {
    userId: session.userId,
    phone,
    password,
    sessionId: session.sessionId,
    accessToken: session.tokens.accessToken,
    refreshToken: session.tokens.refreshToken,
  };
}

/** Log an existing user in by password through the REST API (a new device unless `deviceId` is given). */
export async function loginUser(
  app: App,
  phone: string,
  password: string,
  deviceId?: string,
): Promise<TestUser> {
  const session = await mustCall(app, 'auth.loginPassword', {
    phone,
    password,
    device: testDevice(deviceId),
  });
  return {
    userId: session.userId,
    phone: normalizePhone(phone),
    password,
    sessionId: session.sessionId,
    accessToken: session.tokens.accessToken,
    refreshToken: session.tokens.refreshToken,
  };
}

/** Status and error code of a failed call, for one-line assertions. */
export function errorOf(res: OpResult<OpName>): { status: number; code: string | undefined } {
  return { status: res.status, code: res.body.error?.code };
}

/** An administrator logged in through the REST API. */
export async function adminUser(app: App): Promise<TestUser> {
  const admin = await app.services.auth.createAdmin({ phone: randomPhone() });
  return loginUser(app, admin.phone, admin.password);
}

/** A staff member (operator or auditor) logged in through the REST API after the role was set. */
export async function staffUser(app: App, role: 'operator' | 'auditor'): Promise<TestUser> {
  const user = await registerUser(app);
  await app.platform.db.updateTable('users').set({ role }).where('id', '=', user.userId).execute();
  return loginUser(app, user.phone, user.password);
}
