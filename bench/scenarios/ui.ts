import { MemoryStorage, ZhixinClient, type Message } from '@zhixin/sdk';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { WebSocket } from 'ws';
import { ensureWebBuild, launchBrowser } from '../../e2e/web/browser.ts';
import { loginThroughUi } from '../../e2e/web/ui.ts';
import { percentile, type BenchArgs } from '../lib/args.ts';
import { seedInbox, type InboxUser } from '../lib/inbox.ts';
import { seedMediaFiles, type MediaSet } from '../lib/media-files.ts';
import { seedUsers } from '../lib/seed.ts';
import { benchEnv, freePort, prepareTarget, startServer, stopServer } from '../lib/server.ts';
import { clickToRendered, fillMessageCache, firstItemMs, firstItemProbe } from '../lib/ui-probes.ts';
import { BenchClient, pace, type Tally } from './messages.ts';

const COLD_TIMEOUT_MS = 30_000;
const DESKTOP = { viewport: { width: 1280, height: 800 }, locale: 'zh-CN', serviceWorkers: 'block' as const };

interface Stat {
  p50: number;
  p95: number;
  /** Runs that never rendered (see the log); left out of the percentiles. */
  failed?: number;
}

type Samples = Record<string, number[]>;

function summarize(samples: Samples): Record<string, Stat> {
  const out: Record<string, Stat> = {};
  for (const [name, all] of Object.entries(samples)) {
    const values = all.filter(Number.isFinite);
    out[name] = {
      p50: Number(percentile(values, 50).toFixed(1)),
      p95: Number(percentile(values, 95).toFixed(1)),
      ...(values.length < all.length ? { failed: all.length - values.length } : {}),
    };
  }
  return out;
}

function push(samples: Samples, name: string, value: number): void {
  (samples[name] ??= []).push(value);
}

/** Every message of the inbox, fetched through the SDK as the web client fetches a chat's page. */
async function inboxMessages(baseUrl: string, user: InboxUser): Promise<Message[]> {
  const client = new ZhixinClient({
    baseUrl,
    WebSocket: WebSocket as unknown as ConstructorParameters<typeof ZhixinClient>[0]['WebSocket'],
    storage: new MemoryStorage(),
    device: { name: 'bench cache filler', platform: 'desktop' },
  });
  try {
    await client.auth.loginPassword(user.phone, user.password);
    const { conversations } = await client.conversations.list();
    const out: Message[] = [];
    for (let i = 0; i < conversations.length; i += 20) {
      const pages = await Promise.all(
        conversations.slice(i, i + 20).map((c) => client.messages.history(c.id, { limit: 50 })),
      );
      for (const page of pages) out.push(...page.messages);
    }
    return out;
  } finally {
    await client.close();
  }
}

/**
 * Cold start: a fresh profile (no IndexedDB, no HTTP cache) with a stored session. A start that
 * shows no chat within the timeout is counted as a failure (with a screenshot and the page's
 * console for the report), not silently retried.
 */
