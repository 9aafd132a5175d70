import { EnvironmentOutlined, HeartFilled, HeartOutlined, MessageOutlined } from '@ant-design/icons';
import type { Moment, MomentComment } from '@zhixin/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { UserAvatar } from '../../../components/UserAvatar.tsx';
import { useDisplayName } from '../../../data/people.ts';
import { formatTime, timeLanguage } from '../../chats/lib/time.ts';
import { useFeedback } from '../../chats/hooks.ts';
import { useMomentsErrorText } from '../errors.ts';
import { toggleLike } from '../post-actions.ts';
import { CommentBox } from './CommentBox.tsx';
import { MediaGrid } from './MediaGrid.tsx';
import { userPagePath } from './paths.ts';
import { PostInteractions } from './PostInteractions.tsx';
import { PostMenu, VisibilityBadge } from './PostMenu.tsx';
import { PostText } from './PostText.tsx';
import './post.css';

/** One post: author, text, pictures or video, location, time, likes and comments, and what I can do. */
export function PostCard({ post, now }: { post: Moment; now: number }) {
  const { t, i18n } = useTranslation('moments');
  const feedback = useFeedback();
  const errorText = useMomentsErrorText();
  const name = useDisplayName(post.authorId) || post.author.nickname;
  const [commenting, setCommenting] = useState(false);
  const [replyTo, setReplyTo] = useState<MomentComment | null>(null);
  const [liking, setLiking] = useState(false);

  const like = () => {
    setLiking(true);
    toggleLike(post)
      .catch((err: unknown) => feedback.error(errorText(err)))
      .finally(() => setLiking(false));
  };
  const reply = (c: MomentComment | null) => {
    setReplyTo(c);
    if (c) setCommenting(true);
  };
  return (
    <article className="zx-mo-post" data-testid="post-card" data-post-id={post.id}>
      <Link to={userPagePath(post.authorId)} className="zx-mo-post-avatar" aria-label={name}>
        <UserAvatar userId={post.authorId} size={42} />
      </Link>
      <div className="zx-mo-post-body">
        <Link to={userPagePath(post.authorId)} className="zx-mo-author" data-testid="post-author">
          {name}
        </Link>
        <PostText text={post.text} />
        <MediaGrid momentId={post.id} media={post.media} />
        {post.location && (
          <div className="zx-mo-location" data-testid="post-location">
            <EnvironmentOutlined /> {post.location}
          </div>
        )}
        <div className="zx-mo-post-foot">
          <time className="zx-mo-time" dateTime={new Date(post.createdAt).toISOString()}>
            {formatTime(post.createdAt, now, timeLanguage(i18n.language))}
          </time>
          <VisibilityBadge post={post} />
          <span className="zx-mo-foot-spacer" />
          <button
            type="button"
            className={`zx-mo-action${post.likedByMe ? ' zx-mo-action-on' : ''}`}
            data-testid="post-like"
            data-liked={post.likedByMe ? 'true' : 'false'}
            disabled={liking}
            onClick={like}
          >
            {post.likedByMe ? <HeartFilled /> : <HeartOutlined />}
            {post.likedByMe ? t('unlike') : t('like')}
          </button>
          <button
            type="button"
            className="zx-mo-action"
            data-testid="post-comment-button"
            onClick={() => {
              setReplyTo(null);
              setCommenting(true);
            }}
          >
            <MessageOutlined />
            {t('comments.action')}
          </button>
          <PostMenu post={post} />
        </div>
        <PostInteractions post={post} onReply={reply} />
        <CommentBox
          postId={post.id}
          open={commenting}
          replyTo={replyTo}
          onReplyTo={setReplyTo}
          onClose={() => setCommenting(false)}
        />
      </div>
    </article>
  );
}
