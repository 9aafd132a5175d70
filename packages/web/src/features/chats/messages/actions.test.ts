import { describe, expect, it } from 'vitest';
import { buildConversation, buildMessage, ME, PEER } from '../../../data/test-fixtures.ts';
import { actionsFor } from './actions.ts';

const channel = buildConversation({ id: 'ch', kind: 'channel', peerId: null, ownerId: PEER });
const post = buildMessage({ conversationId: 'ch', seq: 1, senderId: PEER });

describe('actionsFor', () => {
  it('offers a subscriber of a channel only copy and forward: no reply, reaction or receipts', () => {
    expect(actionsFor(post, channel, ME)).toEqual(['copy', 'forward']);
    const file = buildMessage({
      conversationId: 'ch',
      seq: 2,
      content: { kind: 'file', fileId: 'f1', name: 'a.pdf', size: 1, mime: 'application/pdf' },
    });
    expect(actionsFor(file, channel, ME)).toEqual(['forward']);
  });

  it("gives a channel's owner its usual actions but never the readers list", () => {
    const owned = { ...channel, role: 'owner' as const, ownerId: ME };
    const mine = { ...post, senderId: ME };
    expect(actionsFor(mine, owned, ME)).toEqual(['copy', 'reply', 'forward', 'edit', 'recall', 'react']);
  });

  it('keeps the readers list for my own messages in a group', () => {
    const group = buildConversation({ id: 'g', kind: 'group', peerId: null });
    const mine = buildMessage({ conversationId: 'g', seq: 1, senderId: ME });
    expect(actionsFor(mine, group, ME)).toContain('readers');
    expect(actionsFor(mine, buildConversation({ id: 'd' }), ME)).not.toContain('readers');
  });
});
