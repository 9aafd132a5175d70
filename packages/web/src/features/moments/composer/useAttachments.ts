import { MOMENT_IMAGES_MAX } from '@zhixin/protocol';
import type { UploadHandle } from '@zhixin/sdk';
import { ZhixinError } from '@zhixin/sdk';
import { useCallback, useEffect, useRef, useState } from 'react';
import { client } from '../../../app/client.ts';

/** One picture or the video of the post being written. */
export interface Attachment {
  localId: string;
  kind: 'image' | 'video';
  /** The picked (or cropped) file; null for one restored from a draft (already uploaded). */
  file: File | null;
  /** An object URL of `file` for the tile. */
  previewUrl: string | null;
  /** Set once the upload is ready. */
  fileId: string | null;
  /** 0..1 */
  progress: number;
  status: 'uploading' | 'ready' | 'error';
  errorCode: string | null;
}

/** Why a pick was refused: too many pictures, or a video with anything else. */
export type PickProblem = 'tooMany' | 'videoAlone' | 'unsupported';

let counter = 0;
const nextId = () => `a${++counter}`;

function kindOf(file: File): Attachment['kind'] | null {
  if (file.type.startsWith('image/')) return 'image';
  if (file.type.startsWith('video/')) return 'video';
  return null;
}

/** The pictures or video of a post: picked, cropped (re-uploaded), removed, each uploading with progress. */
export function useAttachments() {
  const [items, setItems] = useState<Attachment[]>([]);
  const handles = useRef(new Map<string, UploadHandle>());

  const update = useCallback((localId: string, change: Partial<Attachment>) => {
    setItems((list) => list.map((a) => (a.localId === localId ? { ...a, ...change } : a)));
  }, []);

  const upload = useCallback(
    (localId: string, file: File) => {
      const handle = client.files.upload(file, {
        name: file.name,
        mime: file.type,
        onProgress: ({ bytesSent, bytesTotal }) =>
          update(localId, { progress: bytesTotal > 0 ? bytesSent / bytesTotal : 0 }),
      });
      handles.current.set(localId, handle);
      handle.promise
        .then((info) => update(localId, { fileId: info.id, status: 'ready', progress: 1 }))
        .catch((err: unknown) => {
          const code = ZhixinError.from(err).code;
          if (code !== 'ABORTED') update(localId, { status: 'error', errorCode: code });
        })
        .finally(() => {
          if (handles.current.get(localId) === handle) handles.current.delete(localId);
        });
    },
    [update],
  );

  /** Add picked files; returns why some were refused (nothing is added then). */
  const add = (files: readonly File[]): PickProblem | null => {
    const picked = files.map((file) => ({ file, kind: kindOf(file) }));
    if (picked.some((p) => p.kind === null)) return 'unsupported';
    const videos = picked.filter((p) => p.kind === 'video').length;
    if (videos > 0 && (videos > 1 || picked.length > 1 || items.length > 0)) return 'videoAlone';
    if (items.some((a) => a.kind === 'video')) return 'videoAlone';
    if (items.length + picked.length > MOMENT_IMAGES_MAX) return 'tooMany';
    const added = picked.map(({ file, kind }): Attachment => ({
      localId: nextId(),
      kind: kind ?? 'image',
      file,
      previewUrl: URL.createObjectURL(file),
      fileId: null,
      progress: 0,
      status: 'uploading',
      errorCode: null,
    }));
    setItems((list) => [...list, ...added]);
    for (const a of added) if (a.file) upload(a.localId, a.file);
    return null;
  };

  const forget = (a: Attachment) => {
    void handles.current.get(a.localId)?.abort();
    handles.current.delete(a.localId);
    if (a.previewUrl) URL.revokeObjectURL(a.previewUrl);
    if (a.fileId) void client.files.delete(a.fileId).catch(() => undefined);
  };

  /** The cropped version replaces the picture (and is uploaded instead). */
  const replace = (localId: string, file: File) => {
    const old = items.find((a) => a.localId === localId);
    if (!old) return;
    forget(old);
    update(localId, {
      file,
      previewUrl: URL.createObjectURL(file),
      fileId: null,
      progress: 0,
      status: 'uploading',
      errorCode: null,
    });
    upload(localId, file);
  };

  const remove = (localId: string) => {
    const old = items.find((a) => a.localId === localId);
    if (old) forget(old);
    setItems((list) => list.filter((a) => a.localId !== localId));
  };

  /** Uploaded files of a restored draft (their kind from the server's record). */
  const restore = useCallback(async (fileIds: readonly string[]) => {
    const infos = await Promise.all(fileIds.map((id) => client.files.get(id).catch(() => null)));
    setItems(
      infos.flatMap((info) =>
        info && info.status === 'ready'
          ? [
              {
                localId: nextId(),
                kind: info.mime.startsWith('video/') ? ('video' as const) : ('image' as const),
                file: null,
                previewUrl: null,
                fileId: info.id,
                progress: 1,
                status: 'ready' as const,
                errorCode: null,
              },
            ]
          : [],
      ),
    );
  }, []);

  /** After posting: the files now belong to the post, only the previews go. */
  const reset = useCallback(() => {
    setItems((list) => {
      for (const a of list) if (a.previewUrl) URL.revokeObjectURL(a.previewUrl);
      return [];
    });
  }, []);

  useEffect(() => {
    const running = handles.current;
    return () => {
      for (const h of running.values()) void h.abort();
    };
  }, []);

  return { items, add, replace, remove, restore, reset };
}
