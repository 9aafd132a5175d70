import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions } from 'playwright-core';
import type { App } from '../../packages/server/src/app.ts';
import { buildTestApp, type TestAppOptions } from '../../packages/server/src/testing/app.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const WEB_DIST = join(ROOT, 'packages/web/dist');
export const CHROMIUM_PATH = process.env.ZX_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

/**
 * Why browser tests cannot run here, or null when they can. In CI a missing browser is an error
 * (thrown at import, so the suite fails rather than silently skipping); locally the tests skip.
 */
export const browserUnavailable: string | null = (() => {
  if (existsSync(CHROMIUM_PATH)) return null;
  const reason = `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set ZX_CHROMIUM)`;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${reason}`);
  console.warn(`skipping the web end-to-end tests: ${reason}`);
  return reason;
})();

const LOCK = join(ROOT, 'packages/web/.build-lock');

/** Hold a directory lock while building: two test files must not write dist/ at the same time. */
function withBuildLock(run: () => void): void {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // A lock older than the slowest build was left by a killed run.
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > 120_000)
        rmSync(LOCK, { force: true, recursive: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${LOCK}`);
      execFileSync('sleep', ['0.5']);
    }
  }
  try {
    run();
  } finally {
    rmSync(LOCK, { force: true, recursive: true });
  }
}

let buildChecked = false;

/** Make sure packages/web/dist is a build of the current sources (once per process). */
export function ensureWebBuild(): void {
  if (buildChecked) return;
  withBuildLock(() => {
    const script = join(ROOT, 'scripts/ensure-web-build.mjs');
    const [cmd, args] = existsSync(script)
      ? [process.execPath, [script]]
      : ['npm', ['run', 'build', '-w', '@zhixin/web']];
    // Vitest sets NODE_ENV=test, which Vite would honour with a development build (React's dev
    // runtime, no service worker): the browser tests must drive what users get.
    const env = { ...process.env, NODE_ENV: 'production' };
    execFileSync(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  });
  if (!existsSync(join(WEB_DIST, 'index.html'))) throw new Error(`no web build in ${WEB_DIST}`);
  buildChecked = true;
}

export interface WebServer {
  app: App;
  baseUrl: string;
}

/** A real server (fresh SQLite, random port on 127.0.0.1) serving the API and the web build. */
export async function startWebServer(opts: TestAppOptions = {}): Promise<WebServer> {
  ensureWebBuild();
  const app = await buildTestApp({
    ...opts,
    config: { web: { dir: WEB_DIST }, ...opts.config },
  });
  const port = await app.listen();
  const baseUrl = `http://127.0.0.1:${port}`;
  const res = await fetch(`${baseUrl}/chats`, { headers: { accept: 'text/html' } });
  const html = await res.text();
  if (!res.ok || !html.includes('id="root"')) {
    await app.close();
    throw new Error(`the server does not serve the web build at /chats (HTTP ${res.status})`);
  }
  return { app, baseUrl };
}

/** Chromium with `extraArgs` (e.g. the fake microphone flags of the voice-message tests). */
export function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
}

export type Device = 'desktop' | 'phone';

const DEVICES: Record<Device, BrowserContextOptions> = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
};

export interface ContextOptions {
  /** Service workers are blocked unless a test is about them: route interception then sees every request. */
  serviceWorkers?: boolean;
}

/** A fresh browser profile (its own IndexedDB, localStorage and service worker) on one device kind. */
export function newContext(
  browser: Browser,
  server: WebServer,
  device: Device,
  opts: ContextOptions = {},
): Promise<BrowserContext> {
  return browser.newContext({
    ...DEVICES[device],
    baseURL: server.baseUrl,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    serviceWorkers: opts.serviceWorkers ? 'allow' : 'block',
  });
}
