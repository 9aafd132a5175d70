import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { WebSocket } from 'ws';
import { ZhixinClient } from './packages/sdk/src/index.ts';

const base = 'http://127.0.0.1:8110';
const log = () => readFileSync('/tmp/zx-lead.log', 'utf8');
async function code(phone: string, purpose: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const m = [...log().matchAll(new RegExp(`code for ${('+86' + phone).replace('+', '\\+')} \\(${purpose}\\): (\\d{6})`, 'g'))].pop();
    if (m) return m[1]!;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no code');
}
async function user(phone: string, nickname: string) {
  const c = new ZhixinClient({ baseUrl: base, WebSocket: WebSocket as never });
  try {
    await c.auth.loginPassword(phone, 'password123');
  } catch {
    await c.auth.sendSmsCode(phone, 'register').catch(() => undefined);
    await c.auth.register({ phone, code: await code(phone, 'register'), password: 'password123', nickname });
  }
  await c.connect();
  return c;
}
const a = await user('13800000001', '张伟');
const b = await user('13800000002', '李娜');
const c3 = await user('13800000003', '王芳');
const meB = await b.users.me();
const meC = await c3.users.me();
const meA = await a.users.me();
await a.contacts.add(meB.id, '李娜（产品）');
await a.contacts.add(meC.id);
await b.contacts.add(meA.id);
const dm = await a.conversations.openDirect(meB.id);
const m1 = await a.messages.sendText(dm.id, '你好，明天上午十点的评审会还开吗？');
await b.messages.sendText(dm.id, '开的，会议室改到 3 楼了', { replyTo: m1.seq } as never);
await a.messages.react(dm.id, m1.seq, '👍');
const g = await a.conversations.createGroup('产品研发群', [meB.id, meC.id]);
await c3.messages.sendText(g.id, '大家好，新版本的发布计划已经发到邮箱了');
await b.messages.sendText(g.id, '收到 @张伟 请看一下第三部分', { mentions: [meA.id] } as never);
const r = await a.messages.sendText(g.id, '这条发错了');
await a.messages.recall(g.id, r.seq);

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
for (const [kind, opts] of [
  ['d', { viewport: { width: 1280, height: 800 } }],
  ['m', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }],
] as const) {
  const ctx = await browser.newContext(opts);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.log(kind, 'pageerror', e.message));
  page.on('console', (m) => m.type() === 'error' && console.log(kind, 'console', m.text()));
  await page.goto(base + '/login');
  await page.screenshot({ path: `/tmp/lead/${kind}-login.png` });
  await page.getByTestId('login-phone').fill('13800000001');
  await page.getByTestId('login-password').fill('password123');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('conversation-item').first().waitFor();
  await page.screenshot({ path: `/tmp/lead/${kind}-chats.png` });
  await page.getByTestId('conversation-item').first().click();
  await page.getByTestId('message-item').first().waitFor();
  await page.waitForTimeout(500);
  await page.screenshot({ path: `/tmp/lead/${kind}-chat1.png` });
  await page.goto(base + `/chats/${dm.id}`);
  await page.getByTestId('message-item').first().waitFor();
  await page.waitForTimeout(500);
  await page.screenshot({ path: `/tmp/lead/${kind}-chat2.png` });
  await page.goto(base + `/contacts`);
  await page.waitForTimeout(800);
  await page.screenshot({ path: `/tmp/lead/${kind}-contacts.png` });
  await page.goto(base + `/contacts/${meB.id}`);
  await page.waitForTimeout(800);
  await page.screenshot({ path: `/tmp/lead/${kind}-profile.png` });
  await page.goto(base + (kind === 'd' ? '/settings/general' : '/me'));
  await page.waitForTimeout(800);
  await page.screenshot({ path: `/tmp/lead/${kind}-settings.png` });
  await ctx.close();
}
await browser.close();
for (const c of [a, b, c3]) await c.close();
process.exit(0);
