import { describe, expect, it } from 'vitest';
import { buildConversation } from '../../../data/test-fixtures.ts';
import { canPostIn } from './channel.ts';

describe('canPostIn', () => {
  it("keeps a channel's subscribers from posting; its owner posts", () => {
    const channel = buildConversation({ id: 'ch', kind: 'channel', peerId: null, role: 'member' });
    expect(canPostIn(channel)).toBe(false);
    expect(canPostIn({ ...channel, role: 'admin' })).toBe(false);
    expect(canPostIn({ ...channel, role: 'owner' })).toBe(true);
  });

  it('lets members of direct chats and groups post', () => {
    expect(canPostIn(buildConversation({ id: 'd' }))).toBe(true);
    expect(canPostIn(buildConversation({ id: 'g', kind: 'group', peerId: null, role: 'member' }))).toBe(true);
  });
});
