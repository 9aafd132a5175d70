import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * JSON logs; credentials and tokens are never written (redacted by path). `destination` defaults to
 * stdout (tests capture the output to prove no secret reaches it).
 */
export function createLogger(level: string, name = 'zhixin', destination?: DestinationStream): Logger {
  const options: Parameters<typeof pino>[0] = {
    name,
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        '*.password',
        '*.oldPassword',
        '*.newPassword',
        '*.code',
        '*.accessToken',
        '*.refreshToken',
        '*.token',
      ],
      censor: '***',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
export type { Logger };
