import type { Conversation } from '@zhixin/sdk';
import { Avatar, UserAvatar } from '../../components/UserAvatar.tsx';
import { isSelfChat, useConversationTitle, useMyId } from './hooks.ts';

/** The peer's avatar for a direct chat; the initial of the title for a group and the self chat. */
export function ConversationAvatar({ conversation, size }: { conversation: Conversation; size: number }) {
  const myId = useMyId();
  const title = useConversationTitle(conversation);
  if (conversation.kind === 'direct' && conversation.peerId && !isSelfChat(conversation, myId))
    return <UserAvatar userId={conversation.peerId} size={size} />;
  return (
    <Avatar
      imageId={conversation.group?.avatarImageId ?? null}
      name={title}
      colorKey={conversation.id}
      size={size}
    />
  );
}
