import type { Conversation } from '@zhixin/sdk';
import { useTranslation } from 'react-i18next';
import { OfficialBadgeFor } from '../../components/OfficialBadge.tsx';

/**
 * Beside a conversation's name: the 官方 badge of an official peer or channel publisher, and for an
 * announcement channel a 公告 tag, so it is not mistaken for the 1:1 chat with the same account.
 */
export function ConversationBadges({ conversation: c }: { conversation: Conversation }) {
  const { t } = useTranslation('chats');
  if (c.kind === 'direct') return <OfficialBadgeFor userId={c.peerId} />;
  if (c.kind !== 'channel') return null;
  return (
    <>
      <OfficialBadgeFor userId={c.ownerId} />
      <span className="zx-channel-tag" data-testid="channel-tag">
        {t('channel.tag')}
      </span>
    </>
  );
}
