import { describe, expect, it } from 'vitest';
import { formatMeetingCode, parseMeetingCode, pickSpeaker, type Tile } from './meeting-store.ts';

const tile = (feedId: number, extra: Partial<Tile> = {}): Tile => ({
  feedId,
  userId: null,
  display: '',
  stream: null,
  screen: false,
  local: false,
  version: 0,
  ...extra,
});

describe('pickSpeaker', () => {
  it('follows the last talker, prefers a screen share, and falls back to a remote camera', () => {
    const tiles = [tile(1, { local: true }), tile(2), tile(3)];
    expect(pickSpeaker(tiles, 3)).toBe(3);
    expect(pickSpeaker(tiles, null)).toBe(2);
    expect(pickSpeaker(tiles, 99)).toBe(2);
    expect(pickSpeaker([...tiles, tile(4, { screen: true })], 3)).toBe(4);
    expect(pickSpeaker([tile(1, { local: true })], null)).toBe(1);
    expect(pickSpeaker([], null)).toBeNull();
  });
});

describe('meeting codes', () => {
  it('formats and parses codes and join links', () => {
    expect(formatMeetingCode('123456789')).toBe('123 456 789');
    expect(parseMeetingCode(' 123 456 789 ')).toBe('123456789');
    expect(parseMeetingCode('123-456-789')).toBe('123456789');
    expect(parseMeetingCode('https://im.example/meet/987654321')).toBe('987654321');
    expect(parseMeetingCode('12345')).toBeNull();
    expect(parseMeetingCode('abc')).toBeNull();
  });
});
