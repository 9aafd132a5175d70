import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { freshDatabaseUrl } from '../platform/db/testing.ts';
import { buildTestApp, testDialects } from '../testing/app.ts';
import { registerUser } from '../testing/factories.ts';
import { EXIT_CHAIN_BROKEN, runAuditCommand } from './audit.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) } };
}

describe.each(testDialects())('zhixin audit verify (%s)', (dialect) => {
  it('prints the chain head when intact and exits 3 at the first forged record', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'zx-cli-audit-'));
    const databaseUrl = await freshDatabaseUrl(dialect);
    // Sign-ins are evidence: two users registering write audit records.
    const app = await buildTestApp({ dialect, dataDir, databaseUrl });
    let forge: () => Promise<void>;
    try {
      await registerUser(app);
      await registerUser(app);
      const first = await app.platform.db
        .selectFrom('audit_log')
        .select(['seq', 'action'])
        .orderBy('seq')
        .executeTakeFirstOrThrow();
      forge = async () => {
        const again = await buildTestApp({ dialect, dataDir, databaseUrl });
        try {
          await again.platform.db
            .updateTable('audit_log')
            .set({ action: `${first.action}.forged` })
            .where('seq', '=', first.seq)
            .execute();
        } finally {
          await again.close();
        }
      };
    } finally {
      await app.close();
    }
    const config = loadConfig({
      env: {},
      file: '',
      overrides: { dataDir, databaseUrl, logLevel: 'silent', security: { kdfLogN: 10 } },
    });

    const intact = capture();
    expect(await runAuditCommand(config, ['verify'], intact.io)).toBe(0);
    expect(intact.out.join('\n')).toMatch(/Audit log intact: \d+ records, head #\d+ \S+/);

    await forge();
    const broken = capture();
    expect(await runAuditCommand(config, ['verify'], broken.io)).toBe(EXIT_CHAIN_BROKEN);
    expect(broken.err.join('\n')).toMatch(/Audit log BROKEN at record #\d+/);
  });

  it('refuses an unknown subcommand with exit code 1', async () => {
    const config = loadConfig({ env: {}, file: '', overrides: { logLevel: 'silent' } });
    const c = capture();
    expect(await runAuditCommand(config, ['rewrite'], c.io)).toBe(1);
    expect(c.err.join('\n')).toContain('usage: zhixin audit verify');
  });
});
