import type { MomentDraftKind } from '@zhixin/protocol';
import { useEffect, useState } from 'react';
import { readLocalDraft, restoreDraft, useDraftVersions, type LocalDraft } from './drafts.ts';

export interface RestoredDraft {
  /** The draft to show, null when there is none. */
  draft: LocalDraft | null;
  /** Changes each time a different draft should replace what the screen shows. */
  generation: number;
}

/**
 * The draft of a post or comment to put back on screen: this device's at once, then the
 * account's if it is newer (written on another device), then any change another device makes.
 */
export function useRestoredDraft(kind: MomentDraftKind, key: string): RestoredDraft {
  const version = useDraftVersions((s) => s[`${kind}:${key}`] ?? 0);
  const [state, setState] = useState<RestoredDraft>(() => ({
    draft: readLocalDraft(kind, key),
    generation: 0,
  }));

  useEffect(() => {
    let live = true;
    const local = readLocalDraft(kind, key);
    setState((s) => ({ draft: local, generation: s.generation + 1 }));
    void restoreDraft(kind, key).then((draft) => {
      if (!live || !draft || (local && draft.updatedAt === local.updatedAt)) return;
      setState((s) => ({ draft, generation: s.generation + 1 }));
    });
    return () => {
      live = false;
    };
  }, [kind, key, version]);
  return state;
}
