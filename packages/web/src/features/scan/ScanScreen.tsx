import { NavBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ScanPanel } from './ScanPanel.tsx';

/** The phone's full-screen "扫一扫" (from the discover tab). */
export function ScanScreen({ backTo }: { backTo: string }) {
  const { t } = useTranslation('codes');
  const navigate = useNavigate();
  return (
    <div className="zx-mobile-screen" data-testid="scan-screen">
      <NavBar onBack={() => void navigate(backTo)}>{t('scan.title')}</NavBar>
      <div className="zx-mobile-scroll">
        <ScanPanel onFinished={() => void navigate(backTo)} />
      </div>
    </div>
  );
}
