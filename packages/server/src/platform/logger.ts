import { pino, type Logger } from 'pino';

/** JSON logs; credentials and tokens are never written (redacted by path). */
export function createLogger(level: string, name = 'zhixin'): Logger {
  return pino({
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
  });
}
export type { Logger };
