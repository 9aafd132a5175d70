import { buildApp } from '../../packages/server/src/app.ts';
import { loadConfig } from '../../packages/server/src/config.ts';
import { lastSmsCode } from '../../packages/server/src/testing/sms.ts';
import type { Target } from './server.ts';

export interface SeededUser {
  userId: string;
  accessToken: string;
  /** Conversations this user sends to, round robin. */
  targets: string[];
}

/**
 * Register `n` users and their conversations directly in the target store (in this process,
 * before the server starts): each user has a direct chat with the next one and sits in one group.
 */
export async function seedUsers(target: Target, n: number, groupSize: number): Promise<SeededUser[]> {
  const config = loadConfig({
    env: {},
    file: '',
    overrides: {
      dataDir: target.dataDir,
      databaseUrl: target.databaseUrl,
      logLevel: 'warn',
      auth: { accessTtlSeconds: 7200, smsResendSeconds: 0, smsMaxPerPhonePerDay: 1000 },
    },
  });
  const app = await buildApp(config);
  try {
    const users: SeededUser[] = [];
    const stamp = String(Date.now()).slice(-5);
    const device = (i: number) => ({
      deviceId: `bench-device-${i}`,
      name: 'bench',
      platform: 'server' as const,
    });
    const ctx = { principal: null, ip: '127.0.0.1' };
    for (let i = 0; i < n; i++) {
      const phone = `+861${String(3_000_000_000 + Number(stamp) * 10_000 + i).slice(-10)}`;
      await app.ops.invoke('auth.sendSmsCode', { phone, purpose: 'register' }, ctx);
      const code = lastSmsCode(app, phone, 'register');
      const session = await app.ops.invoke(
        'auth.register',
        { phone, code, password: 'bench-password-1', nickname: `压测${i}`, device: device(i) },
        ctx,
      );
      users.push({ userId: session.userId, accessToken: session.tokens.accessToken, targets: [] });
      (users.at(-1) as SeededUser & { sessionId?: string }).sessionId = session.sessionId;
    }
    const principal = (u: SeededUser) => ({
      principal: {
        userId: u.userId,
        sessionId: (u as SeededUser & { sessionId: string }).sessionId,
        role: 'user' as const,
      },
      ip: '127.0.0.1',
    });
    for (let i = 0; i < n; i++) {
      const me = users[i] as SeededUser;
      const peer = users[(i + 1) % n] as SeededUser;
      const direct = await app.ops.invoke('conversations.openDirect', { userId: peer.userId }, principal(me));
      me.targets.push(direct.id);
    }
    for (let g = 0; g < n; g += groupSize) {
      const members = users.slice(g, g + groupSize);
      if (members.length < 2) break;
      const [owner, ...rest] = members as [SeededUser, ...SeededUser[]];
      const group = await app.ops.invoke(
        'groups.create',
        { title: `压测群${g / groupSize}`, memberIds: rest.map((u) => u.userId) },
        principal(owner),
      );
      for (const m of members) m.targets.push(group.id);
    }
    return users;
  } finally {
    await app.close();
  }
}
