import { QrcodeOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SettingsRow } from '../settings/ui.tsx';
import { CodeDialog } from './CodeDialog.tsx';
import { MyCodePanel } from './MyCodePanel.tsx';

/** "我的二维码" in my profile settings: opens my code. Only I see it; friends' pages show none. */
export function MyCodeRow() {
  const { t } = useTranslation('codes');
  const [open, setOpen] = useState(false);
  return (
    <>
      <SettingsRow
        label={t('myCode.entry')}
        testId="my-code"
        extra={<QrcodeOutlined />}
        onClick={() => setOpen(true)}
      />
      <CodeDialog open={open} title={t('myCode.title')} onClose={() => setOpen(false)}>
        <MyCodePanel />
      </CodeDialog>
    </>
  );
}
