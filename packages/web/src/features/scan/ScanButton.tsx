import { ScanOutlined } from '@ant-design/icons';
import { Button, Tooltip } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CodeDialog } from '../codes/CodeDialog.tsx';
import { ScanPanel } from './ScanPanel.tsx';

/** The desktop's "扫一扫" button (contacts pane header): the scan panel in a dialog. */
export function ScanButton() {
  const { t } = useTranslation('codes');
  const [open, setOpen] = useState(false);
  return (
    <>
      <Tooltip title={t('scan.entry')}>
        <Button
          data-testid="scan-entry"
          aria-label={t('scan.entry')}
          icon={<ScanOutlined />}
          onClick={() => setOpen(true)}
        />
      </Tooltip>
      <CodeDialog open={open} title={t('scan.title')} onClose={() => setOpen(false)}>
        {open && <ScanPanel onNavigated={() => setOpen(false)} onFinished={() => setOpen(false)} />}
      </CodeDialog>
    </>
  );
}
