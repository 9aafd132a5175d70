import type { Recommendation, RecommendationReason } from '@zhixin/sdk';
import type { TFunction } from 'i18next';
import { create } from 'zustand';
import { client } from '../../app/client.ts';

interface RecommendState {
  items: Recommendation[];
  loaded: boolean;
}

/** "People you may know" as last fetched; a dismissal or a sent request takes the person out at once. */
export const useRecommendations = create<RecommendState>(() => ({ items: [], loaded: false }));

export async function refreshRecommendations(): Promise<void> {
  const { items } = await client.friends.recommendations(20);
  useRecommendations.setState({ items, loaded: true });
}

/** Take someone out of the list (after a dismissal or a friend request). */
export function dropRecommendation(userId: string): void {
  useRecommendations.setState((s) => ({ items: s.items.filter((r) => r.user.id !== userId) }));
}

export async function dismissRecommendation(userId: string): Promise<void> {
  await client.friends.dismissRecommendation(userId);
  dropRecommendation(userId);
}

/** "3 位共同好友 · 同部门 · 研发部" */
export function reasonText(t: TFunction<'recommend'>, reasons: readonly RecommendationReason[]): string {
  return reasons
    .map((r) =>
      r.kind === 'sameDepartment'
        ? t('reasons.sameDepartment', { department: r.department })
        : t(`reasons.${r.kind}`, { count: r.count }),
    )
    .join(' · ');
}
