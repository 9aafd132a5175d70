import { HeartOutlined } from '@ant-design/icons';
import type { Moment, MomentComment } from '@zhixin/protocol';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isMe } from '../../../data/me.ts';
import { useDisplayName } from '../../../data/people.ts';
import { useFeedback } from '../../chats/hooks.ts';
import { useMomentsErrorText } from '../errors.ts';
import { deleteComment } from '../post-actions.ts';
import { useConfirm } from './useConfirm.ts';
import { userPagePath } from './paths.ts';

interface Props {
  post: Moment;
  onReply: (c: MomentComment) => void;
}

/** A person by the name I know them by (my remark, else their nickname), linking to their page. */
function Name({ userId, name }: { userId: string; name: string }) {
  const known = useDisplayName(userId);
  return (
    <Link className="zx-mo-name" to={userPagePath(userId)} onClick={(e) => e.stopPropagation()}>
      {known || name}
    </Link>
  );
}

/** Who liked a post, and its comments ("A 回复 B: ..."): click one to reply, or to delete your own. */
export function PostInteractions({ post, onReply }: Props) {
  const { t } = useTranslation('moments');
  const confirm = useConfirm();
  const feedback = useFeedback();
  const errorText = useMomentsErrorText();
  if (post.likes.length === 0 && post.comments.length === 0) return null;

  const onComment = (c: MomentComment) => {
    if (!isMe(c.authorId)) return onReply(c);
    void confirm(t('comments.deleteConfirm'), t('comments.delete')).then((yes) => {
      if (yes) deleteComment(post.id, c.id).catch((err: unknown) => feedback.error(errorText(err)));
    });
  };
  return (
    <div className="zx-mo-interactions" data-testid="post-interactions">
      {post.likes.length > 0 && (
        <div className="zx-mo-likes" data-testid="post-likes">
          <HeartOutlined className="zx-mo-likes-icon" />
          {post.likes.map((like, i) => (
            <Fragment key={like.userId}>
              {i > 0 && '，'}
              <Name userId={like.userId} name={like.user.nickname} />
            </Fragment>
          ))}
        </div>
      )}
      {post.comments.length > 0 && (
        <ul className="zx-mo-comments" data-testid="post-comments">
          {post.comments.map((c) => (
            <li key={c.id} className="zx-mo-comment" data-testid="post-comment" onClick={() => onComment(c)}>
              <Name userId={c.authorId} name={c.author.nickname} />
              {c.replyTo && (
                <>
                  <span className="zx-mo-reply-word">{t('comments.reply')}</span>
                  <Name userId={c.replyTo.id} name={c.replyTo.nickname} />
                </>
              )}
              <span className="zx-mo-comment-text">：{c.text}</span>
            </li>
          ))}
          {post.commentCount > post.comments.length && (
            <li className="zx-mo-comment-more">
              {t('comments.more', { count: post.commentCount - post.comments.length })}
            </li>
          )}
        </ul>
      )}
    </div>
  );
}
