import type { DirectoryMember } from '@zhixin/protocol';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { UserAvatar } from '../../components/UserAvatar.tsx';

interface MemberListProps {
  members: readonly DirectoryMember[];
  loading: boolean;
  error: string;
  hasMore: boolean;
  onMore: () => void;
  /** Shown when there are no members and nothing is loading ('' for nothing). */
  emptyText: string;
  onOpen: (userId: string) => void;
}

/** Members with avatar, name and title; a tap opens the profile. */
export function MemberList({ members, loading, error, hasMore, onMore, emptyText, onOpen }: MemberListProps) {
  const { t } = useTranslation('directory');
  return (
    <section className="zx-dir-section" data-testid="directory-members">
      {members.length > 0 && <h3 className="zx-dir-heading">{t('members')}</h3>}
      {members.map((m) => (
        <button
          key={m.profile.id}
          type="button"
          className="zx-dir-row"
          data-testid="directory-member"
          data-user-id={m.profile.id}
          onClick={() => onOpen(m.profile.id)}
        >
          <UserAvatar userId={m.profile.id} size={36} />
          <span className="zx-dir-person">
            <span className="zx-dir-name">{m.profile.nickname}</span>
            {m.title && <span className="zx-dir-title">{m.title}</span>}
          </span>
        </button>
      ))}
      {error && (
        <p className="zx-dir-note">
          {t('error', { detail: error })}{' '}
          <Button size="small" type="link" onClick={onMore}>
            {t('retry')}
          </Button>
        </p>
      )}
      {loading && <p className="zx-dir-note">{t('loading')}</p>}
      {!loading && !error && members.length === 0 && emptyText && <p className="zx-dir-note">{emptyText}</p>}
      {hasMore && !loading && (
        <Button block type="text" onClick={onMore} data-testid="directory-more">
          {t('more')}
        </Button>
      )}
    </section>
  );
}
