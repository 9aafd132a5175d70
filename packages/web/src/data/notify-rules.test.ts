import { describe, expect, it } from 'vitest';
import { incomingAlert, type IncomingAlertInput } from './notify-rules.ts';
import { buildConversation } from './test-fixtures.ts';

const direct = buildConversation({ id: 'd' });
const channel = buildConversation({ id: 'ch', kind: 'channel', peerId: null, title: '致信通讯运营' });

const input = (overrides: Partial<IncomingAlertInput>): IncomingAlertInput => ({
  conversation: direct,
  recalled: false,
  pageHidden: false,
  looking: false,
  preferences: { enabled: true, sound: true },
  ...overrides,
});

describe('incomingAlert', () => {
  it('beeps and shows a notification for a chat the user is not looking at', () => {
    expect(incomingAlert(input({}))).toEqual({ sound: true, banner: true });
    expect(incomingAlert(input({ pageHidden: true }))).toEqual({ sound: true, banner: true });
    expect(incomingAlert(input({ preferences: { enabled: true, sound: false } }))).toEqual({
      sound: false,
      banner: true,
    });
  });

  it('stays silent while looking at the chat, when muted, recalled or switched off', () => {
    const muted = { ...direct, me: { ...direct.me, muted: true } };
    const silent = { sound: false, banner: false };
    expect(incomingAlert(input({ looking: true }))).toEqual(silent);
    expect(incomingAlert(input({ conversation: muted }))).toEqual(silent);
    expect(incomingAlert(input({ recalled: true }))).toEqual(silent);
    expect(incomingAlert(input({ preferences: { enabled: false, sound: true } }))).toEqual(silent);
  });

  it('reminds weakly of an announcement: a silent notification while the app is in front (R-S4)', () => {
    expect(incomingAlert(input({ conversation: channel }))).toEqual({ sound: false, banner: true });
  });

  it('says nothing of an announcement while the app is in the background (R-S4)', () => {
    expect(incomingAlert(input({ conversation: channel, pageHidden: true }))).toEqual({
      sound: false,
      banner: false,
    });
  });
});
