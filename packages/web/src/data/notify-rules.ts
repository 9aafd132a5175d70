import type { Conversation } from '@zhixin/sdk';

/** How an incoming message makes itself known: a beep, a system notification, both or neither. */
export interface IncomingAlert {
  sound: boolean;
  banner: boolean;
}

export interface IncomingAlertInput {
  /** The conversation, when known (a brand-new one is fetched after its first message). */
  conversation: Pick<Conversation, 'kind' | 'me'> | undefined;
  /** The message was recalled before it arrived (no content). */
  recalled: boolean;
  /** The page is in the background (another tab or app in front, or minimised). */
  pageHidden: boolean;
  /** The user is looking at this very conversation. */
  looking: boolean;
  preferences: { enabled: boolean; sound: boolean };
}

const SILENT: IncomingAlert = { sound: false, banner: false };

/**
 * Whether and how to announce an incoming message. Announcement channels remind weakly (R-S4):
 * only while the app is in front, and without a sound; in the background nothing at all (the
 * row's dot is there when the user comes back).
 */
export function incomingAlert(input: IncomingAlertInput): IncomingAlert {
  const { conversation: c, preferences } = input;
  if (!preferences.enabled || c?.me.muted || input.recalled || input.looking) return SILENT;
  if (c?.kind === 'channel') return input.pageHidden ? SILENT : { sound: false, banner: true };
  return { sound: preferences.sound, banner: true };
}
