import { Button, Empty, Spin } from 'antd';
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useFeedback } from '../../chats/hooks.ts';
import { useMomentsErrorText } from '../errors.ts';
import { loadMore, refreshFeed, useFeed, type FeedKey } from '../feed-store.ts';
import { PostCard } from './PostCard.tsx';
import { useNow } from './useNow.ts';

interface Props {
  feedKey: FeedKey;
  /** What an empty list says. */
  emptyText: ReactNode;
  /** Called once the newest page is in (the new-posts indicator starts again from there). */
  onLoaded?: () => void;
}

/** The posts of one feed, newest first; the next page loads when the end scrolls into view. */
export function PostList({ feedKey, emptyText, onLoaded }: Props) {
  const { t } = useTranslation('moments');
  const feed = useFeed(feedKey);
  const now = useNow();
  const feedback = useFeedback();
  const errorText = useMomentsErrorText();
  const sentinel = useRef<HTMLDivElement>(null);

  const loaded = useRef(onLoaded);
  loaded.current = onLoaded;
  useEffect(() => {
    refreshFeed(feedKey)
      .then(() => loaded.current?.())
      .catch(() => undefined);
  }, [feedKey]);

  const hasMore = feed.nextCursor !== null;
  // One post on its own page: no "no more posts" under it.
  const single = feedKey.startsWith('post:');
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !hasMore) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting))
          loadMore(feedKey).catch((err: unknown) => feedback.error(errorText(err)));
      },
      { rootMargin: '400px' },
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, [feedKey, hasMore, feedback, errorText, feed.items.length]);

  if (feed.status === 'loading')
    return (
      <div className="zx-mo-state" data-testid="feed-loading">
        <Spin />
      </div>
    );
  if (feed.status === 'error')
    return (
      <div className="zx-mo-state" data-testid="feed-error">
        <p>{t(`errors.${feed.errorCode ?? 'generic'}`, t('loadFailed'))}</p>
        <Button onClick={() => void refreshFeed(feedKey).catch(() => undefined)}>{t('retry')}</Button>
      </div>
    );
  if (feed.items.length === 0)
    return (
      <div className="zx-mo-state" data-testid="feed-empty">
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText} />
      </div>
    );
  return (
    <div className="zx-mo-list" data-testid="post-list" data-feed={feedKey}>
      {feed.items.map((post) => (
        <PostCard key={post.id} post={post} now={now} />
      ))}
      <div ref={sentinel} className="zx-mo-list-end" data-testid="feed-end">
        {feed.loadingMore ? <Spin size="small" /> : hasMore || single ? null : t('noMore')}
      </div>
    </div>
  );
}
