import { buildApp, type App } from '../../packages/server/src/app.ts';
import { loadConfig } from '../../packages/server/src/config.ts';
import { lastSmsCode } from '../../packages/server/src/testing/sms.ts';
import type { Target } from './server.ts';

export interface InboxUser {
  userId: string;
  /** 11 digits, as typed on the sign-in screen. */
  phone: string;
  password: string;
}

export interface InboxOptions {
  conversations: number;
  messages: number;
  /** How many people the conversations are spread over (direct chats with each, groups of them). */
  peers?: number;
}

const PASSWORD = 'bench-password-1';

type Ctx = Parameters<App['ops']['invoke']>[2];

interface Account {
  userId: string;
  phone: string;
  ctx: Ctx;
}

async function register(app: App, phone: string, nickname: string): Promise<Account> {
  const anon = { principal: null, ip: '127.0.0.1' };
  const e164 = `+86${phone}`;
  await app.ops.invoke('auth.sendSmsCode', { phone: e164, purpose: 'register' }, anon);
  const session = await app.ops.invoke(
    'auth.register',
    {
      phone: e164,
      code: lastSmsCode(app, e164, 'register'),
      password: PASSWORD,
      nickname,
      device: { deviceId: `bench-inbox-${phone}`, name: 'bench', platform: 'server' as const },
    },
    anon,
  );
  return {
    userId: session.userId,
    phone,
    ctx: {
      principal: { userId: session.userId, sessionId: session.sessionId, role: 'user' },
      ip: '127.0.0.1',
    },
  };
}

/** Run `jobs` with at most `width` in flight: sends share group commits this way. */
async function inParallel<T>(jobs: Array<() => Promise<T>>, width: number): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < jobs.length; i += width)
    out.push(...(await Promise.all(jobs.slice(i, i + width).map((j) => j()))));
  return out;
}

/**
 * One user with a full inbox, written straight into the target store before the server starts:
 * `conversations` chats (direct chats with each peer, then groups of two peers), `messages` text
 * messages spread evenly and sent by both sides, and every peer as a contact.
 */
export async function seedInbox(target: Target, opts: InboxOptions): Promise<InboxUser> {
  const config = loadConfig({
    env: {},
    file: '',
    overrides: {
      dataDir: target.dataDir,
      databaseUrl: target.databaseUrl,
      logLevel: 'warn',
      auth: { smsResendSeconds: 0, smsMaxPerPhonePerDay: 1000 },
    },
  });
  const app = await buildApp(config);
  try {
    const stamp = String(Date.now()).slice(-6);
    const me = await register(app, `139${stamp}00`, '压测用户');
    // Two digits of the phone number count the peers.
    const peerCount = Math.max(2, Math.min(opts.peers ?? 50, opts.conversations, 99));
    const peers: Account[] = [];
    for (let i = 1; i <= peerCount; i++) {
      peers.push(await register(app, `138${stamp}${String(i).padStart(2, '0')}`, `同事${i}`));
    }
    for (const p of peers) {
      const sent = await app.ops.invoke('friends.request', { userId: p.userId, message: '' }, me.ctx);
      if (sent.outcome === 'pending' && sent.request)
        await app.ops.invoke('friends.accept', { requestId: sent.request.id }, p.ctx);
    }

    const conversations: Array<{ id: string; members: Account[] }> = [];
    for (const p of peers.slice(0, opts.conversations)) {
      const c = await app.ops.invoke('conversations.openDirect', { userId: p.userId }, me.ctx);
      conversations.push({ id: c.id, members: [me, p] });
    }
    const groupJobs = Array.from(
      { length: opts.conversations - conversations.length },
      (_, g) => async () => {
        const members = [peers[g % peerCount] as Account, peers[(g + 1) % peerCount] as Account];
        const c = await app.ops.invoke(
          'groups.create',
          { title: `项目群 ${g + 1}`, memberIds: members.map((m) => m.userId) },
          me.ctx,
        );
        return { id: c.id, members: [me, ...members] };
      },
    );
    conversations.push(...(await inParallel(groupJobs, 50)));

    const sendJobs = Array.from({ length: opts.messages }, (_, n) => async () => {
      const conv = conversations[n % conversations.length] as (typeof conversations)[number];
      const round = Math.floor(n / conversations.length);
      const sender = conv.members[round % conv.members.length] as Account;
      await app.ops.invoke(
        'messages.send',
        {
          conversationId: conv.id,
          clientId: `inbox${stamp}${String(n).padStart(10, '0')}`,
          content: { kind: 'text', text: `第 ${round + 1} 条消息：今天的进度同步一下 #${n}` },
        },
        sender.ctx,
      );
    });
    await inParallel(sendJobs, 200);
    return { userId: me.userId, phone: me.phone, password: PASSWORD };
  } finally {
    await app.close();
  }
}
