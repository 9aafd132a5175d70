import type { Conversation } from '@zhixin/sdk';
import { useMemo, useRef, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { FONT_SCALE, usePreferences } from '../../../app/preferences.ts';
import { useSortedConversations } from '../../../data/conversations.ts';
import { usePeople } from '../../../data/people.ts';
import { useMyId } from '../hooks.ts';
import { DesktopRow } from './DesktopRow.tsx';
import { MobileRow } from './MobileRow.tsx';
import { useWindowedRows } from './useWindowedRows.ts';

/** Row height at the standard font step; rows scale with the font (R-U3). */
const BASE_ROW_HEIGHT = 68;

interface Props {
  layout: 'desktop' | 'mobile';
  /** Filter by name (empty: all). */
  query: string;
  activeId: string | undefined;
  onOpen: (id: string) => void;
}

/** A row's slot: absolutely placed; the row inside takes its height from the variable. */
function slotStyle(top: number, height: number): CSSProperties & { '--zx-row-h': string } {
  return { top, height, '--zx-row-h': `${height}px` };
}

/** Names of conversations for searching: the peer's remark and nickname, the group title. */
function useSearchNames(
  list: readonly Conversation[],
  active: boolean,
  selfName: string,
): Map<string, string> {
  const myId = useMyId();
  const profiles = usePeople((s) => s.profiles);
  const remarks = usePeople((s) => s.remarks);
  return useMemo(() => {
    const names = new Map<string, string>();
    if (!active) return names;
    for (const c of list) {
      if (c.kind !== 'direct') names.set(c.id, c.title.toLowerCase());
      else if (!c.peerId || c.peerId === myId) names.set(c.id, selfName.toLowerCase());
      else names.set(c.id, `${remarks[c.peerId] ?? ''} ${profiles[c.peerId]?.nickname ?? ''}`.toLowerCase());
    }
    return names;
  }, [list, active, profiles, remarks, myId, selfName]);
}

/** The conversation list, windowed: only the rows in view are rendered. */
export function ConversationList({ layout, query, activeId, onOpen }: Props) {
  const { t } = useTranslation('chats');
  const all = useSortedConversations();
  const scale = FONT_SCALE[usePreferences((p) => p.fontSize)];
  const rowHeight = Math.round(BASE_ROW_HEIGHT * scale);
  const needle = query.trim().toLowerCase();
  const names = useSearchNames(all, needle !== '', t('fileTransfer'));
  const list = useMemo(
    () => (needle ? all.filter((c) => names.get(c.id)?.includes(needle)) : all),
    [all, names, needle],
  );
  const scrollRef = useRef<HTMLDivElement>(null);
  const { start, end } = useWindowedRows(scrollRef, list.length, rowHeight);
  const Row = layout === 'desktop' ? DesktopRow : MobileRow;

  return (
    <div className="zx-conv-list" ref={scrollRef} data-testid="conversation-list" role="list">
      {list.length === 0 ? (
        <div className="zx-conv-empty">{needle ? t('noResults') : t('noConversations')}</div>
      ) : (
        <div style={{ height: list.length * rowHeight, position: 'relative' }}>
          {list.slice(start, end).map((c, i) => (
            <div
              key={c.id}
              role="listitem"
              className="zx-conv-slot"
              style={slotStyle((start + i) * rowHeight, rowHeight)}
            >
              <Row conversation={c} active={c.id === activeId} onOpen={onOpen} />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
