import type { Department } from '@zhixin/protocol';
import { useEffect } from 'react';
import { create } from 'zustand';
import { client } from '../../app/client.ts';

interface DirectoryTreeState {
  departments: Department[];
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string;
}

/** The department tree, loaded once per visit of the directory and reloaded after admin edits. */
export const useDirectoryTree = create<DirectoryTreeState>(() => ({
  departments: [],
  status: 'idle',
  error: '',
}));

/** Fetch the tree again (after an edit or an import). */
export async function reloadDirectoryTree(): Promise<void> {
  useDirectoryTree.setState((s) => ({ ...s, status: s.status === 'ready' ? 'ready' : 'loading' }));
  try {
    const departments = await client.directory.tree();
    useDirectoryTree.setState({ departments, status: 'ready', error: '' });
  } catch (err) {
    useDirectoryTree.setState({ status: 'error', error: err instanceof Error ? err.message : String(err) });
  }
}

/** The tree, fetched when a screen showing it mounts. */
export function useLoadedDirectoryTree(): DirectoryTreeState {
  useEffect(() => {
    void reloadDirectoryTree();
  }, []);
  return useDirectoryTree();
}

/** Children of a department (null: the top level), in display order. */
export function childrenOf(departments: readonly Department[], parentId: string | null): Department[] {
  return departments
    .filter((d) => d.parentId === parentId)
    .sort((a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name, 'zh-CN'));
}

/** The departments from the top down to `id` (empty for the root or an unknown id). */
export function pathTo(departments: readonly Department[], id: string | null): Department[] {
  const byId = new Map(departments.map((d) => [d.id, d]));
  const out: Department[] = [];
  let cur = id ? byId.get(id) : undefined;
  while (cur && out.length <= departments.length) {
    out.unshift(cur);
    cur = cur.parentId ? byId.get(cur.parentId) : undefined;
  }
  return out;
}
