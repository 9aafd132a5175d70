import { PhoneOutlined, VideoCameraOutlined } from '@ant-design/icons';
import type { CallRecord } from '@zhixin/protocol';
import type { Message } from '@zhixin/sdk';
import { useTranslation } from 'react-i18next';
import { UserAvatar } from '../../components/UserAvatar.tsx';
import { startCall } from './call-controller.ts';
import { formatDuration } from './call-store.ts';

/** What the record says from my side: "通话时长 01:23", "对方已拒绝", "未接听"… */
export function callRecordText(
  record: CallRecord,
  iAmCaller: boolean,
  t: (key: string, o?: Record<string, unknown>) => string,
): string {
  switch (record.outcome) {
    case 'completed':
      return t('record.completed', { duration: formatDuration(record.durationMs) });
    case 'declined':
      return iAmCaller ? t('record.declinedByPeer') : t('record.declined');
    case 'missed':
      return iAmCaller ? t('record.missedByPeer') : t('record.missed');
    case 'cancelled':
      return iAmCaller ? t('record.cancelled') : t('record.cancelledByPeer');
    case 'busy':
      return iAmCaller ? t('record.busy') : t('record.busyMe');
  }
}

/**
 * A call record in a direct chat, as a bubble on the caller's side with the call's icon; a tap
 * calls back with the same media.
 */
export function CallRecordRow({
  message,
  record,
  myId,
}: {
  message: Message;
  record: CallRecord;
  myId: string;
}) {
  const { t } = useTranslation('calls');
  const mine = record.callerId === myId;
  const peerId = mine ? null : record.callerId;
  const text = callRecordText(record, mine, (key, o) => t(key, o ?? {}));
  const icon = record.media === 'video' ? <VideoCameraOutlined /> : <PhoneOutlined />;
  const callBack = () => {
    const other = peerId ?? null;
    if (other) void startCall(message.conversationId, other, record.media).catch(() => undefined);
  };
  return (
    <div
      className={mine ? 'zx-msg-row zx-msg-row-mine' : 'zx-msg-row'}
      data-testid="message-item"
      data-seq={String(message.seq)}
      data-mine={mine ? 'true' : 'false'}
      data-message-id={message.id}
    >
      <div className="zx-msg-avatar">
        <UserAvatar userId={record.callerId} size={36} />
      </div>
      <div className="zx-msg-main">
        <div className="zx-msg-bubble-line">
          <div
            className={mine ? 'zx-bubble zx-bubble-mine zx-call-record' : 'zx-bubble zx-call-record'}
            data-testid="call-record"
            data-outcome={record.outcome}
            role={peerId ? 'button' : undefined}
            onClick={peerId ? callBack : undefined}
          >
            {mine ? (
              <>
                <span>{text}</span> {icon}
              </>
            ) : (
              <>
                {icon} <span>{text}</span>
              </>
            )}
          </div>
        </div>
      </div>
    </div>
  );
}
