import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

/** Field names whose values never reach a log: credentials, one-time codes, capabilities, phones. */
const SECRET_FIELDS = [
  'password',
  'oldPassword',
  'newPassword',
  'code',
  'accessToken',
  'refreshToken',
  'token',
  'pollToken',
  'ticket',
  'sig',
  'grant',
  'phone',
  'custodianPassword1',
  'custodianPassword2',
];

/**
 * JSON logs; credentials and tokens are never written (redacted by path). `destination` defaults to
 * stdout (tests capture the output to prove no secret reaches it).
 */
export function createLogger(level: string, name = 'zhixin', destination?: DestinationStream): Logger {
  const options = {
    name,
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        // Secrets by field name, at the top, one and two levels down (`{body: {req: {password}}}`).
        // A top-level `code` is a process exit code (workers.ts), not a secret.
        ...SECRET_FIELDS.flatMap((f) => (f === 'code' ? [] : [f]).concat(`*.${f}`, `*.*.${f}`)),
      ],
      censor: '***',
    },
  } satisfies LoggerOptions;
  return destination ? pino(options, destination) : pino(options);
}
export type { Logger };
