import { EllipsisOutlined, GlobalOutlined, LockOutlined, TeamOutlined } from '@ant-design/icons';
import { Dropdown, type MenuProps } from 'antd';
import type { Moment, MomentVisibility } from '@zhixin/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isMe } from '../../../data/me.ts';
import { useFeedback } from '../../chats/hooks.ts';
import { useMomentsErrorText } from '../errors.ts';
import { changeVisibility, deletePost } from '../post-actions.ts';
import { VISIBILITIES } from '../visibility.ts';
import { ReportDialog } from './ReportDialog.tsx';
import { useConfirm } from './useConfirm.ts';

const VISIBILITY_ICONS: Record<MomentVisibility, typeof GlobalOutlined> = {
  everyone: GlobalOutlined,
  friends: TeamOutlined,
  self: LockOutlined,
};

/** On my own post: which visibility I chose, click to change it. */
export function VisibilityBadge({ post }: { post: Moment }) {
  const { t } = useTranslation('moments');
  const feedback = useFeedback();
  const errorText = useMomentsErrorText();
  if (!post.visibility) return null;
  const Icon = VISIBILITY_ICONS[post.visibility];
  const items: MenuProps['items'] = VISIBILITIES.map((v) => ({
    key: v,
    label: <span data-testid={`set-visibility-${v}`}>{t(`visibility.${v}`)}</span>,
    disabled: v === post.visibility,
  }));
  const onClick: MenuProps['onClick'] = ({ key }) =>
    void changeVisibility(post.id, key as MomentVisibility)
      .then(() => feedback.success(t('visibilityChanged')))
      .catch((err: unknown) => feedback.error(errorText(err)));
  return (
    <Dropdown menu={{ items, onClick }} trigger={['click']}>
      <button
        type="button"
        className="zx-mo-visibility"
        data-testid="post-visibility"
        data-visibility={post.visibility}
        title={t('changeVisibility')}
      >
        <Icon /> {t(`visibility.${post.visibility}`)}
      </button>
    </Dropdown>
  );
}

/** "…": delete (my post) or report (someone else's). */
export function PostMenu({ post }: { post: Moment }) {
  const { t } = useTranslation('moments');
  const feedback = useFeedback();
  const errorText = useMomentsErrorText();
  const confirm = useConfirm();
  const [reporting, setReporting] = useState(false);
  const mine = isMe(post.authorId);
  const items: MenuProps['items'] = mine
    ? [{ key: 'delete', danger: true, label: <span data-testid="post-delete">{t('delete')}</span> }]
    : [{ key: 'report', label: <span data-testid="post-report">{t('report.action')}</span> }];
  const onClick: MenuProps['onClick'] = ({ key }) => {
    if (key === 'report') return setReporting(true);
    void confirm(t('deleteConfirm'), t('delete')).then((yes) => {
      if (!yes) return;
      deletePost(post.id)
        .then(() => feedback.success(t('deleted')))
        .catch((err: unknown) => feedback.error(errorText(err)));
    });
  };
  return (
    <>
      <Dropdown menu={{ items, onClick }} trigger={['click']} placement="bottomRight">
        <button type="button" className="zx-mo-more" data-testid="post-menu" aria-label={t('more')}>
          <EllipsisOutlined />
        </button>
      </Dropdown>
      {reporting && <ReportDialog postId={post.id} onClose={() => setReporting(false)} />}
    </>
  );
}
