import type { Config } from '../config.ts';
import { createAuditLog } from '../modules/audit/index.ts';
import { createPlatform } from '../platform/platform.ts';
import type { CommandOutput } from './admin.ts';

const consoleOutput: CommandOutput = {
  out: (text) => console.log(text),
  err: (text) => console.error(text),
};

/** Exit code of `zhixin audit verify` when the chain is broken (1 is a usage or runtime error). */
export const EXIT_CHAIN_BROKEN = 3;

/** `zhixin audit verify`: walk the whole hash chain of the audit log. Returns the process exit code. */
export async function runAuditCommand(
  config: Config,
  args: readonly string[],
  io: CommandOutput = consoleOutput,
): Promise<number> {
  if (args[0] !== 'verify') {
    io.err('usage: zhixin audit verify');
    return 1;
  }
  const platform = await createPlatform(config);
  try {
    const v = await createAuditLog(platform.database, platform.keyring).verify();
    if (v.ok) {
      io.out(`Audit log intact: ${v.checked} records, head #${v.headSeq} ${v.headHash}`);
      return 0;
    }
    io.err(`Audit log BROKEN at record #${v.firstBadSeq}: ${v.reason} (${v.checked} records checked)`);
    return EXIT_CHAIN_BROKEN;
  } finally {
    await platform.close();
  }
}
