import { codeSignerFor } from '../platform/crypto/signed-codes.ts';
import type { Config } from '../config.ts';
import { isAppError } from '../errors.ts';
import { OperationRegistry } from '../http/operations.ts';
import { createAuthModule } from '../modules/auth/index.ts';
import { createImagesModule } from '../modules/images/index.ts';
import { createUsersModule } from '../modules/users/index.ts';
import { createPlatform } from '../platform/platform.ts';
import { createSmsProvider } from '../platform/sms/index.ts';

const USAGE = 'usage: zhixin admin create --phone P [--password X] [--nickname N]';

export interface AdminCommandOptions {
  phone?: string;
  password?: string;
  nickname?: string;
}

/** Where the command writes; the console by default (tests capture it). */
export interface CommandOutput {
  out(text: string): void;
  err(text: string): void;
}

const consoleOutput: CommandOutput = {
  out: (text) => console.log(text),
  err: (text) => console.error(text),
};

function describeError(err: unknown): string {
  if (!isAppError(err)) return (err as Error).message;
  return err.details === undefined ? err.message : `${err.message} ${JSON.stringify(err.details)}`;
}

/**
 * `zhixin admin create`: create an administrator on the configured database. A generated password
 * is printed once; a given one is never echoed. Returns the process exit code.
 */
export async function runAdminCommand(
  config: Config,
  sub: string | undefined,
  opts: AdminCommandOptions,
  io: CommandOutput = consoleOutput,
): Promise<number> {
  if (sub !== 'create' || !opts.phone) {
    io.err(USAGE);
    return 1;
  }
  let platform;
  try {
    platform = await createPlatform(config);
  } catch (err) {
    io.err(`zhixin: ${describeError(err)}`);
    return 1;
  }
  try {
    // The modules as the server builds them, minus HTTP and the gateway: nothing is served here.
    const ops = new OperationRegistry(() => {
      throw new Error('the admin command authenticates no one');
    });
    const deps = {
      platform,
      ops,
      events: { emit: () => {}, emitToAll: () => {} },
      codes: codeSignerFor(platform.keyring),
    };
    const users = createUsersModule({ ...deps, images: createImagesModule(deps) });
    const auth = createAuthModule({ ...deps, users, sms: createSmsProvider(config.sms, platform.log) });
    try {
      const admin = await auth.createAdmin({
        phone: opts.phone,
        password: opts.password,
        nickname: opts.nickname,
      });
      io.out(`Created administrator ${admin.phone} (id ${admin.userId}).`);
      if (admin.generated) io.out(`Password (shown only this once): ${admin.password}`);
      return 0;
    } catch (err) {
      io.err(`zhixin: ${describeError(err)}`);
      return 1;
    } finally {
      auth.close();
    }
  } finally {
    await platform.close();
  }
}
