// PLACEHOLDER: the accounts helper replaces this file.
import type { Config } from '../config.ts';

export async function runAdminCommand(
  _config: Config,
  _sub: string | undefined,
  _opts: { phone?: string; password?: string; nickname?: string },
): Promise<number> {
  return 1;
}
