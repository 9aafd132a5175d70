import type { Conversation } from '@zhixin/sdk';
import { NotificationOutlined } from '@ant-design/icons';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import './groups.css';

/** "临时群" beside a temporary group's title. */
export function TemporaryBadge({ conversation }: { conversation: Conversation }) {
  const { t } = useTranslation('groups');
  if (!conversation.group?.temporary) return null;
  return (
    <span className="zx-gp-badge" data-testid="group-temporary-badge">
      {t('temporary.badge')}
    </span>
  );
}

/** The group's announcement, at the top of the chat (one line; the info panel shows all of it). */
export function GroupAnnouncementBar({ conversation }: { conversation: Conversation }) {
  const { t } = useTranslation('groups');
  const a = conversation.group?.announcement;
  if (!a) return null;
  return (
    <div className="zx-gp-announcement-bar" data-testid="group-announcement" title={a.text}>
      <NotificationOutlined className="zx-gp-announcement-icon" aria-label={t('announcement.title')} />
      <span className="zx-gp-announcement-text">{a.text}</span>
    </div>
  );
}

type Block = { kind: 'dissolved' } | { kind: 'muteAll' } | { kind: 'muted'; until: number } | null;

function blockOf(c: Conversation, now: number): Block {
  const g = c.group;
  if (!g) return null;
  if (g.dissolvedAt !== null) return { kind: 'dissolved' };
  if (c.role !== 'member') return null;
  if (g.muteAll) return { kind: 'muteAll' };
  if (g.myMutedUntil !== null && g.myMutedUntil > now) return { kind: 'muted', until: g.myMutedUntil };
  return null;
}

/**
 * The composer, unless I may not send here (dissolved group, everyone muted, or me muted): then
 * a notice saying why. A mute that runs out brings the composer back by itself.
 */
export function GroupComposerGate({
  conversation,
  children,
}: {
  conversation: Conversation;
  children: ReactNode;
}) {
  const { t } = useTranslation('groups');
  const [now, setNow] = useState(() => Date.now());
  const block = blockOf(conversation, now);
  const until = block?.kind === 'muted' ? block.until : null;
  useEffect(() => {
    if (until === null) return;
    const timer = setTimeout(() => setNow(Date.now()), Math.min(until - Date.now() + 50, 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [until]);
  if (!block) return <>{children}</>;
  const text =
    block.kind === 'dissolved'
      ? t('chat.dissolved')
      : block.kind === 'muteAll'
        ? t('chat.muteAll')
        : t('chat.mutedUntil', { time: new Date(block.until).toLocaleString() });
  return (
    <div className="zx-gp-send-blocked" data-testid="group-send-blocked" data-reason={block.kind}>
      {text}
    </div>
  );
}
