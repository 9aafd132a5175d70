import { Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

export interface TypeToConfirmProps {
  open: boolean;
  title: string;
  text: string;
  /** What the operator must type (e.g. the user's nickname or the group's name). */
  word: string;
  okText: string;
  testId: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

/** A confirmation for destructive actions: OK stays disabled until the word is typed exactly. */
export function TypeToConfirm(p: TypeToConfirmProps) {
  const { t } = useTranslation('adminUsers');
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const close = () => {
    setTyped('');
    p.onClose();
  };
  return (
    <Modal
      open={p.open}
      title={p.title}
      okText={p.okText}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: true, disabled: typed !== p.word, 'data-testid': `${p.testId}-ok` }}
      confirmLoading={busy}
      onCancel={close}
      onOk={async () => {
        setBusy(true);
        try {
          await p.onConfirm();
          close();
        } finally {
          setBusy(false);
        }
      }}
      destroyOnHidden
    >
      <Typography.Paragraph>{p.text}</Typography.Paragraph>
      <Typography.Paragraph type="secondary">
        {t('common.typeToConfirm', { word: p.word })}
      </Typography.Paragraph>
      <Input
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        data-testid={`${p.testId}-input`}
        autoFocus
      />
    </Modal>
  );
}
