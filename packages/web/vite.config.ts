import react from '@vitejs/plugin-react';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, defineConfig, type Plugin } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Every file under `dir`, as site paths ("/icons/icon-192.png"). */
function sitePaths(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => '/' + relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'));
}

/**
 * Emits /sw.js (src/pwa/service-worker.ts) after the app is written: its precache list is every
 * file of this build (app shell, code-split chunks, public files) and its version a hash of their
 * contents, so each deploy installs a fresh worker and the old caches go away.
 */
function serviceWorker(): Plugin {
  let publicDir = '';
  return {
    name: 'zhixin-service-worker',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      publicDir = config.publicDir;
    },
    async writeBundle(options, bundle) {
      const outDir = options.dir ?? join(here, 'dist');
      const hash = createHash('sha256');
      const files = new Set<string>();
      for (const [name, item] of Object.entries(bundle)) {
        if (name.endsWith('.map')) continue;
        files.add('/' + name);
        hash.update(name).update(item.type === 'chunk' ? item.code : item.source);
      }
      for (const path of publicDir ? sitePaths(publicDir) : []) {
        files.add(path);
        hash.update(path).update(readFileSync(join(publicDir, path)));
      }
      const precache = [...files].sort();
      const version = hash.digest('hex').slice(0, 12);
      const output = await build({
        configFile: false,
        root: here,
        logLevel: 'warn',
        publicDir: false,
        define: {
          __ZX_PRECACHE__: JSON.stringify(precache),
          __ZX_VERSION__: JSON.stringify(version),
        },
        build: {
          write: false,
          copyPublicDir: false,
          lib: {
            entry: join(here, 'src/pwa/service-worker.ts'),
            formats: ['iife'],
            name: 'zhixinServiceWorker',
            fileName: () => 'sw.js',
          },
        },
      });
      const result = Array.isArray(output) ? output[0] : output;
      const chunk = result && 'output' in result ? result.output[0] : undefined;
      if (!chunk || chunk.type !== 'chunk') throw new Error('service worker build produced no chunk');
      writeFileSync(join(outDir, 'sw.js'), chunk.code);
    },
  };
}

// `npm run dev -w @zhixin/web` serves the client with hot reload against a server on :8080;
// `npm run build` writes dist/ (with sw.js), which the server serves itself.
export default defineConfig({
  plugins: [react(), serviceWorker()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1600 },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/ws': { target: 'ws://127.0.0.1:8080', ws: true },
    },
  },
});
