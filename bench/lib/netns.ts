import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Media benchmarks run inside a network namespace (e2e/media/netns-run.sh): Chromium and Janus
 * then gather only 127.0.0.2 and no packet leaves the machine. Outside one, this re-runs
 * `bench/run.ts <argv>` inside a new namespace and returns the JSON line it prints last.
 */
export function inNetns(): boolean {
  return process.env.ZX_IN_NETNS === '1';
}

export function rerunInNetns(argv: string[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      join(ROOT, 'e2e/media/netns-run.sh'),
      [join(ROOT, 'node_modules/.bin/tsx'), join(ROOT, 'bench/run.ts'), ...argv],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const lines = out.trim().split('\n');
      const last = lines.pop() ?? '';
      for (const line of lines) console.error(line);
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        resolve(JSON.parse(last));
      } catch (err) {
        reject(new Error(`the namespaced run failed (${String(err)}): ${out.slice(-1500)}`));
      }
    });
  });
}
