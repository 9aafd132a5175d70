// `npm run build:server`: the server as one ES module, `packages/server/dist/main.mjs`, for
// production nodes. It runs with plain `node` (no TypeScript loader in each cluster worker: with
// `--workers 32` that is about 90 MB of resident memory less per worker) and it is what the load
// benchmarks measure. npm dependencies stay external (native modules such as better-sqlite3 load from
// node_modules); the workspace packages (@zhixin/protocol) are bundled in.
import console from 'node:console';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'packages/server/dist/main.mjs');

await build({
  entryPoints: [join(root, 'packages/server/src/main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
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
console.log(`built ${outfile}`);
