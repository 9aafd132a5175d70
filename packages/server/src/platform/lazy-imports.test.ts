import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Every server process (32 workers on a large node) loads what the server's modules import at the
 * top. These packages serve rare paths or other installations: XLSX exports, LDAP imports, S3
 * storage, PostgreSQL. Loaded on first use they are not in a SQLite-and-disk worker's heap at all
 * (11.1 MiB of its 46.2 MiB of live heap at start, measured with heap snapshots). Type-only imports
 * are fine.
 */
const LOADED_ON_FIRST_USE = ['exceljs', 'ldapts', '@aws-sdk/client-s3', '@tus/s3-store', 'pg'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !/\.test\.ts$|testing\.ts$/.test(e.name) ? [path] : [];
  });
}

describe('heavy dependencies of rare paths', () => {
  it('are not imported at the top of any server module (only `import type` or `await import()`)', () => {
    const root = join(import.meta.dirname, '..');
    const offenders: string[] = [];
    for (const file of sources(root)) {
      const text = readFileSync(file, 'utf8');
      // `import x from`, `export { x } from` and a bare `import 'x'` all load the package.
      const loads = /^(?:import|export)\s+(?!type\s)(?:[^;]*?from\s+)?'([^']+)'/gms;
      for (const m of text.matchAll(loads)) {
        if (LOADED_ON_FIRST_USE.includes(m[1] as string)) offenders.push(`${relative(root, file)}: ${m[1]}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
