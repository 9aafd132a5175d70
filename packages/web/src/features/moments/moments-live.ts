import type { MomentNotification, PublicProfile } from '@zhixin/protocol';
import { useEffect } from 'react';
import { create } from 'zustand';
import { client } from '../../app/client.ts';
import { isMe, myUserId } from '../../data/me.ts';
import { putProfiles } from '../../data/people.ts';
import { applyDraftEvent, forgetServerDrafts } from './drafts.ts';
import { dropPost, reloadPost, resetFeeds, useFeeds } from './feed-store.ts';

interface MomentsLive {
  /** Unread "new interactions" (likes, comments, replies, mentions, removals) concerning me. */
  unread: number;
  /** Posts by others that appeared since I last looked at the feed. */
  newPosts: number;
  latestAuthor: PublicProfile | null;
  /** The interactions list, newest first. */
  interactions: MomentNotification[];
  nextCursor: string | null;
  interactionsLoaded: boolean;
}

export const useMomentsLive = create<MomentsLive>(() => ({
  unread: 0,
  newPosts: 0,
  latestAuthor: null,
  interactions: [],
  nextCursor: null,
  interactionsLoaded: false,
}));

function seenKey(): string {
  return `zx.moments.seen.${myUserId()}`;
}

/** When I last looked at the newest posts (kept per user, so a reload remembers it). */
function lastSeen(): number {
  const stored = Number(window.localStorage.getItem(seenKey()));
  if (Number.isFinite(stored) && stored > 0) return stored;
  const now = Date.now();
  window.localStorage.setItem(seenKey(), String(now));
  return now;
}

/** I am looking at the newest posts now: the indicator starts again from zero. */
export function markFeedSeen(): void {
  window.localStorage.setItem(seenKey(), String(Date.now()));
  useMomentsLive.setState({ newPosts: 0, latestAuthor: null });
}

async function refreshUnseen(): Promise<void> {
  const res = await client.moments.unseen(lastSeen());
  if (res.latestAuthor) putProfiles([res.latestAuthor]);
  useMomentsLive.setState({ newPosts: res.count, latestAuthor: res.latestAuthor });
}

/** The first page of my interactions (and the unread count). */
export async function refreshInteractions(): Promise<void> {
  const res = await client.moments.notifications({ limit: 30 });
  putProfiles(res.items.flatMap((n) => (n.actor ? [n.actor] : [])));
  useMomentsLive.setState({
    interactions: res.items,
    nextCursor: res.nextCursor,
    unread: res.unread,
    interactionsLoaded: true,
  });
}

export async function loadMoreInteractions(): Promise<void> {
  const { nextCursor } = useMomentsLive.getState();
  if (!nextCursor) return;
  const res = await client.moments.notifications({ before: nextCursor, limit: 30 });
  putProfiles(res.items.flatMap((n) => (n.actor ? [n.actor] : [])));
  useMomentsLive.setState((s) => ({
    interactions: [...s.interactions, ...res.items.filter((n) => !s.interactions.some((x) => x.id === n.id))],
    nextCursor: res.nextCursor,
  }));
}

export async function markInteractionsRead(): Promise<void> {
  await client.moments.markNotificationsRead();
  useMomentsLive.setState((s) => ({
    unread: 0,
    interactions: s.interactions.map((n) => ({ ...n, read: true })),
  }));
}

function isListed(postId: string): boolean {
  return Object.values(useFeeds.getState()).some((f) => f.items.some((p) => p.id === postId));
}

function onInteraction(n: MomentNotification): void {
  if (n.actor) putProfiles([n.actor]);
  useMomentsLive.setState((s) => ({
    interactions: [n, ...s.interactions.filter((x) => x.id !== n.id)],
    unread: s.unread + (n.read ? 0 : 1),
  }));
  if (n.kind === 'removed') dropPost(n.postId);
  else if (isListed(n.postId)) void reloadPost(n.postId).catch(() => undefined);
}

let users = 0;
let stop: (() => void) | null = null;
/** Whose moments this tab holds: another account signing in here starts from nothing. */
let holder: string | null = null;

function forgetOtherAccount(): void {
  const me = myUserId();
  if (holder === me) return;
  holder = me;
  resetFeeds();
  forgetServerDrafts();
  useMomentsLive.setState({
    unread: 0,
    newPosts: 0,
    latestAuthor: null,
    interactions: [],
    nextCursor: null,
    interactionsLoaded: false,
  });
}
let unseenTimer: ReturnType<typeof setTimeout> | undefined;

function start(): () => void {
  forgetOtherAccount();
  const scheduleUnseen = () => {
    clearTimeout(unseenTimer);
    unseenTimer = setTimeout(() => void refreshUnseen().catch(() => undefined), 400);
  };
  const offs = [
    client.on('moments.new', (e) => {
      if (!isMe(e.authorId)) scheduleUnseen();
    }),
    client.on('moments.interaction', onInteraction),
    client.on('moments.draft', applyDraftEvent),
    client.on('sync.completed', () => {
      scheduleUnseen();
      void refreshInteractions().catch(() => undefined);
    }),
  ];
  void refreshInteractions().catch(() => undefined);
  void refreshUnseen().catch(() => undefined);
  return () => {
    clearTimeout(unseenTimer);
    for (const off of offs) off();
  };
}

/**
 * Keeps the moments badge live while mounted (the navigation entries use it): unread interactions,
 * new posts, drafts from my other devices. One subscription however many entries use it.
 */
export function useMomentsLiveUpdates(): void {
  useEffect(() => {
    users += 1;
    if (users === 1) stop = start();
    return () => {
      users -= 1;
      if (users === 0) {
        stop?.();
        stop = null;
      }
    };
  }, []);
}

/** Whether the entry should show a dot: unread interactions or new posts. */
export function useMomentsDot(): { unread: number; newPosts: number } {
  useMomentsLiveUpdates();
  const unread = useMomentsLive((s) => s.unread);
  const newPosts = useMomentsLive((s) => s.newPosts);
  return { unread, newPosts };
}
