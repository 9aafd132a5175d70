import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from './config.ts';

// Each command is imported when it runs: `zhixin unseal` must not load the whole server first
// (which took ~20 s on a loaded machine while a custodian waited for the prompt).

const USAGE = `zhixin <command> [options]

Commands:
  start [--workers N] [--port P]   serve the API, WebSocket gateway and web client
  migrate                          apply pending database migrations and exit
  admin create --phone P [--password X] [--nickname N]
                                   create an administrator (prints a generated password once)
  license keygen|issue|install|show  the signed license file (zhixin license for details)
  audit verify                     walk the audit log's hash chain (exit 3 when broken)
  unseal [--custodian 1|2]         give one custodian password to a sealed server on this host
  keys status|rotate [--keep-kek]|change-password --custodian 1|2
                                   the key hierarchy: list, rotate, change a custodian password

Configuration: defaults < zhixin.config.json (or ZX_CONFIG_FILE) < ZX_* environment variables.
See README.md for every key.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      workers: { type: 'string' },
      port: { type: 'string' },
      phone: { type: 'string' },
      password: { type: 'string' },
      nickname: { type: 'string' },
      custodian: { type: 'string' },
      'keep-kek': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: false,
  });
  if (!command || command === 'help' || values.help) {
    console.log(USAGE);
    return command ? 0 : 1;
  }
  let config: Config;
  try {
    const env = { ...process.env };
    if (typeof values.port === 'string') env.ZX_PORT = values.port;
    if (typeof values.workers === 'string') env.ZX_WORKERS = values.workers;
    config = loadConfig({ env });
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`zhixin: ${err.message}`);
      return 2;
    }
    throw err;
  }
  switch (command) {
    case 'start':
      return (await import('./cli/start.ts')).runStart(config);
    case 'migrate':
      return (await import('./cli/migrate.ts')).runMigrate(config);
    case 'admin':
      return (await import('./cli/admin.ts')).runAdminCommand(config, rest[0], {
        phone: values.phone as string | undefined,
        password: values.password as string | undefined,
        nickname: values.nickname as string | undefined,
      });
    case 'license':
      return (await import('./cli/license.ts')).runLicenseCommand(config, rest);
    case 'audit':
      return (await import('./cli/audit.ts')).runAuditCommand(config, rest);
    case 'unseal':
      return (await import('./cli/unseal.ts')).runUnseal(config, {
        custodian: values.custodian as string | undefined,
      });
    case 'keys':
      return (await import('./cli/keys.ts')).runKeysCommand(config, rest[0], {
        custodian: values.custodian as string | undefined,
        keepKek: values['keep-kek'] === true,
      });
    default:
      console.error(`zhixin: unknown command "${command}"\n\n${USAGE}`);
      return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    // `start` keeps running until a signal; other commands exit with their code.
    if (code !== -1) process.exit(code);
  },
  (err: unknown) => {
    console.error(`zhixin: ${(err as Error).message}`);
    process.exit(1);
  },
);
