import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findExecutable } from '../../packages/server/src/platform/media/index.ts';
import { CHROMIUM_PATH, ROOT } from '../web/browser.ts';

const RUNNER = join(ROOT, 'e2e/media/netns-run.sh');

/**
 * Why media tests cannot run here, or null. With CI=true a missing janus, chromium, unshare or
 * root is an error (thrown at import: the suite fails instead of skipping).
 */
export const mediaUnavailable: string | null = (() => {
  const missing: string[] = [];
  if (!findExecutable('janus')) missing.push('janus (apt-get install janus)');
  if (!existsSync(CHROMIUM_PATH)) missing.push(`chromium at ${CHROMIUM_PATH}`);
  if (!findExecutable('unshare') || !findExecutable('ip'))
    missing.push('unshare and ip (util-linux, iproute2)');
  if (process.getuid?.() !== 0) missing.push('root (network namespaces)');
  if (missing.length === 0) return null;
  const reason = `media tests need ${missing.join(', ')}`;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${reason}`);
  console.warn(`skipping the media tests: ${reason}`);
  return reason;
})();

/**
 * Run a scenario script (`e2e/media/scenarios/<name>.ts`) in its own network namespace and return
 * the JSON object it prints last on stdout. Its stderr is passed through (progress, failures).
 */
export function runScenario<T>(name: string, args: string[] = [], timeoutMs = 240_000): Promise<T> {
  const script = join(ROOT, 'e2e/media/scenarios', `${name}.ts`);
  const tsx = join(ROOT, 'node_modules/.bin/tsx');
  return new Promise((resolve, reject) => {
    const child = spawn(RUNNER, [tsx, script, ...args], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop() ?? '';
      try {
        const parsed = JSON.parse(last) as T & { error?: string };
        if (code !== 0 || parsed.error) reject(new Error(`${name}: ${parsed.error ?? `exit ${code}`}`));
        else resolve(parsed);
      } catch {
        reject(new Error(`${name} exited ${code} without a result; stdout: ${out.slice(-2000)}`));
      }
    });
  });
}
