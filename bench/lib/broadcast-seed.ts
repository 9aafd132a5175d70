import { buildApp, type App } from '../../packages/server/src/app.ts';
import { loadConfig } from '../../packages/server/src/config.ts';
import { lastSmsCode } from '../../packages/server/src/testing/sms.ts';
import type { Target } from './server.ts';

export interface OnlineUser {
  userId: string;
  accessToken: string;
}

export interface BroadcastSeed {
  adminToken: string;
  /** Users that connect during the run (the first `online` seeded users). */
  online: OnlineUser[];
  /** Pairs of online users with a direct chat, who keep chatting during the broadcast. */
  pairs: Array<{ a: OnlineUser; b: OnlineUser; conversationId: string }>;
  seedMs: number;
}

type Ctx = Parameters<App['ops']['invoke']>[2];
const anon: Ctx = { principal: null, ip: '127.0.0.1' };
const PARALLEL = 32;

/**
 * `users` accounts written straight through the users service (no SMS, no password hashing),
 * `online` of them logged in by SMS code (no hashing either) for WebSocket clients, `pairs` direct
 * chats among the last online users, and an administrator. In this process, before the server starts.
 */
export async function seedBroadcast(
  target: Target,
  users: number,
  online: number,
  pairs: number,
): Promise<BroadcastSeed> {
  const started = performance.now();
  const config = loadConfig({
    env: {},
    file: '',
    overrides: {
      dataDir: target.dataDir,
      databaseUrl: target.databaseUrl,
      logLevel: 'warn',
      auth: { accessTtlSeconds: 7200, smsResendSeconds: 0, smsMaxPerPhonePerDay: 1000 },
      http: { rateLimitPerMinute: 10_000_000, callerLimitMultiplier: 100_000 },
    },
  });
  const app = await buildApp(config);
  try {
    const stamp = Number(String(Date.now()).slice(-3));
    const phones: string[] = [];
    for (let next = 0; next < users;) {
      const batch = Array.from({ length: Math.min(PARALLEL, users - next) }, (_, k) => next + k);
      next += batch.length;
      await Promise.all(
        batch.map(async (i) => {
          const phone = `+8615${String(stamp * 100_000_000 + i)
            .padStart(9, '0')
            .slice(-9)}`;
          await app.services.users.createAccount({
            phone,
            passwordHash: '!bench',
            nickname: `用户${i}`,
            role: 'user',
          });
          if (i < online) phones[i] = phone;
        }),
      );
      if (next % 10_000 < PARALLEL) console.error(`seeded ${next}/${users} users`);
    }
    const sessions: OnlineUser[] = [];
    for (let i = 0; i < online; i++) {
      const phone = phones[i] as string;
      await app.ops.invoke('auth.sendSmsCode', { phone, purpose: 'login' }, anon);
      const s = await app.ops.invoke(
        'auth.loginSms',
        {
          phone,
          code: lastSmsCode(app, phone, 'login'),
          device: { deviceId: `bench-online-${i}`, name: 'bench', platform: 'server' },
        },
        anon,
      );
      sessions.push({ userId: s.userId, accessToken: s.tokens.accessToken });
    }
    console.error(`logged in ${online} online users`);
    const chat: BroadcastSeed['pairs'] = [];
    for (let p = 0; p < pairs && 2 * p + 1 < sessions.length; p++) {
      const a = sessions[sessions.length - 1 - 2 * p] as OnlineUser;
      const b = sessions[sessions.length - 2 - 2 * p] as OnlineUser;
      const ctx: Ctx = {
        principal: { userId: a.userId, sessionId: 'bench', role: 'user' },
        ip: '127.0.0.1',
      };
      const conv = await app.ops.invoke('conversations.openDirect', { userId: b.userId }, ctx);
      chat.push({ a, b, conversationId: conv.id });
    }
    const adminPhone = `+8614${String(stamp).padStart(9, '0')}`;
    const admin = await app.services.auth.createAdmin({ phone: adminPhone, password: 'bench-admin-pass' });
    const login = await app.ops.invoke(
      'auth.loginPassword',
      {
        phone: admin.phone,
        password: 'bench-admin-pass',
        device: { deviceId: 'bench-admin', name: 'bench', platform: 'server' },
      },
      anon,
    );
    return {
      adminToken: login.tokens.accessToken,
      online: sessions,
      pairs: chat,
      seedMs: performance.now() - started,
    };
  } finally {
    await app.close();
  }
}
