import { useTranslation } from 'react-i18next';
import { Avatar, UserAvatar } from '../../../components/UserAvatar.tsx';
import type { Candidate } from './useMentionCandidates.ts';

interface Props {
  candidates: Candidate[];
  active: number;
  onPick: (c: Candidate) => void;
}

/** The member list shown above the composer while typing "@…". */
export function MentionPicker({ candidates, active, onPick }: Props) {
  const { t } = useTranslation('chats');
  return (
    <div
      className="zx-mention-picker"
      data-testid="mention-picker"
      role="listbox"
      aria-label={t('mention.title')}
    >
      {candidates.length === 0 ? (
        <div className="zx-muted-text zx-mention-empty">{t('mention.none')}</div>
      ) : (
        candidates.map((c, i) => (
          <div
            key={c.userId}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'zx-mention-option zx-mention-option-active' : 'zx-mention-option'}
            data-testid="mention-option"
            data-user-id={c.userId}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => onPick(c)}
          >
            {c.userId === 'all' ? (
              <Avatar imageId={null} name="@" colorKey="all" size={28} />
            ) : (
              <UserAvatar userId={c.userId} size={28} />
            )}
            <span>{c.label}</span>
          </div>
        ))
      )}
    </div>
  );
}
