import type { RecommendationReason } from '@zhixin/protocol';

/** Signals gathered for one candidate. */
export interface CandidateSignals {
  mutualFriends: number;
  sharedGroups: number;
  /** The shared department's name, when in my primary department. */
  department: string | null;
}

export interface RankedCandidate {
  userId: string;
  score: number;
  reasons: RecommendationReason[];
}

/** A mutual friend says most, a shared group less, the same department least (but it counts alone). */
export const WEIGHTS = { mutualFriend: 3, sharedGroup: 2, sameDepartment: 2 } as const;

/** Score and reasons of every candidate, best first (ties: more mutual friends, then id for stability). */
export function rank(signals: ReadonlyMap<string, CandidateSignals>): RankedCandidate[] {
  const out: (RankedCandidate & { mutual: number })[] = [];
  for (const [userId, s] of signals) {
    const reasons: RecommendationReason[] = [];
    if (s.mutualFriends > 0) reasons.push({ kind: 'mutualFriends', count: s.mutualFriends });
    if (s.sharedGroups > 0) reasons.push({ kind: 'sharedGroups', count: s.sharedGroups });
    if (s.department !== null) reasons.push({ kind: 'sameDepartment', department: s.department });
    if (!reasons.length) continue;
    const score =
      s.mutualFriends * WEIGHTS.mutualFriend +
      s.sharedGroups * WEIGHTS.sharedGroup +
      (s.department !== null ? WEIGHTS.sameDepartment : 0);
    out.push({ userId, score, reasons, mutual: s.mutualFriends });
  }
  out.sort((a, b) => b.score - a.score || b.mutual - a.mutual || (a.userId < b.userId ? -1 : 1));
  return out.map(({ userId, score, reasons }) => ({ userId, score, reasons }));
}
