import { ClockCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

/** The file of this message was removed (retention or its owner): only its kind is left. */
export function ExpiredCard({ label }: { label: string }) {
  const { t } = useTranslation('files');
  return (
    <div className="zx-media-expired" data-testid="file-expired">
      <ClockCircleOutlined />
      <span>
        {label} · {t('expired')}
      </span>
    </div>
  );
}
