import type { Message, Readers } from '@zhixin/sdk';
import { Spin } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { UserAvatar } from '../../../components/UserAvatar.tsx';
import { fetchReaders } from '../../../data/message-ops.ts';
import { ensureProfiles, useDisplayName } from '../../../data/people.ts';
import { Sheet } from '../Sheet.tsx';

function Person({ userId }: { userId: string }) {
  const name = useDisplayName(userId);
  return (
    <li className="zx-person">
      <UserAvatar userId={userId} size={32} />
      <span className="zx-person-name">{name}</span>
    </li>
  );
}

function Column({ title, ids, empty }: { title: string; ids: string[]; empty: string }) {
  return (
    <section className="zx-readers-col">
      <h4>{title}</h4>
      {ids.length === 0 ? (
        <div className="zx-muted-text">{empty}</div>
      ) : (
        <ul className="zx-person-list">
          {ids.map((id) => (
            <Person key={id} userId={id} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** Who has read one of my group messages, and who has not (asked from the server when opened). */
export function ReadersDialog({
  message,
  layout,
  onClose,
}: {
  message: Message | null;
  layout: 'desktop' | 'mobile';
  onClose: () => void;
}) {
  const { t } = useTranslation('chats');
  const [readers, setReaders] = useState<Readers | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    setReaders(null);
    setFailed(false);
    if (!message) return;
    let live = true;
    fetchReaders(message)
      .then((r) => {
        if (!live) return;
        ensureProfiles([...r.readUserIds, ...r.unreadUserIds]);
        setReaders(r);
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [message]);
  return (
    <Sheet
      layout={layout}
      open={message !== null}
      title={t('readers.title')}
      onClose={onClose}
      testId="readers-dialog"
    >
      {failed ? (
        <div className="zx-muted-text">{t('actionFailed')}</div>
      ) : !readers ? (
        <div className="zx-center">
          <Spin />
        </div>
      ) : (
        <div className="zx-readers">
          <Column
            title={t('readers.read', { count: readers.readUserIds.length })}
            ids={readers.readUserIds}
            empty={t('readers.nobody')}
          />
          <Column
            title={t('readers.unread', { count: readers.unreadUserIds.length })}
            ids={readers.unreadUserIds}
            empty={t('readers.nobody')}
          />
        </div>
      )}
    </Sheet>
  );
}
