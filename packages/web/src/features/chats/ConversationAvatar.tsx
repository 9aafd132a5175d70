import type { Conversation } from '@zhixin/sdk';
import { NotificationFilled } from '@ant-design/icons';
import { Avatar, UserAvatar } from '../../components/UserAvatar.tsx';
import { isSelfChat, useConversationTitle, useMyId } from './hooks.ts';

/** A loudspeaker on the brand colour: the announcement channel, told apart from the 1:1 chat. */
function ChannelAvatar({ title, size }: { title: string; size: number }) {
  return (
    <span
      className="zx-avatar zx-channel-avatar"
      style={{
        width: size,
        height: size,
        borderRadius: Math.round(size / 8),
        fontSize: Math.round(size * 0.5),
      }}
      role="img"
      aria-label={title}
      data-testid="channel-avatar"
    >
      <NotificationFilled />
    </span>
  );
}

/**
 * The peer's avatar for a direct chat; a loudspeaker for an announcement channel; the initial of
 * the title for a group and the self chat.
 */
export function ConversationAvatar({ conversation, size }: { conversation: Conversation; size: number }) {
  const myId = useMyId();
  const title = useConversationTitle(conversation);
  if (conversation.kind === 'direct' && conversation.peerId && !isSelfChat(conversation, myId))
    return <UserAvatar userId={conversation.peerId} size={size} />;
  if (conversation.kind === 'channel') return <ChannelAvatar title={title} size={size} />;
  return (
    <Avatar
      imageId={conversation.group?.avatarImageId ?? null}
      name={title}
      colorKey={conversation.id}
      size={size}
    />
  );
}
