import { List } from 'antd-mobile';
import { ScanningOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

/** The discover tab's "扫一扫" row. */
export function ScanEntryItem() {
  const { t } = useTranslation('codes');
  const navigate = useNavigate();
  return (
    <List.Item
      prefix={
        <span className="zx-ct-entry-icon zx-ct-entry-icon-m" style={{ background: '#10aeff' }}>
          <ScanningOutline />
        </span>
      }
      onClick={() => void navigate('/discover/scan')}
    >
      <span data-testid="scan-entry">{t('scan.entry')}</span>
    </List.Item>
  );
}
