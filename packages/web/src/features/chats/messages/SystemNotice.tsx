import type { SystemContent } from '@zhixin/sdk';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { displayNameOf, ensureProfiles, usePeople } from '../../../data/people.ts';
import { systemText } from '../../contacts/groups/systemText.ts';

/** A group's system message (announcement, dissolution, …) as a centred line. */
export function SystemNotice({ content }: { content: SystemContent }) {
  const { t } = useTranslation('groups');
  // Re-render when the names involved load.
  usePeople((s) => s.profiles);
  useEffect(() => ensureProfiles([content.actorId, ...(content.userIds ?? [])]), [content]);
  const announcement = content.event === 'announcement';
  return (
    <div
      className={announcement ? 'zx-system-line zx-system-announcement' : 'zx-system-line'}
      data-testid="message-system"
      data-event={content.event}
    >
      {systemText(content, displayNameOf, (key, options) => t(key, options ?? {}))}
    </div>
  );
}
