// `npm start` runs this first: build the web client when its build is missing or older than its
// sources (the client itself, the SDK and the protocol), so a fresh checkout serves a working client.
// Quiet when the build is current. Plain Node, no dependencies: it runs before anything else.
import { spawnSync } from 'node:child_process';
import console from 'node:console';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'packages/web/dist/index.html');
const sources = [
  'packages/web/src',
  'packages/web/public',
  'packages/web/index.html',
  'packages/web/vite.config.ts',
  'packages/sdk/src',
  'packages/protocol/src',
].map((p) => join(root, p));

/** The newest modification time under a file or folder (0 when it does not exist). */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    latest = Math.max(latest, newest(join(path, entry.name)));
  }
  return latest;
}

const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;
const sourcesAt = Math.max(...sources.map(newest));
if (builtAt > 0 && builtAt >= sourcesAt) process.exit(0);

console.log(builtAt === 0 ? 'Building the web client…' : 'The web client changed: rebuilding it…');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['run', 'build', '-w', '@zhixin/web'], {
  cwd: root,
  stdio: 'inherit',
  shell: process.platform === 'win32',
  // Test runners set NODE_ENV=test, which would make Vite write a development build (no service worker).
  env: { ...process.env, NODE_ENV: 'production' },
});
if (result.error) {
  console.error(`Could not run npm: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
