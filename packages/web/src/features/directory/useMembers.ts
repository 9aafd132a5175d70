import type { Department, DirectoryMember } from '@zhixin/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import { client } from '../../app/client.ts';
import { putProfiles } from '../../data/people.ts';

const PAGE = 50;

interface MembersState {
  members: DirectoryMember[];
  /** Cursors of the departments that have more pages (one per department searched). */
  more: Array<{ departmentId: string; cursor: string }>;
  loading: boolean;
  error: string;
}

const EMPTY: MembersState = { members: [], more: [], loading: false, error: '' };

/**
 * Members of a department (direct), or, with a search text, of the department's whole subtree; at
 * the root a search covers every top-level department. Pages on with `loadMore`.
 */
export function useMembers(departmentId: string | null, q: string, topLevel: readonly Department[]) {
  const [state, setState] = useState<MembersState>(EMPTY);
  const topKey = topLevel.map((d) => d.id).join(',');
  // Answers to an older search or department are dropped when they arrive late.
  const latest = useRef(0);

  const fetchPages = useCallback(
    async (requests: Array<{ departmentId: string; cursor?: string }>, append: boolean) => {
      const ticket = ++latest.current;
      setState((s) => ({ ...s, loading: true, error: '' }));
      try {
        const recursive = q !== '';
        const pages = await Promise.all(
          requests.map(async (r) => ({
            departmentId: r.departmentId,
            page: await client.directory.members(r.departmentId, {
              recursive,
              limit: PAGE,
              ...(q ? { q } : {}),
              ...(r.cursor ? { cursor: r.cursor } : {}),
            }),
          })),
        );
        if (ticket !== latest.current) return;
        const fresh = pages.flatMap((p) => p.page.members);
        putProfiles(fresh.map((m) => m.profile));
        setState((s) => {
          const seen = new Set(append ? s.members.map((m) => m.profile.id) : []);
          const merged = append ? [...s.members] : [];
          for (const m of fresh) {
            if (seen.has(m.profile.id)) continue;
            seen.add(m.profile.id);
            merged.push(m);
          }
          const more = pages.flatMap((p) =>
            p.page.nextCursor ? [{ departmentId: p.departmentId, cursor: p.page.nextCursor }] : [],
          );
          return { members: merged, more, loading: false, error: '' };
        });
      } catch (err) {
        if (ticket !== latest.current) return;
        setState((s) => ({ ...s, loading: false, error: err instanceof Error ? err.message : String(err) }));
      }
    },
    [q],
  );

  useEffect(() => {
    const targets = departmentId ? [departmentId] : q ? topKey.split(',').filter(Boolean) : [];
    if (targets.length === 0) {
      latest.current++;
      setState(EMPTY);
      return;
    }
    void fetchPages(
      targets.map((id) => ({ departmentId: id })),
      false,
    );
  }, [departmentId, q, topKey, fetchPages]);

  const loadMore = useCallback(() => {
    void fetchPages(state.more, true);
  }, [fetchPages, state.more]);

  return { ...state, loadMore };
}
