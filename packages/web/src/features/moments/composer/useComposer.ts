import type { Moment, MomentDraftContent, MomentVisibility } from '@zhixin/protocol';
import { useEffect, useRef, useState } from 'react';
import { client } from '../../../app/client.ts';
import { myUserId } from '../../../data/me.ts';
import { clearDraft, saveDraft } from '../drafts.ts';
import { addMyPost } from '../feed-store.ts';
import { useRestoredDraft } from '../useRestoredDraft.ts';
import { useAttachments } from './useAttachments.ts';

/** The post draft's key: one unsent post per user. */
export const POST_DRAFT_KEY = 'post';

/** What the composer edits, with its draft kept on every change and restored on open (R-W5). */
export function useComposer() {
  const [text, setText] = useState('');
  const [visibility, setVisibility] = useState<MomentVisibility>('everyone');
  const [location, setLocation] = useState('');
  const [mentions, setMentions] = useState<string[]>([]);
  const attachments = useAttachments();
  const restored = useRestoredDraft('post', POST_DRAFT_KEY);
  const appliedFiles = useRef('');
  const { restore } = attachments;

  useEffect(() => {
    const c = restored.draft?.content;
    if (!c) return;
    setText(c.text);
    setVisibility(c.visibility ?? 'everyone');
    setLocation(c.location ?? '');
    setMentions(c.mentions ?? []);
    const files = (c.fileIds ?? []).join(',');
    if (files && files !== appliedFiles.current) {
      appliedFiles.current = files;
      void restore(c.fileIds ?? []);
    }
    // Only a newly restored draft replaces what is on screen.
  }, [restored.generation]);

  const fileIds = attachments.items.flatMap((a) => (a.fileId ? [a.fileId] : []));
  const content = (): MomentDraftContent => ({
    text,
    visibility,
    ...(fileIds.length ? { fileIds } : {}),
    ...(location.trim() ? { location: location.trim() } : {}),
    ...(mentions.length ? { mentions } : {}),
  });
  const draftJson = JSON.stringify(content());
  const lastSaved = useRef<string | null>(null);
  useEffect(() => {
    // The first render shows what was restored: nothing new to save.
    if (lastSaved.current === null) {
      lastSaved.current = draftJson;
      return;
    }
    if (lastSaved.current === draftJson) return;
    lastSaved.current = draftJson;
    saveDraft('post', POST_DRAFT_KEY, JSON.parse(draftJson) as MomentDraftContent);
  }, [draftJson]);

  const uploading = attachments.items.some((a) => a.status === 'uploading');
  const failed = attachments.items.some((a) => a.status === 'error');
  const canPost = !uploading && !failed && (text.trim() !== '' || fileIds.length > 0);

  /** Post it; the draft is cleared (by the server, and here). */
  const post = async (): Promise<Moment> => {
    const c = content();
    const created = await client.moments.create({
      text: c.text.trim(),
      visibility,
      ...(c.fileIds ? { fileIds: c.fileIds } : {}),
      ...(c.location ? { location: c.location } : {}),
      ...(c.mentions ? { mentions: c.mentions } : {}),
      draftKey: POST_DRAFT_KEY,
    });
    await clearDraft('post', POST_DRAFT_KEY);
    lastSaved.current = JSON.stringify({ text: '', visibility: 'everyone' });
    appliedFiles.current = '';
    setText('');
    setLocation('');
    setMentions([]);
    setVisibility('everyone');
    attachments.reset();
    addMyPost(created, myUserId());
    return created;
  };

  return {
    text,
    setText,
    visibility,
    setVisibility,
    location,
    setLocation,
    mentions,
    setMentions,
    attachments,
    uploading,
    canPost,
    post,
  };
}

export type ComposerState = ReturnType<typeof useComposer>;
