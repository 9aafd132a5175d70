import { Input, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFeedback } from '../../chats/hooks.ts';
import { useMomentsErrorText } from '../errors.ts';
import { reportPost } from '../post-actions.ts';

/** Tell the operators what is wrong with a post. */
export function ReportDialog({ postId, onClose }: { postId: string; onClose: () => void }) {
  const { t } = useTranslation('moments');
  const feedback = useFeedback();
  const errorText = useMomentsErrorText();
  const [reason, setReason] = useState('');
  const [sending, setSending] = useState(false);
  const submit = () => {
    setSending(true);
    reportPost(postId, reason.trim())
      .then(() => {
        feedback.success(t('report.sent'));
        onClose();
      })
      .catch((err: unknown) => feedback.error(errorText(err)))
      .finally(() => setSending(false));
  };
  return (
    <Modal
      open
      title={t('report.title')}
      okText={t('report.submit')}
      cancelText={t('cancel')}
      onOk={submit}
      onCancel={onClose}
      okButtonProps={{ disabled: !reason.trim(), loading: sending, id: 'report-submit' }}
      width={420}
    >
      <Input.TextArea
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        placeholder={t('report.placeholder')}
        maxLength={500}
        autoSize={{ minRows: 3, maxRows: 6 }}
        data-testid="report-reason"
      />
    </Modal>
  );
}
