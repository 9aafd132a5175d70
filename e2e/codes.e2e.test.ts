import { ZhixinError, type QuickLoginStatus, type ZhixinClient } from '@zhixin/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClient, signUp, startServer, type RunningServer } from './support.ts';

describe('security codes through the SDK', () => {
  let server: RunningServer;
  const clients: ZhixinClient[] = [];
  const client = (name: string) => {
    const c = newClient(server, name);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await server.app.close();
  });

  it('logs a desktop in by quick login: the phone scans and allows, the desktop stores its session', async () => {
    const phone = client('phone');
    const desktop = client('Linux 桌面端');
    const alice = await signUp(server, phone, '阿丽');
    const attempt = await desktop.auth.quickLoginStart();
    const seen: QuickLoginStatus['state'][] = [];
    const waiting = desktop.auth.quickLoginWait(attempt, { onStatus: (s) => seen.push(s.state) });
    const resolved = await phone.codes.resolve(attempt.code);
    expect(resolved).toMatchObject({ kind: 'login', device: { name: 'Linux 桌面端' } });
    const scanned = await phone.codes.scanLogin(attempt.code);
    await phone.codes.confirmLogin(scanned.attemptId, true);
    const result = await waiting;
    expect(result.state).toBe('confirmed');
    expect(seen).toContain('confirmed');
    expect((await desktop.auth.session())?.userId).toBe(alice.userId);
    expect((await desktop.users.me()).id).toBe(alice.userId);
    await expect(phone.codes.scanLogin(attempt.code)).rejects.toMatchObject({ code: 'CODE_INVALID' });
  });

  it('reports a declined login and stores nothing', async () => {
    const phone = client('phone2');
    const desktop = client('desk2');
    await signUp(server, phone, '小波');
    const attempt = await desktop.auth.quickLoginStart();
    const waiting = desktop.auth.quickLoginWait(attempt);
    await phone.codes.scanLogin(attempt.code);
    await phone.codes.confirmLogin(attempt.attemptId, false);
    expect((await waiting).state).toBe('declined');
    expect(await desktop.auth.session()).toBeNull();
  });

  it('refreshes my code and resolves user and transfer codes', async () => {
    const a = client('a');
    const b = client('b');
    const alice = await signUp(server, a, 'Alice');
    await signUp(server, b, 'Bob');
    const old = await a.codes.mine();
    expect(await b.codes.resolve(old.code)).toMatchObject({ kind: 'user', profile: { id: alice.userId } });
    const fresh = await a.codes.refreshMine({ validityDays: 0 });
    expect(fresh.expiresAt).toBeNull();
    const err = await b.codes.resolve(old.code).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZhixinError);
    expect(err).toMatchObject({ code: 'CODE_INVALID' });
    const t = await a.codes.createTransfer({ targetUserId: alice.userId, message: '请假申请：' });
    expect(await b.codes.resolve(t.code)).toMatchObject({
      kind: 'transfer',
      target: { kind: 'user', profile: { id: alice.userId } },
      message: '请假申请：',
    });
  });
});
