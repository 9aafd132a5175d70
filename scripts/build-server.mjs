// `npm run build:server`: the server as one ES module, `packages/server/dist/main.mjs`, for
// production nodes. It runs with plain `node` (no TypeScript loader in each cluster worker: with
// `--workers 32` that is about 90 MB of resident memory less per worker) and it is what the load
// benchmarks measure. npm dependencies stay external (native modules such as better-sqlite3 load from
// node_modules); the workspace packages (@zhixin/protocol) are bundled in.
import console from 'node:console';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import process from 'node:process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'packages/server/dist/main.mjs');

const result = await build({
  entryPoints: [join(root, 'packages/server/src/main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  // Written below, each file under a temporary name then renamed: benchmarks and tests build while
  // other processes may be starting the previous bundle, which must never see a half-written file.
  write: false,
  logLevel: 'warning',
  // Some dependencies are CommonJS that call require(): give the bundle one.
  banner: {
    js: "import { createRequire as zxCreateRequire } from 'node:module'; const require = zxCreateRequire(import.meta.url);",
  },
  plugins: [
    {
      name: 'npm-external',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith('@zhixin/') ? undefined : { path: args.path, external: true },
        );
      },
    },
  ],
});
mkdirSync(dirname(outfile), { recursive: true });
// The map first, so a reader of the new bundle finds its map.
const isMap = (f) => f.path.endsWith('.map');
for (const file of [...result.outputFiles.filter(isMap), ...result.outputFiles.filter((f) => !isMap(f))]) {
  const tmp = `${file.path}.${process.pid}.tmp`;
  writeFileSync(tmp, file.contents);
  renameSync(tmp, file.path);
}
console.log(`built ${outfile}`);
