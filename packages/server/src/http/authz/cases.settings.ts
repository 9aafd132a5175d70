import { ADMINS, ANYONE, SIGNED_IN, type OpCase } from './authz.types.ts';

/** A 1×1 PNG. */
const PNG_1X1 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/** Per-user preferences, images, and the client settings every client shows. */
export const opCases: OpCase[] = [
  { op: 'users.preferences', allow: SIGNED_IN, rule: 'signed in: my own preferences' },
  {
    op: 'users.updatePreferences',
    allow: SIGNED_IN,
    rule: 'signed in: my own preferences',
    prepare: () => ({ fontSize: 'standard' }),
  },
  {
    op: 'images.upload',
    allow: SIGNED_IN,
    rule: 'signed in (the image is readable by anyone who knows its id: avatars, launch pages)',
    prepare: () => ({ mime: 'image/png', dataBase64: PNG_1X1 }),
  },
  {
    op: 'settings.client',
    allow: ANYONE,
    rule: 'anyone: what a client shows before sign-in',
  },
  {
    op: 'settings.updateClient',
    allow: ADMINS,
    rule: 'administrators',
    prepare: () => ({ productName: '致信' }),
  },
];
