import type { MomentDraft, MomentDraftContent, MomentDraftEvent, MomentDraftKind } from '@zhixin/protocol';
import { create } from 'zustand';
import { client } from '../../app/client.ts';
import { myUserId } from '../../data/me.ts';

/** A draft as this device keeps it: the content and when it was last changed (ms). */
export interface LocalDraft {
  content: MomentDraftContent;
  updatedAt: number;
}

/** How long typing pauses before the draft goes to the server (it is on the device at once). */
const SYNC_DELAY_MS = 600;

/** Bumped when a draft changes underneath the screens (another device), so they re-read it. */
export const useDraftVersions = create<Record<string, number>>(() => ({}));

const pending = new Map<string, ReturnType<typeof setTimeout>>();

function storageKey(kind: MomentDraftKind, key: string): string {
  return `zx.moments.draft.${myUserId()}.${kind}.${key}`;
}

/** Whether a draft holds nothing worth keeping. */
export function isEmptyDraft(c: MomentDraftContent): boolean {
  return c.text.trim() === '' && !c.fileIds?.length && !c.location && !c.mentions?.length;
}

export function readLocalDraft(kind: MomentDraftKind, key: string): LocalDraft | null {
  const raw = window.localStorage.getItem(storageKey(kind, key));
  if (!raw) return null;
  try {
    return JSON.parse(raw) as LocalDraft;
  } catch {
    return null;
  }
}

function writeLocal(kind: MomentDraftKind, key: string, draft: LocalDraft | null): void {
  const k = storageKey(kind, key);
  if (draft) window.localStorage.setItem(k, JSON.stringify(draft));
  else window.localStorage.removeItem(k);
}

function bump(kind: MomentDraftKind, key: string): void {
  const id = `${kind}:${key}`;
  useDraftVersions.setState((s) => ({ [id]: (s[id] ?? 0) + 1 }));
}

/**
 * Keep an unsent post or comment (R-W5): on this device at once, on the account shortly after
 * (my other devices get it). An empty draft is discarded everywhere.
 */
export function saveDraft(kind: MomentDraftKind, key: string, content: MomentDraftContent): void {
  const id = `${kind}:${key}`;
  const empty = isEmptyDraft(content);
  writeLocal(kind, key, empty ? null : { content, updatedAt: Date.now() });
  clearTimeout(pending.get(id));
  pending.set(
    id,
    setTimeout(() => {
      pending.delete(id);
      const request = empty
        ? client.moments.deleteDraft(kind, key)
        : client.moments.saveDraft(kind, key, content);
      // The device copy stays; the next change or visit tries the account again.
      request.catch(() => undefined);
    }, SYNC_DELAY_MS),
  );
}

/** The post or comment was sent: forget its draft here and on the account. */
export async function clearDraft(kind: MomentDraftKind, key: string): Promise<void> {
  const id = `${kind}:${key}`;
  clearTimeout(pending.get(id));
  pending.delete(id);
  writeLocal(kind, key, null);
  await client.moments.deleteDraft(kind, key).catch(() => undefined);
}

let serverDrafts: Promise<MomentDraft[]> | null = null;

/** My drafts on the account (asked once per visit; events keep this device current afterwards). */
export function loadServerDrafts(refresh = false): Promise<MomentDraft[]> {
  if (!serverDrafts || refresh) {
    serverDrafts = client.moments.drafts().catch(() => {
      serverDrafts = null;
      return [];
    });
  }
  return serverDrafts;
}

/** Forget the account's drafts asked for (another account signed in). */
export function forgetServerDrafts(): void {
  serverDrafts = null;
}

/**
 * The draft to restore: the newer of this device's and the account's (written from another
 * device). The account's is copied here.
 */
export async function restoreDraft(kind: MomentDraftKind, key: string): Promise<LocalDraft | null> {
  const local = readLocalDraft(kind, key);
  const remote = (await loadServerDrafts()).find((d) => d.kind === kind && d.key === key);
  if (pending.has(`${kind}:${key}`)) return readLocalDraft(kind, key);
  if (remote && (!local || remote.updatedAt > local.updatedAt)) {
    const draft = { content: remote.content, updatedAt: remote.updatedAt };
    writeLocal(kind, key, draft);
    return draft;
  }
  return local;
}

/** A draft saved or cleared on another device (or this one): keep the device copy in step. */
export function applyDraftEvent(e: MomentDraftEvent): void {
  serverDrafts = null;
  if (pending.has(`${e.kind}:${e.key}`)) return;
  const local = readLocalDraft(e.kind, e.key);
  if (e.draft === null) {
    if (local) {
      writeLocal(e.kind, e.key, null);
      bump(e.kind, e.key);
    }
    return;
  }
  if (local && JSON.stringify(local.content) === JSON.stringify(e.draft.content)) return;
  writeLocal(e.kind, e.key, { content: e.draft.content, updatedAt: e.draft.updatedAt });
  bump(e.kind, e.key);
}
