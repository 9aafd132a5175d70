import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EMOJI_GROUPS } from '../lib/emoji.ts';

/** The built-in emoji, one group at a time with tabs for the groups. */
export function EmojiGrid({ onPick }: { onPick: (emoji: string) => void }) {
  const { t } = useTranslation('chats');
  const [groupKey, setGroupKey] = useState(EMOJI_GROUPS[0]?.key ?? 'smileys');
  const group = EMOJI_GROUPS.find((g) => g.key === groupKey) ?? EMOJI_GROUPS[0];
  return (
    <div className="zx-emoji-grid-wrap">
      <div className="zx-emoji-grid" role="listbox" aria-label={t(`emojiGroups.${groupKey}`)}>
        {group?.emoji.map((emoji) => (
          <button
            key={emoji}
            type="button"
            className="zx-emoji-option"
            data-testid="emoji-option"
            role="option"
            aria-selected={false}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => onPick(emoji)}
          >
            {emoji}
          </button>
        ))}
      </div>
      <div className="zx-emoji-tabs" role="tablist">
        {EMOJI_GROUPS.map((g) => (
          <button
            key={g.key}
            type="button"
            role="tab"
            aria-selected={g.key === groupKey}
            title={t(`emojiGroups.${g.key}`)}
            className={g.key === groupKey ? 'zx-emoji-tab zx-emoji-tab-active' : 'zx-emoji-tab'}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => setGroupKey(g.key)}
          >
            {g.emoji[0]}
          </button>
        ))}
      </div>
    </div>
  );
}
