import { useEffect, useRef } from 'react';
import { UserAvatar } from '../../../components/UserAvatar.tsx';
import { UploadBubble } from './UploadBubble.tsx';
import { useChatUploads } from './uploads-store.ts';

/** This chat's uploads, as my outgoing messages at the end of the list until they are sent. */
export function ChatUploads({ conversationId, myId }: { conversationId: string; myId: string }) {
  const uploads = useChatUploads(conversationId);
  const lastRef = useRef<HTMLDivElement>(null);
  const count = useRef(uploads.length);
  // A new upload is my newest message: bring it into view as a sent text would be.
  useEffect(() => {
    if (uploads.length > count.current) lastRef.current?.scrollIntoView({ block: 'end' });
    count.current = uploads.length;
  }, [uploads.length]);
  return uploads.map((u, i) => (
    <div
      key={u.id}
      ref={i === uploads.length - 1 ? lastRef : undefined}
      className="zx-msg-row zx-msg-row-mine"
      data-testid="message-upload"
    >
      <div className="zx-msg-avatar">
        <UserAvatar userId={myId} size={36} />
      </div>
      <div className="zx-msg-main">
        <div className="zx-msg-bubble-line">
          <div className="zx-bubble zx-bubble-mine zx-bubble-media">
            <UploadBubble u={u} />
          </div>
        </div>
      </div>
    </div>
  ));
}
