import type { SystemContent } from '@zhixin/sdk';

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** What a group's system message says, e.g. "张三 发布了群公告：@所有人 …" (namespace `groups`). */
export function systemText(content: SystemContent, nameOf: (userId: string) => string, t: Translate): string {
  const name = nameOf(content.actorId);
  const users = (content.userIds ?? []).map(nameOf);
  switch (content.event) {
    case 'announcement':
      return t('system.announcement', { name, text: content.text ?? '' });
    case 'ownerTransferred':
      return t('system.ownerTransferred', { name, target: users[0] ?? '' });
    case 'joined':
      return t('system.joined', { names: users.join('、') });
    default:
      return t(`system.${content.event}`, { name });
  }
}