async function coldStart(
  browser: Browser,
  baseUrl: string,
  state: Awaited<ReturnType<BrowserContext['storageState']>>,
): Promise<number> {
  const context = await browser.newContext({ ...DESKTOP, baseURL: baseUrl, storageState: state });
  const log: string[] = [];
  try {
    await context.addInitScript(firstItemProbe);
    const page = await context.newPage();
    page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
    page.on('requestfailed', (r) => log.push(`failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
    await page.goto('/chats');
    try {
      return await firstItemMs(page, COLD_TIMEOUT_MS);
    } catch {
      const shot = join(tmpdir(), `zx-ui-bench-cold-${Date.now()}.png`);
      await page.screenshot({ path: shot });
      console.error(
        `[ui] cold start showed no chat in ${COLD_TIMEOUT_MS} ms (screenshot ${shot}); page log:`,
      );
      for (const line of log) console.error(`  ${line}`);
      return Number.NaN;
    }
  } finally {
    await context.close();
  }
}

async function warmStart(page: Page): Promise<number> {
  await page.reload();
  return firstItemMs(page);
}

/** One round of the main transitions on the desktop layout, starting from the chat list. */
async function transitions(page: Page, round: number, samples: Samples): Promise<void> {
  const items = page.getByTestId('conversation-item');
  await items.first().waitFor();
  // A chat that is not open already (the chats screen may reopen the last one): its view is new DOM.
  const view = page.getByTestId('chat-view');
  const open = (await view.count()) > 0 ? await view.first().getAttribute('data-conversation-id') : null;
  const ids = await items.evaluateAll((els) =>
    els.slice(0, 12).map((el) => el.getAttribute('data-conversation-id')),
  );
  const candidates = ids.filter((candidate) => candidate && candidate !== open);
  const id = candidates[round % candidates.length];
  const item = page.locator(`[data-testid="conversation-item"][data-conversation-id="${id}"]`);
  push(
    samples,
    'openChatMs',
    await clickToRendered(
      page,
      item,
      `[data-testid="chat-view"][data-conversation-id="${id}"] [data-testid="message-text"]`,
    ),
  );
  push(
    samples,
    'openContactsMs',
    await clickToRendered(page, page.getByTestId('nav-contacts'), '[data-testid="contact-list"]'),
  );
  push(
    samples,
    'openSettingsMs',
    await clickToRendered(page, page.getByTestId('nav-settings'), '[data-testid^="settings-section-"]'),
  );
  push(
    samples,
    'backToChatsMs',
    await clickToRendered(page, page.getByTestId('nav-chats'), '[data-testid="conversation-item"]'),
  );
}

async function measure(
  browser: Browser,
  baseUrl: string,
  page: Page,
  state: Awaited<ReturnType<BrowserContext['storageState']>>,
  runs: number,
  label: string,
): Promise<Samples> {
  const samples: Samples = {};
  for (let i = 0; i < runs; i++) push(samples, 'coldStartMs', await coldStart(browser, baseUrl, state));
  console.error(`[ui ${label}] cold starts done`);
  for (let i = 0; i < runs; i++) push(samples, 'warmStartMs', await warmStart(page));
  console.error(`[ui ${label}] warm starts done`);
  for (let i = 0; i < runs; i++) await transitions(page, i, samples);
  console.error(`[ui ${label}] transitions done`);
  return samples;
}

/**
 * `ui`: one user with `--conversations` chats and `--messages` messages (all in the browser's
 * cache for the warm runs); in Chromium, cold start and warm start to the first conversation
 * painted, then click-to-rendered for open chat, contacts, settings and back, `--runs` times each;
 * once quiet and once while `--n` other clients send `--rate` messages/s through the same server.
 */
export async function runUiBench(args: BenchArgs) {
  const conversations = Number(args.flags.conversations ?? 1000);
  const messages = Number(args.flags.messages ?? 10_000);
  const runs = Number(args.flags.runs ?? 10);
  const rate = Number(args.flags.rate ?? 500);
  const loadAtStart = Number(loadavg()[0]?.toFixed(2));
  ensureWebBuild();
  const target = await prepareTarget('sqlite');
  console.error(
    `[ui] seeding ${args.n} load users and an inbox of ${conversations} chats, ${messages} messages…`,
  );
  const t0 = Date.now();
  const loadUsers = await seedUsers(target, args.n, Number(args.flags['group-size'] ?? 10));
  const user = await seedInbox(target, { conversations, messages });
  console.error(`[ui] seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const server = await startServer(benchEnv(target, port, 1), port);
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ ...DESKTOP, baseURL: baseUrl });
    await context.addInitScript(firstItemProbe);
    const page = await context.newPage();
    await loginThroughUi(page, user);
    await firstItemMs(page);
    const state = await context.storageState();
    const cached = await inboxMessages(baseUrl, user);
    await fillMessageCache(page, user.userId, cached);
    console.error(`[ui] signed in; ${cached.length} messages in the browser cache`);

    const quiet = await measure(browser, baseUrl, page, state, runs, 'quiet');

    let tally: Tally | null = null;
    const media = await seedMediaFiles(
      baseUrl,
      loadUsers.map((u) => u.accessToken),
    );
    const clients = loadUsers.map(
      (u, i) => new BenchClient(u, `ws://127.0.0.1:${port}/ws`, 0, () => tally, media[i] as MediaSet),
    );
    for (const c of clients) await c.connect();
    const pacer = pace(clients, rate);
    tally = { acked: 0, delivered: 0, errors: 0, ackLatency: [], e2eLatency: [] };
    const loadStart = Date.now();
    const loaded = await measure(browser, baseUrl, page, state, runs, `under ${rate} msg/s`);
    const loadSeconds = (Date.now() - loadStart) / 1000;
    const measured: Tally = tally;
    tally = null;
    pacer.stop();
    await Promise.all(clients.map((c) => c.drain()));
    for (const c of clients) c.close();

    // The cache alone: no API, no WebSocket.
    await context.route('**/api/**', (route) => route.abort('connectionrefused'));
    await context.routeWebSocket('**/ws', (ws) => ws.close({ code: 1011, reason: 'bench: network blocked' }));
    const offline: Samples = {};
    for (let i = 0; i < runs; i++) push(offline, 'warmStartNoNetworkMs', await warmStart(page));
    await context.close();

    const result = {
      scenario: 'ui',
      date: new Date().toISOString(),
      // 1-minute load average before and after: the machine is shared, so say how busy it was.
      loadAverage: [loadAtStart, Number(loadavg()[0]?.toFixed(2))],
      conversations,
      messages,
      cachedMessages: cached.length,
      runs,
      quiet: { ...summarize(quiet), ...summarize(offline) },
      underLoad: {
        load: {
          clients: args.n,
          targetPerSecond: rate,
          persistedPerSecond: Math.round(measured.acked / loadSeconds),
          deliveredPerSecond: Math.round(measured.delivered / loadSeconds),
          errors: measured.errors,
        },
        ...summarize(loaded),
      },
    };
    console.error(`[ui] ${JSON.stringify(result)}`);
    return result;
  } finally {
    await browser.close();
    await stopServer(server);
  }
}
